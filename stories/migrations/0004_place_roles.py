"""Places are managed by Éditeurs; Rédacteurs see them and give their articles places."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Rédacteurs": [
        "view_place",
        "add_articleplace",
        "change_articleplace",
        "delete_articleplace",
        "view_articleplace",
    ],
    "Éditeurs": [
        "add_place",
        "change_place",
        "delete_place",
        "view_place",
        "add_articleplace",
        "change_articleplace",
        "delete_articleplace",
        "view_articleplace",
    ],
}
MODELS = ["place", "articleplace"]


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
    places = Permission.objects.filter(
        content_type__app_label="stories", content_type__model__in=MODELS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*places)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0002_editor_roles"),
        ("stories", "0003_places"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
