"""The newsroom roles' rights over live coverage: Rédacteurs post, correct and delete updates
of a running coverage; Éditeurs also open, close and reopen the coverage itself."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

UPDATES = ["add_liveupdate", "change_liveupdate", "delete_liveupdate", "view_liveupdate"]
ROLES = {
    "Rédacteurs": ["view_livecoverage", *UPDATES],
    "Éditeurs": ["add_livecoverage", "change_livecoverage", "view_livecoverage", *UPDATES],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    app_config = apps.get_app_config("live")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="live", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="live"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0004_editor_roles"),
        ("live", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
