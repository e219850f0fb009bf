"""Looking at and damaging the app's store from tests, the same way on every backend."""

from app.certificates.files import PREFIX, key_of
from app.storage import current_storage


def stored_keys() -> list[str]:
    """Every file under certificates/ in the app's store."""
    return sorted(item.key for item in current_storage().list(PREFIX))


def stored_bytes(certificate) -> bytes:
    with current_storage().open(key_of(certificate.pdf_path)) as stream:
        return stream.read()


def corrupt(certificate) -> None:
    """Change one byte pattern of the stored PDF, as a disk fault or an intruder would."""
    data = stored_bytes(certificate)
    current_storage().put(key_of(certificate.pdf_path), data.replace(b"/Type", b"/Tipo", 1))


def remove(certificate) -> None:
    current_storage().delete(key_of(certificate.pdf_path))
