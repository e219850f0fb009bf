"""Readiness: can this process serve requests? Each dependency is checked and named.

Answers say only which check failed and a short fixed reason, never addresses or error texts
(the probe is public); the details go to the log.
"""

import logging
import uuid

import redis
from flask import current_app
from sqlalchemy import text

from app.certificates import keys
from app.certificates.signing import SigningKeyMissing
from app.extensions import db
from app.storage import current_storage

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def _database() -> str | None:
    db.session.execute(text("SELECT 1"))
    return None


def redis_urls() -> dict[str, str]:
    """The Redis servers this configuration uses, by what they hold."""
    config = current_app.config
    urls = {
        "rate_limits": config.get("RATELIMIT_STORAGE_URI") or "",
        "queue": config.get("HUEY_REDIS_URL") or "",
    }
    return {name: url for name, url in urls.items() if url.startswith(("redis://", "rediss://"))}


def _redis(url: str):
    def check() -> str | None:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
        return None

    return check


def _storage() -> str | None:
    """The store of issued files (local folder or S3) takes a file and gives it back."""
    store = current_storage()
    probe = f"readyz/{uuid.uuid4().hex}"
    store.put(probe, b"ok")
    try:
        if not store.exists(probe):
            return "written file not found"
    finally:
        store.delete(probe)
    return None


def _signing_key() -> str | None:
    try:
        keys.current_signing_key()
    except SigningKeyMissing:
        return "missing"
    except keys.SigningKeyNotUsable:
        return "not the active key"
    return None


def readiness() -> dict[str, dict]:
    """Every check by name: {"ok": bool, "error": reason or absent}."""
    checks = {"database": _database}
    for name, url in redis_urls().items():
        checks[f"redis_{name}"] = _redis(url)
    checks["storage"] = _storage
    checks["signing_key"] = _signing_key
    results = {}
    for name, check in checks.items():
        try:
            problem = check()
        except Exception:  # any failure of a dependency is a "not ready", never a 500
            log.exception("readiness check %s failed", name)
            problem = "unreachable"
            db.session.rollback()
        results[name] = {"ok": problem is None, **({"error": problem} if problem else {})}
    return results
