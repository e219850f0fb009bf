"""What an evidence file may be, decided from its bytes; and what is kept of the user's name.
Pure functions: no database, no store."""

import unicodedata
from dataclasses import dataclass

import filetype

# filetype reads at most this many bytes from the start of a file.
HEAD_SIZE = 8192
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class EvidenceKind:
    mimetype: str
    extension: str  # the one the store and the ZIP use
    extensions: frozenset[str]  # the ones a user's file name may honestly carry


def _kind(mimetype: str, extension: str, *others: str) -> EvidenceKind:
    return EvidenceKind(mimetype, extension, frozenset({extension, *others}))


# Photos from a tablet or phone, PDFs, office documents (Microsoft and OpenDocument) and short
# videos. Everything else, executables and archives included, is refused.
ALLOWED_KINDS = {
    kind.mimetype: kind
    for kind in (
        _kind("image/jpeg", "jpg", "jpeg", "jpe", "jfif"),
        _kind("image/png", "png"),
        _kind("image/webp", "webp"),
        _kind("image/heic", "heic", "heif"),
        _kind("application/pdf", "pdf"),
        _kind("application/msword", "doc"),
        _kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        _kind("application/vnd.ms-excel", "xls"),
        _kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        _kind("application/vnd.ms-powerpoint", "ppt"),
        _kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        _kind("application/vnd.oasis.opendocument.text", "odt"),
        _kind("application/vnd.oasis.opendocument.spreadsheet", "ods"),
        _kind("application/vnd.oasis.opendocument.presentation", "odp"),
        _kind("video/mp4", "mp4", "m4v"),
        _kind("video/x-m4v", "m4v", "mp4"),
        _kind("video/quicktime", "mov", "qt"),
        _kind("video/webm", "webm"),
        _kind("video/3gpp", "3gp"),
    )
}

# What the file input offers (the tablet's camera first); the server decides by content anyway.
ACCEPT = "image/*,video/*,.pdf," + ",".join(
    sorted({f".{e}" for k in ALLOWED_KINDS.values() for e in k.extensions})
)


def kind_of(head: bytes) -> EvidenceKind | None:
    """The allowed kind the file's first bytes show, or None (unknown or not allowed)."""
    guess = filetype.guess(head)
    return ALLOWED_KINDS.get(guess.mime) if guess else None


def display_name(raw: str | None) -> str:
    """The user's file name as something safe to show: its last path part, without control or
    format characters, in NFC, at most MAX_NAME_LENGTH characters. Never used as a path."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(dot + extension) if dot and len(extension) <= 10 else 0
        name = (stem[:keep] + dot + extension) if keep > 0 else name[:MAX_NAME_LENGTH]
    return name


def claimed_extension(name: str) -> str | None:
    """The extension the name claims, lower case, or None when it has none."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem and extension else None


def name_matches(name: str, kind: EvidenceKind) -> bool:
    """False when the name claims an extension that is not the content's ("foto.pdf" holding
    a JPEG, "informe.docx" holding a program refused anyway): a name without one is fine."""
    extension = claimed_extension(name)
    return extension is None or extension in kind.extensions


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"
