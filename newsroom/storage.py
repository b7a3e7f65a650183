"""Media in S3-compatible object storage (django-storages), as settings.py configures it."""

from urllib.parse import urlsplit

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# What a storage call raises when the storage is unreachable, hung or refusing: a file system's
# errors, and the S3 client's (a connection refused or timed out, an error answered).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def public_media_url(bucket, endpoint_url="", public_url=""):
    """Where browsers fetch media: a CDN or domain in front of the bucket, or else the bucket
    itself (path-style on another S3-compatible endpoint, Amazon's own address without one)."""
    if public_url:
        return public_url.rstrip("/")
    if endpoint_url:
        return f"{endpoint_url.rstrip('/')}/{bucket}"
    return f"https://{bucket}.s3.amazonaws.com"


def s3_storage(bucket, endpoint_url="", region="", public_url="", timeout=5):
    """The STORAGES entry of a bucket whose files are public at ``public_url``.

    A request waits at most ``timeout`` seconds to connect and as long for each answer, and is
    tried twice: botocore's own defaults (60 s each, five tries) would hold a request past
    gunicorn's 30 s timeout when the storage hangs.
    """
    public = urlsplit(public_media_url(bucket, endpoint_url, public_url))
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            # Media is public; a signed address would change on every page and defeat caches.
            "querystring_auth": False,
            "default_acl": None,
            # As on a file system: a name taken gets a new name, never someone else's file.
            "file_overwrite": False,
            # Stored names carry a digest of their content (articles.images): never changing.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            # Addresses are built from this, with no request to the storage on reader pages.
            "custom_domain": public.netloc + public.path,
            "url_protocol": f"{public.scheme}:",
            "client_config": Config(
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"mode": "standard", "total_max_attempts": 2},
            ),
        },
    }
