"""Settings for newsroom, in one file driven by environment variables.

With no environment at all the site runs locally on SQLite and a file cache in the project. A
deployment names its database or its hosts, and must then provide its own SECRET_KEY.
The README lists every variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from newsroom.storage import public_media_url, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# A deployment is recognised by the database or hosts it names; a bare checkout is local.
DEPLOYED = bool(os.environ.get("DATABASE_URL") or os.environ.get("ALLOWED_HOSTS"))


def local_secret_key(path=BASE_DIR / ".secret_key"):
    """Generate the local key once and keep it in an ignored file, so sessions survive restarts."""
    if DEPLOYED:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. A deployment (DATABASE_URL or ALLOWED_HOSTS set) "
            "must provide its own SECRET_KEY environment variable."
        )
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = get_random_secret_key()
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()

PORT = os.environ.get("PORT", "8000")
# Absolute links (share block, feeds, canonical URLs) come from here, never from the Host header.
SITE_URL = os.environ.get("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Flat pages (about, legal notice, policies) need the sites framework: one site, SITE_ID.
    "django.contrib.sites",
    "django.contrib.flatpages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # django-taggit, under a French title in the admin.
    "newsroom.apps.TagsConfig",
    "csp",
    "simple_history",
    "django_prose_editor",
    "articles",
    "stories",
    "pages",
    "live",
    "edge",
    # django-axes, under a French title in the admin.
    "newsroom.apps.SignInGuardConfig",
]

MIDDLEWARE = [
    # First, so that no other middleware reads a body it refuses.
    "newsroom.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers anonymous readers from the shared page cache before the rest of the stack runs,
    # and stores the pages it builds with the headers that the middleware below adds.
    "articles.cache.ReaderPageCacheMiddleware",
    # Names what each shared page shows (Surrogate-Key), for the proxies in front to purge.
    "edge.keys.SurrogateKeyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # ETags and 304 answers for every page, cached or not; views set Last-Modified where they can.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
SITE_ID = 1
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL: the reader pages' hottest statements are prepared on each connection
# (articles.rows.cursor). Off behind a connection pooler that shares server connections between
# clients and cannot carry prepared statements (PgBouncer's transaction mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spent 0.9 s compiling a 2 ms query of the article page (measured
    # with EXPLAIN ANALYZE on 100,000 articles); short web queries never repay it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if DATABASE_PREPARED_STATEMENTS:
        # psycopg prepares nothing while its threshold is None, as Django sets it. Django's
        # cursors bind on the client and never prepare, whatever the threshold (psycopg's own).
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
        # Planned once for any parameters: left to choose, PostgreSQL planned the home page's
        # front again on every run (1.3 ms of planning for a 0.6 ms query), its generic plan
        # being no slower. It concerns prepared statements only: these, and the statements of
        # the search trigger (migration 0019), which write one article's row by its key.
        DATABASES["default"]["OPTIONS"]["options"] += " -c plan_cache_mode=force_generic_plan"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors and gunicorn workers write at once. A transaction that reads, then
    # writes (the admin's change form) fails at once with "database is locked" when another
    # wrote in between; an IMMEDIATE one takes the write lock at its start and waits up to
    # `timeout` seconds for it instead. WAL lets readers go on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# A streaming replica of the PostgreSQL primary: shared reader pages read it when it is
# current (newsroom/replicas.py); everything else uses the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {})}
    # Tests create no database of its own: the replica alias reads the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "newsroom.replicas.ReplicaMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            # Short socket timeouts, and a few seconds' pause after a failure (newsroom/cache.py):
            # no request waits long on a dead or hung Redis.
            "LOCATION": REDIS_URL,
            # Read on every cached page, and kept by each worker until Redis says it changed
            # (articles/cache.py's GENERATION_KEY).
            "OPTIONS": {"kept_keys": ["reader-pages:generation"]},
        }
    }
else:
    # Every gunicorn worker of the machine shares this folder, so the generation key that
    # invalidates pages is the same for all of them: an edit shows at once from each worker.
    # Files rather than the database cache: a hit reads two small files (no SQL, so cached
    # pages still cost no query), and storing a page never competes with editors' saves for
    # SQLite's single writer lock. Writes are atomic (a rename); culling lists the folder, so
    # MAX_ENTRIES keeps it small.
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_ROOT", BASE_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# The caching proxies (Varnish, deploy/) that a save purges, e.g. "http://10.0.0.5:6081".
PURGE_URLS = env_list("PURGE_URLS", [])

# Anonymous reader pages are shared from the cache for this long (see articles/cache.py);
# it is also the longest a scheduled article waits before it shows on every listing.
READER_CACHE_SECONDS = int(os.environ.get("READER_CACHE_SECONDS", "60"))
# Article pages are stored once rendered, but for their fresh parts (see articles/shells);
# off, every article page is rendered whole.
ARTICLE_SHELLS = env_bool("ARTICLE_SHELLS", True)

# Sessions (editors only) live in the cache, backed by the database so a cache outage logs
# nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Editors sign in through the admin; an unsafe ?next= falls back to its index, not a 404.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout: 5 failures from one address (for any accounts), within 15 minutes, pause
# sign-in from there for 15 minutes, with the same page whether or not the account exists.
# A user name alone never locks: anyone could then lock an editor out from everywhere. The
# pair (user name, address) is counted too; with one limit for both, the address's count,
# which includes the pair's, reaches it first.
# Failures are counted in the database rather than the cache: the cache forgets (it culls
# entries, and a failing cache answers every call as a miss), so a count there could be
# wiped. Editors see (and can clear) the attempts in the admin.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# No start-up banner: manage.py commands print what they do, and nothing else.
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Readers are French-speaking; so is the admin.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads, renditions and share cards go to S3-compatible object storage when a bucket is
# named, so that every application server reads and writes the same files. Credentials come
# from boto3's own variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the machine's role.
MEDIA_BUCKET = os.environ.get("MEDIA_BUCKET")
MEDIA_ORIGINS = []
if MEDIA_BUCKET:
    MEDIA_ENDPOINT_URL = os.environ.get("MEDIA_ENDPOINT_URL", "")
    MEDIA_URL = public_media_url(
        MEDIA_BUCKET, MEDIA_ENDPOINT_URL, os.environ.get("MEDIA_PUBLIC_URL", "")
    )
    STORAGES["default"] = s3_storage(
        MEDIA_BUCKET, MEDIA_ENDPOINT_URL, os.environ.get("MEDIA_REGION"), MEDIA_URL
    )
    MEDIA_URL += "/"
    # Pages show images from the bucket's (or its CDN's) origin: the CSP lets that one in.
    MEDIA_ORIGINS = ["{0.scheme}://{0.netloc}".format(urlsplit(MEDIA_URL))]

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Tag slugs are ASCII, like article slugs: /tags/coree-du-nord/.
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True
TAGGIT_CASE_INSENSITIVE = True

# Security. Served over HTTPS (SITE_URL says so), cookies and redirects follow.
HTTPS = SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 63072000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The Host header is trusted only from ALLOWED_HOSTS; X-Forwarded-Host only when a proxy says so.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST")
CSRF_TRUSTED_ORIGINS = [SITE_URL]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Only this site's own files may run or style a page: no inline script, no third party.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # A nonce reaches the header only on pages that use one: the admin's rich-text editor.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The admin's rich-text editor (Tiptap, inside django-prose-editor) injects its base stylesheet
# in an inline <style>: the white-space rules that keep typed spaces and line breaks as typed.
# On the editor's pages only (articles.admin.csp), this hash lets exactly that stylesheet apply, and
# no other inline style. An upgrade that changes it shows as a CSP error in the browser suite.
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The largest request body accepted, in bytes: room for a 15 MB hero image and its form.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", 20 * 1024 * 1024))

# Uploaded images are served by Django unless a front web server takes that over.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not MEDIA_BUCKET)
