"""The storage interface (app/storage.py), the same on the local folder and on S3 (moto's
server over real HTTP), and how STORAGE_URL chooses the store."""

import io
from pathlib import Path

import pytest

from app.storage import (
    LocalStorage,
    S3Storage,
    StorageError,
    StoredObjectAltered,
    StoredObjectMissing,
    current_storage,
    open_checked,
    storage_from_config,
    storage_from_url,
)
from tests.conftest import STORAGES, storage_for


@pytest.fixture(params=STORAGES)
def storage_settings(request):
    return storage_for(request)


@pytest.fixture
def storage(app):
    return current_storage()


def test_put_open_exists_delete(storage):
    assert not storage.exists("evidence/1/foto.jpg")
    storage.put("evidence/1/foto.jpg", b"first")
    storage.put("evidence/1/foto.jpg", io.BytesIO(b"second, from a stream"))
    assert storage.exists("evidence/1/foto.jpg")
    with storage.open("evidence/1/foto.jpg") as stream:
        assert stream.read() == b"second, from a stream"
    storage.delete("evidence/1/foto.jpg")
    storage.delete("evidence/1/foto.jpg")  # already gone: not an error
    assert not storage.exists("evidence/1/foto.jpg")
    with pytest.raises(StoredObjectMissing):
        storage.open("evidence/1/foto.jpg")


def test_list_gives_every_key_under_a_prefix_with_size_and_age(storage):
    for key in ("certificates/2026/a.pdf", "certificates/2027/b.pdf", "exports/c.csv"):
        storage.put(key, key.encode())
    listed = {item.key: item for item in storage.list("certificates/")}
    assert sorted(listed) == ["certificates/2026/a.pdf", "certificates/2027/b.pdf"]
    assert listed["certificates/2026/a.pdf"].size == len(b"certificates/2026/a.pdf")
    assert listed["certificates/2026/a.pdf"].modified.utcoffset() is not None
    assert [item.key for item in storage.list("nothing/")] == []


def test_a_large_file_is_read_in_chunks_and_checked(storage):
    import hashlib

    data = bytes(range(256)) * 12 * 1024  # 3 MiB: beyond what a checked read keeps in memory
    storage.put("exports/big.bin", io.BytesIO(data))
    with open_checked(storage, "exports/big.bin", hashlib.sha256(data).hexdigest()) as stream:
        assert stream.read() == data
    with pytest.raises(StoredObjectAltered):
        open_checked(storage, "exports/big.bin", hashlib.sha256(b"other").hexdigest())
    with pytest.raises(StoredObjectMissing):
        open_checked(storage, "exports/none.bin", hashlib.sha256(b"").hexdigest())


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "a//b", "a/./b", "", "a\\b"])
def test_a_key_cannot_leave_the_store(storage, key):
    with pytest.raises(ValueError):
        storage.put(key, b"x")


def test_storage_url_chooses_the_store(tmp_path):
    assert isinstance(storage_from_url(str(tmp_path)), LocalStorage)
    local = storage_from_url(tmp_path.as_uri())
    assert isinstance(local, LocalStorage) and local.root == tmp_path
    s3 = storage_from_url("s3://avala-prod/mx/certificados", endpoint_url="http://s3.local")
    assert isinstance(s3, S3Storage)
    assert (s3.bucket, s3.prefix, s3.endpoint_url) == (
        "avala-prod",
        "mx/certificados/",
        "http://s3.local",
    )
    assert storage_from_url("s3://avala-prod").prefix == ""
    with pytest.raises(StorageError):
        storage_from_url("s3:///no-bucket")
    with pytest.raises(StorageError):
        storage_from_url("ftp://example.com/x")


def test_the_instance_folder_is_the_default_and_certificate_storage_still_works(tmp_path):
    config = {"INSTANCE_DIR": tmp_path, "STORAGE_URL": None, "CERTIFICATE_STORAGE": None}
    assert storage_from_config(config).root == tmp_path
    legacy = {**config, "CERTIFICATE_STORAGE": str(tmp_path / "srv" / "certificates")}
    assert storage_from_config(legacy).root == tmp_path / "srv"  # PDFs stay where they are
    with pytest.raises(StorageError, match="STORAGE_URL"):
        storage_from_config({**config, "CERTIFICATE_STORAGE": str(tmp_path / "pdfs")})
    chosen = {**legacy, "STORAGE_URL": str(tmp_path / "store")}
    assert storage_from_config(chosen).root == Path(tmp_path / "store")
