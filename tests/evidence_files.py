"""Evidence files for tests: real photos, PDFs, office documents and videos, made here."""

import io

from openpyxl import Workbook
from PIL import Image

from app.evidence.services import PREFIX
from app.storage import current_storage


def photo(size=(64, 48), colour=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def spreadsheet() -> bytes:
    book = Workbook()
    book.active["A1"] = "Lista de asistencia"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def video() -> bytes:
    """The start of an MP4 file (its ftyp box) and some data."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4000)


def program() -> bytes:
    """An ELF executable's header: never evidence, whatever it is called."""
    return b"\x7fELF\x02\x01\x01" + bytes(2000)


def stored_evidence_keys() -> list[str]:
    return sorted(item.key for item in current_storage().list(PREFIX))


def stored(key: str) -> bytes:
    with current_storage().open(key) as stream:
        return stream.read()
