"""The desk speaks French: permission and group names as editors read them."""

from django.contrib.auth.models import Group, Permission
from django.test import TestCase


class PermissionNamesTests(TestCase):
    def name(self, codename):
        return Permission.objects.get(codename=codename).name

    def test_permissions_are_named_in_french(self):
        self.assertEqual(self.name("add_article"), "Peut ajouter des articles")
        self.assertEqual(self.name("change_tag"), "Peut modifier les mots-clés")
        self.assertEqual(self.name("delete_author"), "Peut supprimer les auteurs")
        self.assertEqual(self.name("view_correction"), "Peut voir les corrections")
        self.assertEqual(
            self.name("publish_article"), "Peut publier, dépublier et programmer des articles"
        )

    def test_no_permission_of_the_desk_keeps_an_english_name(self):
        desk = Permission.objects.filter(group__name__in=["Rédacteurs", "Éditeurs"])
        self.assertFalse(desk.filter(name__startswith="Can ").exists())

    def test_the_groups_are_named_in_french(self):
        names = set(Group.objects.values_list("name", flat=True))
        self.assertLessEqual({"Rédacteurs", "Éditeurs"}, names)
