"""The body's signing keys on many machines: public halves in the database, one private secret.

Every machine reads the same `signing_keys` table, so each publishes the same issuer profile and
keys. The private half of the active key is read from one configured place (SIGNING_KEY_PEM, or
the file at SIGNING_KEY_PATH: a mounted secret) and is never generated behind an operator's back:
`create_key` makes one only while the database has no active key, and `rotate_key` (run on any
one machine) registers the new key and retires the old one for every machine at once. A machine
still configured with a retired key refuses to sign (503) until its secret is replaced.

Operations here flush; the CLI commands commit.
"""

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.certificates import signing
from app.certificates.models import SigningKey
from app.db_types import utcnow
from app.errors import ServiceUnavailable
from app.extensions import db
from app.storage import write_atomically


class SigningKeyNotUsable(ServiceUnavailable):
    """This machine's configured private key is not the body's active key: nothing is signed."""

    def __init__(self, detail: str):
        super().__init__(
            _l(
                "Certificates cannot be issued on this server right now: its signing key is "
                "not the body's current key. Ask the system administrator."
            )
        )
        self.detail = detail

    def __str__(self) -> str:  # for the operator's log and the CLI
        return self.detail


class KeyRefused(Exception):
    """A key command that would leave the machines with different keys; nothing was changed."""


def _config():
    return current_app.config


def configured_private_key() -> Ed25519PrivateKey | None:
    """The private key this machine is configured with: SIGNING_KEY_PEM, else the key file."""
    pem = _config().get("SIGNING_KEY_PEM")
    if pem:
        return signing.load_signing_key_pem(pem)
    path = Path(_config()["SIGNING_KEY_PATH"])
    if not path.is_file():
        return None
    return signing.load_signing_key(path)


def _where_configured() -> str:
    if _config().get("SIGNING_KEY_PEM"):
        return "SIGNING_KEY_PEM"
    return f"SIGNING_KEY_PATH ({_config()['SIGNING_KEY_PATH']})"


def _registered(key_id: str) -> SigningKey | None:
    return db.session.get(SigningKey, key_id)


def active_key(lock: bool = False) -> SigningKey | None:
    query = select(SigningKey).where(SigningKey.retired_at.is_(None))
    if lock:
        query = query.with_for_update()
    return db.session.scalars(query).one_or_none()


def current_signing_key() -> Ed25519PrivateKey:
    """The private key to sign with: this machine's configured key, if it is the active one.

    Raises SigningKeyMissing when no key is configured, SigningKeyNotUsable when the configured
    key is not registered or was retired (another machine rotated it): never signs with it.
    """
    key = configured_private_key()
    if key is None:
        raise signing.SigningKeyMissing(Path(_config()["SIGNING_KEY_PATH"]))
    key_id = signing.key_id(key.public_key())
    row = _registered(key_id)
    if row is None:
        raise SigningKeyNotUsable(
            f"The signing key configured in {_where_configured()} ({key_id}) is not registered "
            "in the database. Register it with: flask certificates create-key"
        )
    if not row.is_active:
        active = active_key()
        raise SigningKeyNotUsable(
            f"The signing key configured in {_where_configured()} ({key_id}) was retired on "
            f"{row.retired_at:%Y-%m-%d %H:%M} UTC; the active key is "
            f"{active.key_id if active else 'none'}. Install its private key on this machine."
        )
    return key


def _public_key(row: SigningKey) -> Ed25519PublicKey:
    return serialization.load_pem_public_key(row.public_key_pem.encode("ascii"))


def published_public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key whose signatures can be checked, by key id: the active one, then retired ones
    (most recently created first). The same on every machine: read from the database."""
    rows = db.session.scalars(
        select(SigningKey).order_by(
            SigningKey.retired_at.is_not(None), SigningKey.created_at.desc()
        )
    )
    return {row.key_id: _public_key(row) for row in rows}


# A key id is the fingerprint of its public key and published keys are never deleted, so a key
# read once stays right for the life of the process, whatever database it came from.
_public_keys_read: dict[str, Ed25519PublicKey] = {}


def published_public_key(key_id: str) -> Ed25519PublicKey | None:
    """The body's published key with this id (active or retired), or None if there is none."""
    public_key = _public_keys_read.get(key_id)
    if public_key is None:
        row = db.session.get(SigningKey, key_id)
        if row is None:
            return None
        public_key = _public_keys_read[key_id] = _public_key(row)
    return public_key


def active_public_key() -> Ed25519PublicKey | None:
    row = active_key()
    return _public_key(row) if row else None


