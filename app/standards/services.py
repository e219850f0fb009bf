"""Building and publishing competency standards and their instruments."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.roles import Role
from app.audit.services import record_event
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.standards.models import (
    Criterion,
    CriterionKind,
    Element,
    Instrument,
    InstrumentItem,
    Standard,
    StandardStatus,
)


def ensure_may_manage_catalogue(actor) -> None:
    """Only an administrator creates and builds standards."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_l("Only an administrator can change standards."))


def ensure_may_edit(actor, standard: Standard) -> None:
    """A standard can be changed by an administrator while it is a draft, never once published:
    assessments point at the exact version they used."""
    ensure_may_manage_catalogue(actor)
    if standard.status != StandardStatus.DRAFT:
        raise ValidationFailed(_l("A published standard is frozen; create a new version instead."))


def create_standard(
    *,
    actor,
    code: str,
    version: str,
    title: str,
    level: int,
    sector: str,
    validity_years: int | None,
    purpose: str = "",
    threshold_percent: int = 100,
) -> Standard:
    """Create a draft standard with an empty instrument. Raises ValidationFailed on a duplicate."""
    ensure_may_manage_catalogue(actor)
    code, version = code.strip().upper(), version.strip()
    exists = db.session.scalar(
        select(Standard.id).where(Standard.code == code, Standard.version == version)
    )
    if exists:
        raise ValidationFailed.on("code", _l("This code and version already exist."))
    standard = Standard(
        code=code,
        version=version,
        title=title.strip(),
        level=level,
        sector=sector.strip(),
        validity_years=validity_years,
        purpose=purpose.strip(),
        status=StandardStatus.DRAFT,
    )
    standard.instrument = Instrument(threshold_percent=threshold_percent)
    db.session.add(standard)
    db.session.flush()
    record_event(actor, "standard.created", standard, code=standard.full_code)
    return standard


def add_element(actor, standard: Standard, title: str) -> Element:
    ensure_may_edit(actor, standard)
    element = Element(title=title.strip(), position=len(standard.elements) + 1)
    standard.elements.append(element)
    db.session.flush()
    return element


def add_criterion(actor, element: Element, kind: CriterionKind, text: str) -> Criterion:
    ensure_may_edit(actor, element.standard)
    criterion = Criterion(
        kind=CriterionKind(kind), text=text.strip(), position=len(element.criteria) + 1
    )
    element.criteria.append(criterion)
    db.session.flush()
    return criterion


def add_item(
    actor, standard: Standard, criterion: Criterion, text: str, weight: int, is_critical: bool
) -> InstrumentItem:
    ensure_may_edit(actor, standard)
    if criterion.element.standard_id != standard.id:
        raise ValidationFailed.on("criterion", _l("The criterion belongs to another standard."))
    instrument = standard.instrument
    item = InstrumentItem(
        criterion=criterion,
        text=text.strip(),
        weight=weight,
        is_critical=is_critical,
        position=len(instrument.items) + 1,
    )
    instrument.items.append(item)
    db.session.flush()
    return item


def set_decision_rule(actor, standard: Standard, threshold_percent: int) -> None:
    ensure_may_edit(actor, standard)
    if not 1 <= threshold_percent <= 100:
        raise ValidationFailed.on("threshold_percent", _l("The threshold is between 1 and 100 %."))
    standard.instrument.threshold_percent = threshold_percent
    db.session.flush()


def publication_problems(standard: Standard) -> list[str]:
    """What stops this draft from being published, in words for the administrator."""
    problems = []
    if not standard.elements:
        problems.append(_l("The standard has no elements."))
    for element in standard.elements:
        if not element.criteria:
            problems.append(_l("Element %(n)d has no criteria.", n=element.position))
    items = standard.instrument.items if standard.instrument else []
    if not items:
        problems.append(_l("The instrument has no items."))
    covered = {item.criterion_id for item in items}
    uncovered = [c for c in standard.criteria if c.id not in covered]
    if uncovered:
        problems.append(
            _l("%(n)d criteria are not assessed by any instrument item.", n=len(uncovered))
        )
    return problems


def publish_standard(actor, standard: Standard, today: date) -> None:
    """Freeze a complete draft. Raises ValidationFailed listing everything that is missing."""
    ensure_may_edit(actor, standard)
    problems = publication_problems(standard)
    if problems:
        raise ValidationFailed(problems[0], {"": problems})
    standard.status = StandardStatus.PUBLISHED
    standard.published_on = today
    record_event(actor, "standard.published", standard)
    db.session.flush()
