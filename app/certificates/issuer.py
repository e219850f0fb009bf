"""The certifying body as this deployment is configured: its signing key, its published public
keys and its public address. Views, services and the API read them here."""

from pathlib import Path

from flask import current_app

from app.certificates import signing


def current_signing_key():
    """The body's Ed25519 key; raises SigningKeyMissing when none was created."""
    return signing.load_signing_key(Path(current_app.config["SIGNING_KEY_PATH"]))


def published_public_keys() -> dict:
    """The body's public keys by key id, current first, then those retired by key rotation."""
    return signing.published_public_keys(Path(current_app.config["SIGNING_KEY_PATH"]))


def public_base_url() -> str:
    """This deployment's public address, as printed in QR codes and credentials."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def verification_url(public_id: str) -> str:
    return f"{public_base_url()}/v/{public_id}"