def _register(public_key: Ed25519PublicKey, retired: bool = False) -> SigningKey:
    row = SigningKey(
        key_id=signing.key_id(public_key),
        public_key_pem=signing.public_key_pem(public_key),
        created_at=utcnow(),
        retired_at=utcnow() if retired else None,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Another machine registered an active key at the same moment (the unique index).
        raise KeyRefused(
            "Another machine registered a signing key at the same moment; nothing was "
            "changed here. Run the command again to see which key is active."
        ) from error
    return row


def _import_retired_key_files() -> list[str]:
    """Register the public keys that key rotation kept as files before keys lived in the database
    (retired-signing-keys/ beside the key file), so upgraded deployments keep publishing them."""
    folder = signing.retired_keys_dir(Path(_config()["SIGNING_KEY_PATH"]))
    imported = []
    for path in sorted(folder.glob("*.pem")) if folder.is_dir() else []:
        public_key = serialization.load_pem_public_key(path.read_bytes())
        if _registered(signing.key_id(public_key)) is None:
            imported.append(_register(public_key, retired=True).key_id)
    return imported


@dataclass
class KeyOutcome:
    key_id: str
    created: bool  # a new private key was written to SIGNING_KEY_PATH
    registered: bool  # the key was added to the database now
    imported: list[str]  # retired keys found as files and registered


def create_key() -> KeyOutcome:
    """Make sure the body's active key is the one configured here; idempotent.

    - no key configured and none registered: make one, write it to SIGNING_KEY_PATH, register it;
    - a key configured and none registered: register it (a deployment from before the table);
    - the configured key is the active one: nothing to do;
    - anything else would give the machines different keys: refused with KeyRefused.
    """
    imported = _import_retired_key_files()
    configured = configured_private_key()
    active = active_key(lock=True)
    if configured is None:
        if active is not None:
            raise KeyRefused(
                f"The database already has an active signing key ({active.key_id}), but this "
                f"machine has no private key in {_where_configured()}. Install that key's private "
                "half here (the secret shared by every machine); a new key would not be trusted."
            )
        if _config().get("SIGNING_KEY_PEM"):
            raise KeyRefused("SIGNING_KEY_PEM is set but empty.")
        key = Ed25519PrivateKey.generate()
        row = _register(key.public_key())
        _write_private_key(Path(_config()["SIGNING_KEY_PATH"]), key)
        return KeyOutcome(row.key_id, created=True, registered=True, imported=imported)
    key_id = signing.key_id(configured.public_key())
    if active is not None and active.key_id == key_id:
        return KeyOutcome(key_id, created=False, registered=False, imported=imported)
    if active is not None:
        raise KeyRefused(
            f"The database's active signing key is {active.key_id}, but this machine is "
            f"configured with key {key_id} in {_where_configured()}. Every machine must use the "
            f"active key: install its private half here. Nothing was changed."
        )
    if _registered(key_id) is not None:
        raise KeyRefused(
            f"The key configured in {_where_configured()} ({key_id}) was retired and cannot sign "
            "again. Install the current key, or make a new one by rotating from the machine "
            "that has it."
        )
    row = _register(configured.public_key())
    return KeyOutcome(row.key_id, created=False, registered=True, imported=imported)


def _write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    write_atomically(path, signing.private_key_pem(key), mode=0o600)


def new_key_path(path: Path) -> Path:
    """Where rotate_key writes the new private key until the rotation is committed."""
    return path.with_name(path.name + ".new")


def rotate_key() -> tuple[str, str, Path]:
    """Retire the active key (its public half stays published) and register a new one.

    Runs on any one machine whose configured key is the active one. The new private key is
    written to `new_key_path(SIGNING_KEY_PATH)`; the caller commits, then moves it into place
    (`finish_rotation`). Returns the old and new key ids and the new key's file.
    """
    active = active_key(lock=True)  # two rotations at once: the second waits, then refuses
    configured = configured_private_key()
    if configured is None:
        raise KeyRefused(str(signing.SigningKeyMissing(Path(_config()["SIGNING_KEY_PATH"]))))
    key_id = signing.key_id(configured.public_key())
    if active is None or active.key_id != key_id:
        raise KeyRefused(
            f"This machine's key ({key_id}, from {_where_configured()}) is not the active key "
            f"({active.key_id if active else 'none registered'}): rotate from a machine that has "
            "the active key, or register one with: flask certificates create-key"
        )
    active.retired_at = utcnow()
    db.session.flush()  # the old key stops being active before the new one is
    new_key = Ed25519PrivateKey.generate()
    row = _register(new_key.public_key())
    staged = new_key_path(Path(_config()["SIGNING_KEY_PATH"]))
    _write_private_key(staged, new_key)
    return key_id, row.key_id, staged


def finish_rotation(staged: Path) -> Path:
    """After the commit: the new private key replaces this machine's key file."""
    path = Path(_config()["SIGNING_KEY_PATH"])
    staged.replace(path)
    return path
