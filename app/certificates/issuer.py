"""The certifying body as this deployment is configured: its signing key, its published public
keys and its public address. Views, services and the API read them here."""

from flask import current_app

from app.certificates import keys


def current_signing_key():
    """The body's active Ed25519 key as configured on this machine; raises SigningKeyMissing when
    none is configured, SigningKeyNotUsable when it is not the active key in the database."""
    return keys.current_signing_key()


def published_public_keys() -> dict:
    """The body's public keys by key id, active first, then retired ones: from the database, so
    every machine publishes the same."""
    return keys.published_public_keys()


def published_public_key(key_id: str):
    """The body's published key with this id, active or retired, or None."""
    return keys.published_public_key(key_id)


def active_public_key():
    """The public half of the key that signs new certificates, or None before one exists."""
    return keys.active_public_key()


def public_base_url() -> str:
    """This deployment's public address, as printed in QR codes and credentials."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def verification_url(public_id: str) -> str:
    return f"{public_base_url()}/v/{public_id}"
