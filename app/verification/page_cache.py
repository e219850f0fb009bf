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
from flask import Response, current_app, request
from flask_babel import get_locale
from sqlalchemy import Engine, bindparam, create_engine, select
from sqlalchemy.pool import NullPool

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
READ_ENGINE = "verification_read_engine"


STATE_QUERY = (
    select(*STATE)
    .join(Centre, Centre.id == Certificate.centre_id)
    .where(Certificate.public_id == bindparam("public_id"))
)


def certificate_state(public_id: str) -> tuple | None:
    """The changeable facts of the certificate with this public id, or None if there is none."""
    read_engine = _read_engine()
    if read_engine is None:
        row = db.session.execute(STATE_QUERY, {"public_id": public_id}).first()
    else:
        row = _read(*read_engine, public_id)
    return None if row is None else tuple(row)


def _read_engine() -> tuple[Engine, str] | None:
    """On PostgreSQL, a small pool of autocommit connections for this one read.

    Through the session the lookup took six round trips (the pool's ping, BEGIN, the query,
    the ROLLBACK at teardown, ...), more than the query itself; an autocommit connection sends
    the query alone and sees every committed change, as a revocation must be seen at once.
    On SQLite nothing travels: the session is as cheap.
    """
    if db.engine.url.get_backend_name() != "postgresql":
        return None
    if READ_ENGINE not in current_app.extensions:
        size = current_app.config["VERIFICATION_READ_POOL_SIZE"]
        pool = {"pool_size": size} if size else {"poolclass": NullPool}
        engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", **pool)
        # Compiled once: building and compiling the statement cost more than its round trip.
        sql = str(STATE_QUERY.compile(dialect=engine.dialect))
        current_app.extensions[READ_ENGINE] = engine, sql
    return current_app.extensions[READ_ENGINE]


def _read(engine: Engine, sql: str, public_id: str):
    # Straight through the driver: SQLAlchemy's result set-up cost more than the round trip.
    # Without a ping before each use, a connection the server dropped (a restart) fails once:
    # the pool is then emptied, and the second try connects afresh.
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(sql, {"public_id": public_id})
            return cursor.fetchone()
        except engine.dialect.loaded_dbapi.OperationalError:
            connection.invalidate()
            engine.dispose()
            if attempt == 2:
                raise
        finally:
            connection.close()
    return None


def page_etag(state: tuple) -> str:
    """Names one rendering: this address and language, today (expiry), the certificate's state."""
    logo = current_app.config.get("CERTIFYING_BODY_LOGO")
    key = (request.path, request.query_string, str(get_locale()), today().isoformat(), logo, state)
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


def revalidated(response: Response, etag: str) -> Response:
    """Any browser or proxy may keep the answer but must ask again each time: the answer to that
    question (304) costs one narrow query, and a revocation is never served from a cache."""
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def kept_answer(public_id: str, render) -> Response | None:
    """The answer for the certificate with this public id, kept as `page_etag` names it: 304 when
    the asker holds it already, the kept bytes, or `render()`'s (a Response) kept for next time.
    None when there is no such certificate."""
    state = certificate_state(public_id)
    if state is None:
        return None
    etag = page_etag(state)
    if request.if_none_match.contains(etag):
        return revalidated(Response(status=304), etag)
    kept = kept_page(etag)
    if kept is None:
        fresh = render()
        kept = (fresh.get_data(), fresh.mimetype)
        keep_page(etag, kept)
    body, mimetype = kept
    return revalidated(Response(body, mimetype=mimetype), etag)
