"""The one way an uploaded file is taken in: bounded in bytes, typed by its content (never by its
name), and for images bounded in pixels and re-encoded. Every refusal is a field error
(ValidationFailed.on(field, ...)) in the user's language.

Why pixels: a PNG of 48 KB can claim 20000 × 20000 pixels; decoding it takes gigabytes (Pillow
refuses it with DecompressionBombError, which was a 500), and one of 6000 × 6000 in 4 KB was
accepted and then slowed every certificate printing it down tenfold. The size is read from the
header, before any pixel is decoded, and what is kept is a re-encoded copy fit for print.
"""

import io
import math
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from app.errors import ValidationFailed

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
# 16 megapixels (4000 × 4000): decoding one takes at most 64 MB.
MAX_IMAGE_PIXELS = 16_000_000
# The long side of a kept image: 1000 px print 8.5 cm wide at 300 dpi, more than a logo needs.
PRINT_LONG_SIDE = 1000
JPEG_QUALITY = 90
DAMAGED = _l("The image could not be read; the file may be damaged.")


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    mimetype: str
    width: int
    height: int


def read_limited(stream: BinaryIO, max_bytes: int, *, field: str) -> bytes:
    """The whole upload, or ValidationFailed on `field` as soon as it exceeds `max_bytes`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(field, max_bytes)
    return data


@dataclass(frozen=True)
class CheckedDocument:
    data: bytes
    mimetype: str
    extension: str


PDF_MAGIC = b"%PDF-"
# A scanned document keeps more detail than a logo: 2000 px on its long side.
DOCUMENT_LONG_SIDE = 2000


def check_document(data: bytes, *, field: str, max_bytes: int) -> CheckedDocument:
    """A copy of a document (a certificate issued elsewhere), or ValidationFailed on `field`: a
    PDF, kept as sent (its header and end checked), or a PNG or JPEG photo or scan, re-encoded
    as check_image does."""
    if len(data) > max_bytes:
        raise _too_large(field, max_bytes)
    if data.startswith(PDF_MAGIC):
        if b"%%EOF" not in data[-1024:]:
            raise ValidationFailed.on(field, _l("The PDF is incomplete; the file may be damaged."))
        return CheckedDocument(data, "application/pdf", ".pdf")
    try:
        image = check_image(data, field=field, max_bytes=max_bytes, long_side=DOCUMENT_LONG_SIDE)
    except ValidationFailed:
        raise ValidationFailed.on(
            field, _l("Attach the certificate as a PDF, PNG or JPEG file.")
        ) from None
    return CheckedDocument(
        image.data, image.mimetype, ".png" if "png" in image.mimetype else ".jpg"
    )


def check_image(
    data: bytes,
    *,
    field: str,
    max_bytes: int,
    max_pixels: int = MAX_IMAGE_PIXELS,
    formats: dict[str, str] = IMAGE_FORMATS,
    long_side: int = PRINT_LONG_SIDE,
) -> CheckedImage:
    """A re-encoded copy of an uploaded image, or ValidationFailed on `field`.

    The format is the one Pillow detects among `formats` (PNG or JPEG by default); the pixel
    size is checked from the header before decoding; the copy is at most `long_side` pixels on
    its long side, turned upright as the camera meant it, in the same format, without metadata
    (EXIF, location, comments, colour profiles).
    """
    if len(data) > max_bytes:
        raise _too_large(field, max_bytes)
    with _opened(data, field=field, max_pixels=max_pixels, formats=formats) as image:
        # A phone's JPEG often carries a second picture, which Pillow reports as MPO.
        kind = "JPEG" if image.format == "MPO" else image.format
        if kind not in formats:
            raise _not_in_formats(field, formats)
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(field, max_pixels)
        try:
            with _complete_files_only():
                fitted = _fit_for_print(image, kind, long_side)
            copy = _encoded(fitted, kind)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise ValidationFailed.on(field, DAMAGED) from None
    return CheckedImage(copy, formats[kind], *fitted.size)


def _opened(data: bytes, *, field: str, max_pixels: int, formats: dict[str, str]) -> Image.Image:
    """The image with its header read and no pixel decoded yet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the decoders of the allowed formats ever see the bytes.
            return Image.open(io.BytesIO(data), formats=list(formats))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(field, max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_in_formats(field, formats) from None


@contextmanager
def _complete_files_only():
    """Decode strictly: a cut-off upload is refused, not padded with grey.

    WeasyPrint tolerates truncated images process-wide once imported (its documents may hold
    broken images); certificates only embed design files and logos checked here, so turning
    the tolerance off while one upload is decoded costs them nothing.
    """
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _fit_for_print(image: Image.Image, kind: str, long_side: int) -> Image.Image:
    if kind == "JPEG":
        image.draft("RGB", (long_side, long_side))  # decode at a reduced scale where it can
    image = ImageOps.exif_transpose(image)
    image = image.convert(_mode_for(image, kind))  # palettes resize badly; JPEG has no alpha
    image.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    image.info = {}  # no EXIF, text chunks or colour profile reach the saved copy
    return image


def _mode_for(image: Image.Image, kind: str) -> str:
    if kind == "JPEG":
        return "L" if image.mode == "L" else "RGB"
    if "A" in image.getbands() or "transparency" in image.info:
        return "RGBA"
    return "L" if image.mode in ("1", "L") else "RGB"


def _encoded(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": JPEG_QUALITY} if kind == "JPEG" else {}
    image.save(buffer, kind, optimize=True, **options)
    return buffer.getvalue()


def _not_in_formats(field: str, formats: dict[str, str]) -> ValidationFailed:
    return ValidationFailed.on(
        field,
        _l(
            "The file must be an image in one of these formats: %(formats)s.",
            formats=", ".join(formats),
        ),
    )


def _too_large(field: str, max_bytes: int) -> ValidationFailed:
    return ValidationFailed.on(
        field, _l("The file must be at most %(limit)s.", limit=_size_label(max_bytes))
    )


def _too_many_pixels(field: str, max_pixels: int) -> ValidationFailed:
    side = math.isqrt(max_pixels)
    return ValidationFailed.on(
        field,
        _l(
            "The image has too many pixels: at most %(megapixels)d megapixels "
            "(for example %(side)d × %(side)d).",
            megapixels=max_pixels // 1_000_000,
            side=side,
        ),
    )


def _size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size // 1024} KB"
