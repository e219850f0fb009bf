"""The body administrator's hand on a centre: correct its name, code and city, deactivate it
and reactivate it (opening one: services.create_centre; its certificate design and logo are
the centre administrator's, services.update_centre_branding).

A deactivated centre keeps everything it recorded: its certificates stay valid and public,
its candidates can still log in (they are people of the whole body, perhaps enrolled at other
centres), but its staff cannot log in (User.is_active) and its API tokens stop working until
the centre is reactivated.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Centre, User
from app.accounts.roles import Role
from app.audit.services import record_event
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import violates

LIMITS = {"code": 20, "name": 200, "city": 120}


@dataclass(frozen=True)
class CentreDetails:
    code: str
    name: str
    city: str = ""


def ensure_may_administer_centres(actor: User) -> None:
    if actor is None or getattr(actor, "role", None) != Role.BODY_ADMIN:
        raise PermissionDenied(_l("Only the body administrator can change centres."))


def _cleaned(details: CentreDetails) -> dict[str, str]:
    values = {
        "code": " ".join((details.code or "").split()).upper(),
        "name": " ".join((details.name or "").split()),
        "city": " ".join((details.city or "").split()),
    }
    problems: dict[str, list] = {}
    for field in ("code", "name"):
        if not values[field]:
            problems.setdefault(field, []).append(_l("This field is required."))
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            problems.setdefault(field, []).append(_l("At most %(n)d characters.", n=limit))
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], problems)
    return values


def update_centre(actor: User, centre: Centre, details: CentreDetails) -> Centre:
    """Correct a centre's code, name and city. The code stays unique across the body (the
    database's unique index decides between two requests at once). Certificates already issued
    keep the data they were issued with. Raises PermissionDenied or ValidationFailed (per field);
    nothing changes then."""
    ensure_may_administer_centres(actor)
    values = _cleaned(details)
    taken = db.session.scalar(
        select(Centre.id).where(func.upper(Centre.code) == values["code"], Centre.id != centre.id)
    )
    if taken:
        raise ValidationFailed.on("code", _l("A centre with this code already exists."))
    changed = {
        field: {"from": getattr(centre, field), "to": value}
        for field, value in values.items()
        if getattr(centre, field) != value
    }
    if not changed:
        return centre
    for field, value in values.items():
        setattr(centre, field, value)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # the unique index on the code, under a parallel change
        if violates(error, "uq_centres_code"):
            raise ValidationFailed.on(
                "code", _l("A centre with this code already exists.")
            ) from None
        raise
    record_event(actor, "centre.updated", centre, changes=changed)
    return centre


def deactivate_centre(actor: User, centre: Centre) -> None:
    """Stop the centre's staff from logging in (their open sessions end at their next request)
    and its API tokens from working; its records stay. Raises PermissionDenied."""
    ensure_may_administer_centres(actor)
    if not centre.is_active:
        return
    centre.is_active = False
    db.session.flush()
    record_event(actor, "centre.deactivated", centre)


def reactivate_centre(actor: User, centre: Centre) -> None:
    """Let the centre's staff log in again. Raises PermissionDenied."""
    ensure_may_administer_centres(actor)
    if centre.is_active:
        return
    centre.is_active = True
    db.session.flush()
    record_event(actor, "centre.reactivated", centre)
