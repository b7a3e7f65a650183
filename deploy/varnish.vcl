vcl 4.1;
# The shared page cache, between nginx and the gunicorn servers. Pages are kept for their
# Cache-Control s-maxage and dropped at once when the site purges the keys they were sent with
# (Surrogate-Key, read here by varnish-modules' xkey). See deploy/README.md.
#
# Placeholders filled at install time (deploy/README.md, tests/servers.py): BACKEND_HOST,
# BACKEND_PORT, and the addresses allowed to purge and to set X-Forwarded-For.

import std;
import xkey;

backend app {
    .host = "BACKEND_HOST";
    .port = "BACKEND_PORT";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/healthz";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
        # Healthy from the start: a restarted Varnish serves at once.
        .initial = 3;
    }
}

# The application servers, which send PURGE requests after editors' saves.
acl purgers {
    "127.0.0.1";
    "::1";
}

# nginx, whose X-Forwarded-For already names the client.
acl frontends {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    # Varnish appends the address it was called from; behind nginx that is nginx's own, and the
    # site takes the last address as the client's (BEHIND_PROXY): drop it again.
    if (client.ip ~ frontends) {
        set req.http.X-Forwarded-For = regsub(req.http.X-Forwarded-For, ",\s*[^,]*$", "");
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors get fresh pages: the admin, and every page asked with the editor's cookie.
    if (req.url ~ "^/admin/" || req.http.Cookie ~ "(^|;\s*)editor=") {
        return (pass);
    }
    # Readers' pages do not depend on cookies (a made-up session cookie gets the shared page,
    # as in the site's own cache): none reaches the site, so none can split or taint the cache.
    unset req.http.Cookie;
}

sub vcl_backend_response {
    # The site's page cache already built the page for its s-maxage: no longer than that here.
    # Past it, the page may be served 30 s more while a fresh one is fetched; the site says
    # no stale-while-revalidate itself, which browsers, which no purge reaches, would apply.
    set beresp.grace = 30s;
    # Keys are the site's Surrogate-Key header (the same header model serves a CDN).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Whatever sets a cookie is someone's own answer: never stored (Varnish's built-in rule
    # makes it a hit-for-miss, below). Nor is a private or no-store page.
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
