"""The review step ("À relire"), and the rights that come with the editors' desk.

Rédacteurs may delete their own drafts (the admin allows it only for drafts never published);
Éditeurs manage tags (rename and merge).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "Rédacteurs": [("articles", "delete_article")],
    "Éditeurs": [
        ("taggit", "add_tag"),
        ("taggit", "change_tag"),
        ("taggit", "delete_tag"),
        ("taggit", "view_tag"),
    ],
}


def permissions(apps, group_name):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in GRANTS[group_name]
    ]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    for label in ("articles", "taggit"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.add(*permissions(apps, group.name))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions(apps, group.name))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_trust_fields"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="review_note",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="What an editor asked for when sending the draft back to its writer.",
                verbose_name="review note",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="sent for review"
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="review_note",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="What an editor asked for when sending the draft back to its writer.",
                verbose_name="review note",
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="submitted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="sent for review"
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("review", "To review"), ("published", "Published")],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="historicalarticle",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("review", "To review"), ("published", "Published")],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
