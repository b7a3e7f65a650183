"""Permission names in French, as editors read them when an account is given its rights.

Django names permissions once, in English ("Can add article"), when it creates them; after
every migration these are renamed in the site's language, from each model's names.
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import translation
from django.utils.translation import gettext

NAME_LENGTH = 255


def default_names():
    return {
        "add": gettext("Can add %(things)s"),
        "change": gettext("Can change %(things)s"),
        "delete": gettext("Can delete %(things)s"),
        "view": gettext("Can view %(things)s"),
    }


def french_name(permission):
    """The permission's name in the site's language, or None for a model no longer there."""
    model = permission.content_type.model_class()
    if model is None:
        return None
    action, _, model_name = permission.codename.partition("_")
    if model_name == model._meta.model_name and action in (names := default_names()):
        return names[action] % {"things": model._meta.verbose_name_plural}
    custom = dict(model._meta.permissions).get(permission.codename)
    return str(custom) if custom else None


def name_permissions(**kwargs):
    """post_migrate: rename every permission whose name is not yet the site's."""
    with translation.override(settings.LANGUAGE_CODE):
        changed = []
        for permission in Permission.objects.select_related("content_type"):
            name = french_name(permission)
            if name and permission.name != name[:NAME_LENGTH]:
                permission.name = name[:NAME_LENGTH]
                changed.append(permission)
        Permission.objects.bulk_update(changed, ["name"])
