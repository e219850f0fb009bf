"""Pure rules of API tokens: how a secret is made, kept and checked, and what a scope allows."""

import hashlib
import hmac
import secrets

# Recognisable in logs and secret scanners; the rest is 256 bits from the OS.
TOKEN_PREFIX = "avala_"
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """SHA-256 of the secret. A secret of 256 random bits needs no salt or slow hash: nobody can
    guess it, and its digest is the key to look the token up by."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def digests_match(stored: str, presented: str) -> bool:
    return hmac.compare_digest(stored.encode(), presented.encode())


SCOPE_GRANTS = {"read": {"read"}, "issue": {"read", "issue"}}


def scope_allows(scope: str, needed: str) -> bool:
    """An `issue` token may also read; a `read` token may only read."""
    return needed in SCOPE_GRANTS.get(scope, set())
