"""The newsroom's admin, one concern per module.

- ``roles``: the writer/editor rule, which everything else asks;
- ``forms``: the article form (rich text, checked image, lock counter);
- ``article``: the article admin, made of the mixins below and configured by attributes;
- ``history``: comparing and restoring revisions; ``csp``: the rich-text editor under the CSP;
- ``public_history``: which revisions readers see (significant, withheld);
- ``review``: the "À relire" queue; ``autosave``, ``kept_image``, ``conflict``: no work lost;
- ``changes``: what a revision changed, word by word; ``tags``: rename and merge;
- ``filters``, ``titles``, ``authors``;
- ``extensions``: where other apps add fields, columns, actions and inlines to the article admin.
"""

from articles.admin.article import ArticleAdmin
from articles.admin.authors import AuthorAdmin
from articles.admin.forms import ArticleAdminForm
from articles.admin.public_history import PublicRevisionAdmin
from articles.admin.roles import PUBLISH_PERMISSION
from articles.admin.tags import TagAdmin

__all__ = [
    "PUBLISH_PERMISSION",
    "ArticleAdmin",
    "ArticleAdminForm",
    "AuthorAdmin",
    "PublicRevisionAdmin",
    "TagAdmin",
]
