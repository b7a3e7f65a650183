"""The newsroom roles' rights over sections and the front page: Éditeurs manage both,
Rédacteurs file their articles in a section."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Rédacteurs": ["view_section"],
    "Éditeurs": [
        "add_section",
        "change_section",
        "delete_section",
        "view_section",
        "add_feature",
        "change_feature",
        "delete_feature",
        "view_feature",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = {codename for codenames in ROLES.values() for codename in codenames}
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0017_sections_and_front_page"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
