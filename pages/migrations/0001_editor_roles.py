"""The newsroom roles' rights over the site's pages: Éditeurs write them, Rédacteurs read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Rédacteurs": ["view_flatpage"],
    "Éditeurs": ["add_flatpage", "change_flatpage", "delete_flatpage", "view_flatpage"],
}


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now to grant them.
    app_config = apps.get_app_config("flatpages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="flatpages", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="flatpages"))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("flatpages", "0001_initial"),
        ("articles", "0004_editor_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
