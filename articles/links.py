"""Absolute links to the site, built from settings.SITE_URL and never from the request's Host."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def absolute_url(path):
    """The public address of a site path such as ``article.get_absolute_url()``."""
    return settings.SITE_URL + path


def share_links(title, url):
    """Plain share links for the networks readers use; no script from any of them."""
    return [
        ("x", "X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        (
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        (
            "telegram",
            "Telegram",
            "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        ),
        (
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        (
            "email",
            _("E-mail"),
            f"mailto:?subject={quote(title, safe='')}&body={quote(url, safe='')}",
        ),
    ]
