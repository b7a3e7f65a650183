"""The two newsroom roles, as groups: Rédacteurs write drafts, Éditeurs also publish."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Rédacteurs": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.view_author",
    ],
    "Éditeurs": [
        "articles.add_article",
        "articles.change_article",
        "articles.delete_article",
        "articles.view_article",
        "articles.publish_article",
        "articles.add_author",
        "articles.change_author",
        "articles.view_author",
        "articles.add_correction",
        "articles.change_correction",
        "articles.delete_correction",
        "articles.view_correction",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0003_newsroom_admin"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
