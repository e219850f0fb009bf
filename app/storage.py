"""Every file the app keeps, behind one small interface: a local folder or S3-compatible storage.

`STORAGE_URL` chooses the store (README, "Configuration"):

- a path or `file:///path`: a local folder (the default: the instance folder), for one machine;
- `s3://bucket/prefix`: an S3-compatible object store (`S3_ENDPOINT_URL`, credentials from the
  standard AWS environment variables or files), shared by every machine.

Keys are relative, `/`-separated names such as `certificates/2026/<public id>.pdf`. Writes are
atomic on both (a temporary file, fsync and rename on disk; one PUT on S3, which is never seen
half written), and a write made through `put_with_transaction` is undone when the session's
transaction does not commit. Reads stream in chunks; `open_checked` also checks the SHA-256
recorded when the file was written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlparse

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024
# A checked file is copied once into a spooled temporary file while its hash is computed, then
# served from there: kept in memory up to this size, on the local disk beyond it.
SPOOL_IN_MEMORY = 1024 * 1024

_UNCOMMITTED_FILES = "avala_uncommitted_files"
_FILES_TO_DELETE = "avala_files_to_delete"
_KEY = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class StorageError(RuntimeError):
    """The store refused or failed an operation (configuration, permissions, network)."""


class StoredObjectMissing(FileNotFoundError):
    """No stored file has this key."""


class StoredObjectAltered(ValueError):
    """The stored file no longer matches the SHA-256 recorded when it was written."""


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    modified: datetime  # aware, UTC


class Storage(Protocol):
    """What every store offers; keys are checked by `check_key`."""

    url: str

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        """Store `data` (bytes or a binary stream) under `key`, atomically, replacing any."""

    def open(self, key: str) -> BinaryIO:
        """A binary stream of the stored file; raises StoredObjectMissing. Close it after use."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the file; a missing one is not an error."""

    def list(self, prefix: str) -> Iterator[StoredObject]:
        """Every stored file whose key starts with `prefix` (for sweeps), in no set order."""


def check_key(key: str) -> str:
    """A key is relative, `/`-separated, of plain names, never `..`: it can't leave the store."""
    if not _KEY.match(key) or any(part in (".", "..") for part in key.split("/")):
        raise ValueError(f"not a valid storage key: {key!r}")
    return key


# --- local folder -----------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes | BinaryIO, mode: int = 0o644) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(data, bytes | bytearray | memoryview):
                handle.write(data)
            else:
                shutil.copyfileobj(data, handle, CHUNK_SIZE)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class LocalStorage:
    """Files in a folder of this machine. A crash mid-write leaves at most a hidden temporary
    file (`.name.xxxx`), which `list` shows so that a sweep removes it."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.url = self.root.resolve().as_uri()

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        write_atomically(self._path(key), data)

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise StoredObjectMissing(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list(self, prefix: str) -> Iterator[StoredObject]:
        folder, _, start = prefix.rpartition("/")
        base = self.root / check_key(folder) if folder else self.root
        if not base.is_dir():
            return
        for directory, _subfolders, names in os.walk(base):
            for name in names:
                path = Path(directory) / name
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    stat = path.stat()
                except FileNotFoundError:  # removed meanwhile
                    continue
                yield StoredObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))


# --- S3-compatible object store ---------------------------------------------------------------


class S3Storage:
    """Objects in an S3 bucket under `prefix`, through boto3 (one client per process; boto3
    clients are thread-safe). A PUT is atomic: readers see the old object or the new one."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, **options):
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        self.options = options
        self.url = f"s3://{bucket}/{self.prefix}"
        self._client = None
        self._client_pid = None

    @property
    def client(self):
        # A client is not shared across fork (gunicorn's preload): each process makes its own.
        if self._client is None or self._client_pid != os.getpid():
            import boto3
            from botocore.config import Config as BotoConfig

            self._client = boto3.session.Session().client(
                "s3",
                endpoint_url=self.endpoint_url,
                config=BotoConfig(
                    max_pool_connections=32,
                    retries={"mode": "standard", "max_attempts": 5},
                    s3={"addressing_style": self.options.get("addressing_style", "auto")},
                ),
                region_name=self.options.get("region_name"),
            )
            self._client_pid = os.getpid()
        return self._client

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _missing(self, error) -> bool:
        code = error.response.get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def put(self, key: str, data: bytes | BinaryIO) -> None:
        if isinstance(data, bytes | bytearray | memoryview):
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=bytes(data))
        else:  # large streams go up in parts; the object appears only when all are in
            self.client.upload_fileobj(data, self.bucket, self._key(key))

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if self._missing(error):
                raise StoredObjectMissing(key) from None
            raise
        return answer["Body"]

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if self._missing(error):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def list(self, prefix: str) -> Iterator[StoredObject]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield StoredObject(
                    item["Key"][len(self.prefix) :], item["Size"], item["LastModified"]
                )


# --- choosing the store -----------------------------------------------------------------------


def storage_from_url(url: str, endpoint_url: str | None = None, **options) -> Storage:
    """`s3://bucket/prefix`, `file:///path`, or a plain path."""
    parsed = urlparse(str(url))
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise StorageError(f"STORAGE_URL {url!r} names no bucket (s3://bucket/prefix)")
        return S3Storage(parsed.netloc, unquote(parsed.path), endpoint_url, **options)
    if parsed.scheme == "file":
        return LocalStorage(unquote(parsed.path))
    if parsed.scheme in ("", "local") or len(parsed.scheme) == 1:  # a path (or C:\ on Windows)
        return LocalStorage(str(url))
    raise StorageError(f"STORAGE_URL {url!r}: use a path, file:///path or s3://bucket/prefix")


