from django.conf import settings


def site(request):
    """The site's name and public address, for the layout and absolute links."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
