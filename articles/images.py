"""Hero images: what an upload may be, and what is kept of it.

Uploads are checked by content, never by file name. What is stored is re-encoded from the pixels
alone, so no EXIF, GPS position or other metadata of the photographer's file survives.
"""

import io
import warnings
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow's decompression-bomb guard, tightened to our limit for every image this process opens.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Stored files are named by their format, whatever the upload was called: served media is
# typed by this name (newsroom.views.media), so a JPEG called "x.html" never becomes a page.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED_FORMATS = set(EXTENSIONS)
MEDIA_TYPES = {f".{extension}": f"image/{name.lower()}" for name, extension in EXTENSIONS.items()}
RENDITION_WIDTHS = (480, 960, 1600)
QUALITY = 82


def validate_hero_image(upload):
    """Refuse anything but a JPEG, PNG or WebP of at most 15 MB and 40 megapixels."""
    if getattr(upload, "_committed", False):
        # Already stored, so already checked: saving an article does not reopen its image.
        return
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The image is larger than 15 MB."), code="too_large")
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


def clean_and_render(upload):
    """Upright, metadata-free content for ``upload``, and its renditions.

    Returns ``(content, width, height, renditions)``: ``content`` replaces the upload, and
    ``renditions`` lists ``{"width", "height", "jpeg", "webp"}`` with stored file names, so that
    pages build their ``srcset`` without any query.
    """
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        image = ImageOps.exif_transpose(original)
        if image.mode not in {"RGB", "RGBA", "L"}:
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        # A fresh image holds the pixels only: EXIF, XMP, ICC and text chunks stay behind.
        image = Image.frombytes(image.mode, image.size, image.tobytes())
    stem = PurePosixPath(upload.name).stem
    content = ContentFile(_encode(image, image_format), name=f"{stem}.{EXTENSIONS[image_format]}")

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


def srcset(renditions, kind):
    """The ``srcset`` value for one kind (``"jpeg"`` or ``"webp"``) of rendition."""
    return ", ".join(
        f"{default_storage.url(rendition[kind])} {rendition['width']}w" for rendition in renditions
    )
