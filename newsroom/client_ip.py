"""The address a request comes from, as the sign-in lockout counts it."""

from django.conf import settings


def client_ip(request):
    """The client's address, which the client cannot choose by sending a header.

    Behind our proxy the connection comes from the proxy, which appends the address it saw
    to X-Forwarded-For: only that last entry is trusted, since a client may forge the others.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
