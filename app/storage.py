"""Files written so that a crash never leaves half a file behind, nor a file without its row."""

import os
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

_UNCOMMITTED_FILES = "avala_uncommitted_files"


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write to a temporary file in the same folder, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
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


def write_with_transaction(session: Session, path: Path, data: bytes) -> None:
    """Write `path` atomically and remove it again unless `session`'s transaction commits.

    A stored PDF whose certificate row was rolled back would be an orphan that nothing points to
    and nobody can account for.
    """
    write_atomically(path, data)
    session.info.setdefault(_UNCOMMITTED_FILES, []).append(path)


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session: Session) -> None:
    session.info.pop(_UNCOMMITTED_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_files_of_uncommitted_transaction(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without after_commit
        for path in session.info.pop(_UNCOMMITTED_FILES, []):
            Path(path).unlink(missing_ok=True)
