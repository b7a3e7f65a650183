"""The newsroom roles' rights over stories: Rédacteurs file their articles into stories,
Éditeurs also make, edit and close the stories themselves."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Rédacteurs": [
        "view_story",
        "add_storypiece",
        "change_storypiece",
        "delete_storypiece",
        "view_storypiece",
    ],
    "Éditeurs": [
        "add_story",
        "change_story",
        "delete_story",
        "view_story",
        "add_storypiece",
        "change_storypiece",
        "delete_storypiece",
        "view_storypiece",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    app_config = apps.get_app_config("stories")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="stories", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="stories"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0004_editor_roles"),
        ("stories", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
