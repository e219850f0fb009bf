"""The QR code's page, rendered once per worker and served again while nothing it says changed.

Employers scan the same certificate again and again (at a hiring desk), and rendering the page
was most of its cost. Everything that can change what the page says (the certificate's status,
public reason and note, expiry, successor and signing key, and whether its centre has a logo)
is read on every request with one narrow query and is part of the cache key and the ETag, so a
revocation committed by any worker shows on the very next request, here and in any browser or
proxy that revalidates. The body's published keys, against which the signature is checked,
change rarely and are not read per request: a page is kept at most
VERIFICATION_PAGE_CACHE_SECONDS.

Only visitors' pages are kept: a signed-in person's page carries their own navigation.
"""

import hashlib
import threading

from cachetools import TTLCache
from flask import current_app, request
from flask_babel import get_locale
from sqlalchemy import select

from app.accounts.models import Centre
from app.certificates.models import Certificate
from app.dates import today
from app.extensions import db

# What may change on an issued certificate; the rest of it is frozen at issue.
STATE = (
    Certificate.id,
    Certificate.status,
    Certificate.valid_until,
    Certificate.revoked_at,
    Certificate.public_reason,
    Certificate.public_note,
    Certificate.superseded_by_id,
    Certificate.key_id,
    Centre.logo_mimetype,  # whether the centre shows a logo
)
EXTENSION = "verification_page_cache"


def certificate_state(public_id: str) -> tuple | None:
    """The changeable facts of the certificate with this public id, or None if there is none."""
    row = db.session.execute(
        select(*STATE)
        .join(Centre, Centre.id == Certificate.centre_id)
        .where(Certificate.public_id == public_id)
    ).first()
    return None if row is None else tuple(row)


def page_etag(state: tuple) -> str:
    """Names one rendering: this address and language, today (expiry), the certificate's state."""
    logo = current_app.config.get("CERTIFYING_BODY_LOGO")
    key = (request.full_path, str(get_locale()), today().isoformat(), logo, state)
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def _pages() -> tuple[TTLCache, threading.Lock]:
    # One cache per app, i.e. per worker process (and per app in tests that run two of them).
    pages = current_app.extensions.get(EXTENSION)
    if pages is None:
        config = current_app.config
        cache = TTLCache(
            maxsize=config["VERIFICATION_PAGE_CACHE_SIZE"],
            ttl=config["VERIFICATION_PAGE_CACHE_SECONDS"],
        )
        pages = current_app.extensions[EXTENSION] = (cache, threading.Lock())
    return pages


def kept_page(etag: str) -> bytes | None:
    cache, lock = _pages()
    with lock:
        return cache.get(etag)


def keep_page(etag: str, body: bytes) -> None:
    cache, lock = _pages()
    with lock:
        cache[etag] = body
