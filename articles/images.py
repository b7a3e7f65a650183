"""Hero images: what an upload may be, and what is kept of it.

Uploads are checked by content, never by file name. What is stored is re-encoded from the pixels
alone, so no EXIF, GPS position or other metadata of the photographer's file survives.
"""

import io
import warnings
from hashlib import sha256
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFilter, ImageOps

MAX_BYTES = 15 * 1024 * 1024
TOO_LARGE = _("The image is larger than 15 MB.")
MAX_PIXELS = 40_000_000
# Pillow's decompression-bomb guard, tightened to our limit for every image this process opens.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Stored files are named by their format, whatever the upload was called: served media is
# typed by this name (newsroom.views.media), so a JPEG called "x.html" never becomes a page.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED_FORMATS = set(EXTENSIONS)
MEDIA_TYPES = {f".{extension}": f"image/{name.lower()}" for name, extension in EXTENSIONS.items()}
RENDITION_WIDTHS = (480, 960, 1200, 1600)
# Link previews take the widest rendition up to this: networks refuse large files (X at 5 MB,
# Facebook at 8 MB) and show nothing wider.
SHARE_WIDTH = 1200
# The stored original fits this square: enough for any screen, a fraction of a camera's file.
MAX_SIDE = 2560
QUALITY = 82
# Stored names are cut to this many characters: the file field holds 100 with its folders,
# and every file system 255 bytes per name.
STEM_LENGTH = 50


def validate_hero_image(upload):
    """Refuse anything but a JPEG, PNG or WebP of at most 15 MB and 40 megapixels."""
    if getattr(upload, "_committed", False):
        # Already stored, so already checked: saving an article does not reopen its image.
        return
    if upload.size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Past MAX_IMAGE_PIXELS Pillow only warns; treat that as the refusal it is.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image has more than 40 megapixels."), code="too_many_pixels"
        ) from None
    except Exception:
        # Pillow raises many kinds of error on a damaged or foreign file: all mean "not an image".
        raise ValidationError(
            _("The file is not a JPEG, PNG or WebP image."), code="invalid_image"
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("The file is not a JPEG, PNG or WebP image."), code="bad_format")
    if width * height > MAX_PIXELS:
        raise ValidationError(_("The image has more than 40 megapixels."), code="too_many_pixels")


def _encode(image, image_format):
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=QUALITY, optimize=True)
    else:
        # No exif=, icc_profile= or pnginfo= arguments: nothing but pixels is written.
        image.save(buffer, image_format, quality=QUALITY)
    return buffer.getvalue()


def stored_stem(name):
    """The part of a stored file's name that comes from the upload's name, made safe.

    The storage's own cleaning (no "<", "/" or spaces) keeps unicode letters; the length is
    then cut, and a name with nothing left (emoji only) becomes "image".
    """
    try:
        stem = default_storage.get_valid_name(PurePosixPath(name).stem)
    except SuspiciousFileOperation:
        stem = ""
    return stem[:STEM_LENGTH].strip("._-") or "image"


def clean_and_render(upload):
    """Upright, metadata-free content for ``upload``, bounded to MAX_SIDE, and its renditions.

    Returns ``(content, width, height, renditions)``: ``content`` replaces the upload, and
    ``renditions`` lists ``{"width", "height", "jpeg", "webp"}`` with stored file names, so that
    pages build their ``srcset`` without any query. Every name carries a digest of the pixels:
    media is served as never changing (newsroom.views.media), so new pixels need a new name.
    """
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        image = ImageOps.exif_transpose(original)
        if image.mode not in {"RGB", "RGBA", "L"}:
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        # A fresh image holds the pixels only: EXIF, XMP, ICC and text chunks stay behind.
        image = Image.frombytes(image.mode, image.size, image.tobytes())
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    encoded = _encode(image, image_format)
    stem = f"{stored_stem(upload.name)}-{sha256(encoded).hexdigest()[:12]}"
    content = ContentFile(encoded, name=f"{stem}.{EXTENSIONS[image_format]}")

    renditions = []
    for width in sorted({min(width, image.width) for width in RENDITION_WIDTHS}):
        height = round(image.height * width / image.width) or 1
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        names = {
            kind: default_storage.save(
                f"heroes/renditions/{stem}-{width}.{EXTENSIONS[image_format]}",
                ContentFile(_encode(resized, image_format)),
            )
            for kind, image_format in (("jpeg", "JPEG"), ("webp", "WEBP"))
        }
        renditions.append({"width": width, "height": height, **names})
    return content, image.width, image.height, renditions


def share_rendition(renditions):
    """The widest rendition link previews may use, or None for an image stored without any."""
    fitting = [rendition for rendition in renditions if rendition["width"] <= SHARE_WIDTH]
    return max(fitting, key=lambda rendition: rendition["width"], default=None)


def srcset(renditions, kind):
    """The ``srcset`` value for one kind (``"jpeg"`` or ``"webp"``) of rendition."""
    return ", ".join(
        f"{default_storage.url(rendition[kind])} {rendition['width']}w" for rendition in renditions
    )


# A sensitive image's stand-in: wide enough for the article column, and so blurred that
# nothing of what it shows can be made out (a blur by CSS alone leaves the image in the page).
BLURRED_WIDTH = 960
BLUR_SAMPLES = 24


def blurred_rendition(file, name):
    """Store a heavily blurred rendition of the image in ``file``; its ``rendition`` dict.

    The image is first reduced to a few dozen pixels across, so that no detail survives
    whatever the blur radius, then enlarged again and smoothed.
    """
    file.seek(0)
    with Image.open(file) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
    width = min(BLURRED_WIDTH, image.width)
    height = round(image.height * width / image.width) or 1
    samples = (BLUR_SAMPLES, max(1, round(BLUR_SAMPLES * height / width)))
    small = image.resize(samples, Image.Resampling.BOX)
    blurred = small.resize((width, height), Image.Resampling.BICUBIC).filter(
        ImageFilter.GaussianBlur(width / BLUR_SAMPLES)
    )
    encoded = {kind: _encode(blurred, kind.upper()) for kind in ("jpeg", "webp")}
    stem = f"{stored_stem(name)}-blurred-{sha256(encoded['jpeg']).hexdigest()[:12]}"
    names = {
        kind: default_storage.save(
            f"heroes/renditions/{stem}.{EXTENSIONS[kind.upper()]}", ContentFile(content)
        )
        for kind, content in encoded.items()
    }
    return {"width": width, "height": height, **names}
