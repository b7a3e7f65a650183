"""The address a request comes from, as the sign-in lockout counts it."""

from ipaddress import ip_address

from django.conf import settings


def client_ip(request):
    """The client's address, which the client cannot choose by sending a header.

    Behind our proxy the connection comes from the proxy, which appends the address it saw
    to X-Forwarded-For: only that last entry is trusted, since a client may forge the others.
    """
    if settings.BEHIND_PROXY:
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ip_address(last))
        except ValueError:
            pass  # No proxy appended an address: fall back to the connection's.
    return request.META.get("REMOTE_ADDR")
