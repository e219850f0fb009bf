"""API tokens: created and revoked by a centre administrator, checked on every API request.

Every token's life is in the audit trail: created, revoked, each write it made (a batch
started), each refusal of a write its scope does not allow, and its reads aggregated to one
event per token per hour (`api_token.used`, with the first request of the hour): a token that
reads certificates every second would otherwise bury the trail, and its last use is on the
token itself (`last_used_at`, to the minute).
"""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.accounts.models import User
from app.accounts.roles import Role
from app.api import rules
from app.api.models import ApiToken, TokenScope
from app.audit.services import record_alarm, record_event
from app.certificates.batches import create_batch
from app.certificates.models import IssuanceBatch
from app.db_types import utcnow
from app.errors import NotFound, PermissionDenied, ValidationFailed
from app.extensions import db

MAX_NAME = 80
LAST_USED_RESOLUTION = timedelta(minutes=1)


def ensure_may_manage_tokens(actor: User) -> None:
    """Only a centre administrator hands out keys to the centre's data."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_l("Only the centre administrator can manage API tokens."))


def create_token(actor: User, name: str, scope: TokenScope) -> tuple[ApiToken, str]:
    """A new token of the actor's centre. Returns it with its secret, which is stored only as a
    hash: the caller shows it once and forgets it. The caller commits."""
    ensure_may_manage_tokens(actor)
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValidationFailed.on("name", _l("Give the token a name of up to 80 characters."))
    secret = rules.new_secret()
    token = ApiToken(
        centre_id=actor.centre_id,
        name=name,
        scope=TokenScope(scope),
        prefix=secret[: rules.SHOWN_PREFIX_LENGTH],
        secret_sha256=rules.secret_digest(secret),
        created_by_id=actor.id,
    )
    db.session.add(token)
    db.session.flush()
    record_event(actor, "api_token.created", token, name=name, scope=token.scope.value)
    return token, secret


def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token of the actor's centre; from then on it is refused. Revoking twice (a
    double click, two administrators) records one revocation. The caller commits."""
    ensure_may_manage_tokens(actor)
    if token.centre_id != actor.centre_id:
        raise NotFound()
    revoked = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(token)
    if revoked:
        record_event(actor, "api_token.revoked", token, name=token.name)
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The active token whose secret this is, or None (unknown, malformed, revoked, or of a
    deactivated centre alike)."""
    if not secret or len(secret) > 200:
        return None
    digest = rules.secret_digest(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.secret_sha256 == digest))
    if token is None or not rules.digests_match(token.secret_sha256, digest):
        return None
    return token if token.is_active and token.centre.is_active else None


def ensure_token_may(token: ApiToken, needed: str, request_line: str) -> None:
    """Raise PermissionDenied when the token's scope does not cover `needed`; the refusal is
    kept in the trail even though the request that made it is rolled back."""
    if rules.scope_allows(token.scope.value, needed):
        return
    record_alarm(None, "api_token.refused", token, needed=needed, request=request_line)
    raise PermissionDenied(_l("This API token may only read. Create one with the issue scope."))


def record_use(token: ApiToken, request_line: str) -> None:
    """Note that the token was used now: `last_used_at` to the minute, and the first use of
    each hour in the audit trail (reads are aggregated; writes are recorded by what they do)."""
    now = utcnow()
    previous = token.last_used_at
    if previous is not None and now - previous < LAST_USED_RESOLUTION:
        return
    token.last_used_at = now
    hour = now.replace(minute=0, second=0, microsecond=0)
    if previous is None or previous < hour:
        record_event(None, "api_token.used", token, hour=hour.isoformat(), first=request_line)


def start_batch(token: ApiToken, assessment_ids: list[int]) -> IssuanceBatch:
    """A batch of the token's centre, recorded as the token's creator's; the caller queues its
    run after committing."""
    batch = create_batch(_acting_for(token), assessment_ids)
    record_event(
        token.created_by,
        "api.batch_started",
        batch,
        token_id=token.id,
        assessments=len(batch.items),
    )
    return batch


def _acting_for(token: ApiToken) -> User:
    """The user a token acts for: its creator, held to the token's centre."""
    user = token.created_by
    if user.centre_id != token.centre_id:  # pragma: no cover - a token never changes centre
        raise PermissionDenied()
    return user
