"""Signed, expiring preview links: an unpublished article shown to someone without an account."""

from datetime import timedelta
from urllib.parse import urlencode

from django.core import signing

SALT = "articles.preview"
MAX_AGE = timedelta(days=3)
QUERY_PARAMETER = "apercu"


def preview_url(article):
    """The article's path with a token that opens it, whatever its state, for ``MAX_AGE``."""
    token = signing.dumps(article.pk, salt=SALT, compress=True)
    return article.get_absolute_url() + "?" + urlencode({QUERY_PARAMETER: token})


def previewed_pk(token):
    """The primary key a token opens, or None when it is forged, damaged or expired."""
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
