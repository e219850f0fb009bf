"""Ed25519 signing of certificate data with the certifying body's key."""

import base64
import hashlib
import os
from functools import cache
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask_babel import lazy_gettext as _l

from app.errors import ServiceUnavailable
from app.storage import write_atomically


class SigningKeyMissing(ServiceUnavailable):
    """No private key where the configuration says: nothing can be signed until one is made."""

    def __init__(self, path: Path):
        super().__init__(
            _l(
                "Certificates cannot be issued: the signing key is missing. Ask the "
                "system administrator."
            )
        )
        self.path = path

    def __str__(self) -> str:  # for the operator's log and the CLI
        return f"No signing key at {self.path}. Create one with: flask certificates create-key"


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def create_signing_key(path: Path) -> bool:
    """Write a new private key file at `path` (mode 0600); False if one is already there.

    Only the file: a key signs certificates once it is registered in the database
    (`flask certificates create-key`, app/certificates/keys.py).
    """
    if path.exists():
        return False
    write_atomically(path, private_key_pem(Ed25519PrivateKey.generate()), mode=0o600)
    return True


def retired_keys_dir(path: Path) -> Path:
    """Where key rotation kept retired public keys before they lived in the database; read once
    by `flask certificates create-key` to register them."""
    return path.parent / "retired-signing-keys"


@cache
def _load(path: str, mtime: float) -> Ed25519PrivateKey:
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The private key in the file at `path`, re-read when the file changes (a replaced secret)."""
    if not path.is_file():
        raise SigningKeyMissing(path)
    return _load(str(path), os.stat(path).st_mtime)


@cache
def load_signing_key_pem(pem: str) -> Ed25519PrivateKey:
    """The private key in a PEM text (SIGNING_KEY_PEM)."""
    return serialization.load_pem_private_key(pem.encode("ascii"), password=None)


def _public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return _public_pem(public_key).decode("ascii")


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: Ed25519PrivateKey, payload: str) -> str:
    return _b64url(key.sign(payload.encode("utf-8")))


def verify(public_key: Ed25519PublicKey, payload: str, signature: str) -> bool:
    try:
        public_key.verify(_unb64url(signature), payload.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


# Multicodec prefix of an Ed25519 public key, as used by Multikey (W3C Controlled Identifiers).
_ED25519_MULTICODEC = b"\xed\x01"


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    return "z" + base58.b58encode(_ED25519_MULTICODEC + raw_public_key(public_key)).decode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    decoded = base58.b58decode(value.removeprefix("z"))
    if not decoded.startswith(_ED25519_MULTICODEC):
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def sign_bytes_multibase(key: Ed25519PrivateKey, data: bytes) -> str:
    return "z" + base58.b58encode(key.sign(data)).decode()


def verify_bytes_multibase(public_key: Ed25519PublicKey, data: bytes, value: str) -> bool:
    try:
        public_key.verify(base58.b58decode(value.removeprefix("z")), data)
    except (InvalidSignature, ValueError):
        return False
    return True