def storage_url_of(config) -> str:
    """STORAGE_URL, else the folder above a legacy CERTIFICATE_STORAGE, else the instance folder.

    CERTIFICATE_STORAGE (before STORAGE_URL) named the folder of the PDFs themselves; those now
    live under `certificates/` in the store, so a folder named `certificates` maps to its
    parent and keeps every file where it is.
    """
    if config.get("STORAGE_URL"):
        return str(config["STORAGE_URL"])
    legacy = config.get("CERTIFICATE_STORAGE")
    if legacy:
        folder = Path(legacy)
        if folder.name != "certificates":
            raise StorageError(
                f"CERTIFICATE_STORAGE={folder} is replaced by STORAGE_URL, whose certificates/ "
                f"subfolder holds the PDFs: move {folder} to <folder>/certificates and set "
                "STORAGE_URL=<folder>"
            )
        return str(folder.parent)
    return str(config["INSTANCE_DIR"])


def storage_from_config(config) -> Storage:
    return storage_from_url(
        storage_url_of(config),
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region_name=config.get("S3_REGION") or None,
        addressing_style=config.get("S3_ADDRESSING_STYLE") or "auto",
    )


def current_storage() -> Storage:
    """The app's store, made once per app from its configuration."""
    from flask import current_app

    extensions = current_app.extensions
    if "avala_storage" not in extensions:
        extensions["avala_storage"] = storage_from_config(current_app.config)
    return extensions["avala_storage"]


# --- reading with a check ---------------------------------------------------------------------


def open_checked(storage: Storage, key: str, sha256: str) -> BinaryIO:
    """The stored file, read once in chunks while its SHA-256 is checked, as a stream at its
    start (in memory up to SPOOL_IN_MEMORY, then on the local disk); the caller closes it.

    Raises StoredObjectMissing or StoredObjectAltered: nothing of a file that fails its check is
    ever served.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
    digest = hashlib.sha256()
    try:
        source = storage.open(key)
        try:
            while chunk := source.read(CHUNK_SIZE):
                digest.update(chunk)
                spool.write(chunk)
        finally:
            source.close()
        if digest.hexdigest() != sha256:
            raise StoredObjectAltered(key)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def size_of(stream: BinaryIO) -> int:
    """The length of a seekable stream, which is left at its start."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


# --- writes that follow the transaction -------------------------------------------------------

# Writes run on a few threads of their own, so a PUT's round trip (or a disk's fsync) overlaps
# with the rest of the issuing transaction; its commit waits for them (wait_for_files).
WRITER_THREADS = 8
_writers: dict[int, ThreadPoolExecutor] = {}


def _writer() -> ThreadPoolExecutor:
    pid = os.getpid()  # threads do not survive a fork: each process has its own pool
    if pid not in _writers:
        _writers.clear()
        _writers[pid] = ThreadPoolExecutor(WRITER_THREADS, thread_name_prefix="avala-storage")
    return _writers[pid]


def put_with_transaction(session: Session, storage: Storage, key: str, data: bytes) -> None:
    """Store `data` under `key` before `session`'s transaction commits, and remove it again
    unless it commits.

    The write starts at once on a writer thread; the commit waits for it and fails with its
    error, if any (so a committed row always has its file). A stored file whose row was rolled
    back would be an orphan that nothing points to and nobody can account for. A process killed
    before its commit cannot undo its write: the key is the one the row would have committed,
    so a sweep that finds no row for it after a grace period removes it
    (app/certificates/files.py).
    """
    future = _writer().submit(storage.put, key, data)
    session.info.setdefault(_UNCOMMITTED_FILES, []).append((storage, key, future))


def put_stream_with_transaction(
    session: Session, storage: Storage, key: str, stream: BinaryIO
) -> None:
    """put_with_transaction for a stream the caller is still reading (an upload): written now,
    in chunks on the caller's thread while the stream is open, and removed again unless
    `session`'s transaction commits. An exception while reading (say, a size limit) leaves
    nothing: the store's write is atomic."""
    storage.put(key, stream)
    written: Future = Future()
    written.set_result(None)
    session.info.setdefault(_UNCOMMITTED_FILES, []).append((storage, key, written))


def delete_after_commit(session: Session, storage: Storage, key: str) -> None:
    """Remove `key` from the store once `session`'s transaction commits, not before: a row that
    stops pointing at a file (purged, removed) must not lose it if the change rolls back."""
    session.info.setdefault(_FILES_TO_DELETE, []).append((storage, key))


def wait_for_files(session: Session) -> None:
    """Wait until every file written in `session`'s transaction is stored; raise the first
    write's error. Called by the commit itself."""
    for _storage, _key, future in session.info.get(_UNCOMMITTED_FILES, []):
        future.result()


@event.listens_for(Session, "before_commit")
def _store_files_before_commit(session: Session) -> None:
    wait_for_files(session)


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session: Session) -> None:
    session.info.pop(_UNCOMMITTED_FILES, None)
    for storage, key in session.info.pop(_FILES_TO_DELETE, []):
        try:
            storage.delete(key)
        except Exception:  # the commit stands; the file is left for an operator to remove
            log.exception("could not remove %s from %s after a commit", key, storage.url)


@event.listens_for(Session, "after_transaction_end")
def _remove_files_of_uncommitted_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without after_commit
        session.info.pop(_FILES_TO_DELETE, None)
        for storage, key, future in session.info.pop(_UNCOMMITTED_FILES, []):
            try:
                future.result()  # a write still under way lands first, then goes
            except Exception:
                log.warning("a write of %s to %s failed before its rollback", key, storage.url)
            try:
                storage.delete(key)
            except Exception:  # the sweep will find it; the rollback itself must go on
                log.exception("could not remove %s from %s after a rollback", key, storage.url)
