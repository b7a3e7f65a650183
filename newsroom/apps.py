"""Configurations of the libraries' apps, where the project names them its own way."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    """django-taggit, titled as editors know it: the admin's breadcrumbs and index said
    "Taggit", a name its French catalogue leaves as is."""

    verbose_name = _("Tags")


class SignInGuardConfig(AxesAppConfig):
    """django-axes, titled as editors know it: the admin's index showed its package name,
    "AXES", above its sign-in records."""

    verbose_name = _("Sign-in security")
