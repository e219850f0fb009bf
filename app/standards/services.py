"""The catalogue's operations: who may change it, the header of a standard, building a draft's
body (elements, criteria and instrument items: added, changed, moved, deleted), versions and
publication. Every operation flushes, never commits.

Positions are unique within their parent (a database constraint), so a reorder first moves the
rows out of the way (negative positions) and then numbers them 1, 2, 3 again."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.roles import Role
from app.audit.services import record_event
from app.errors import NotFound, PermissionDenied, ValidationFailed, allows
from app.extensions import db
from app.standards import offers, rules
from app.standards.models import (
    Criterion,
    CriterionKind,
    Element,
    Instrument,
    InstrumentItem,
    Standard,
    StandardStatus,
)

NOT_A_CODE = _l("Use letters followed by digits, e.g. EC0217, or a version, e.g. EC0217.01.")
DUPLICATE = _l("This code and version already exist.")


def ensure_may_edit_catalogue(actor) -> None:
    """The one check of who changes the catalogue (create, build, reorder, delete a draft,
    publish, version, supersede, cancel, import): the body administrator, who owns it. Centre
    staff read its published standards and choose which their centre offers
    (app/standards/offers.py). Views and templates ask it."""
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or actor.role != Role.BODY_ADMIN
    ):
        raise PermissionDenied(_l("Only the body administrator can change the catalogue."))


def may_see(actor, standard: Standard) -> bool:
    """Drafts are the body administrator's work in progress: nobody else sees them."""
    return standard.status != StandardStatus.DRAFT or allows(ensure_may_edit_catalogue, actor)


def ensure_may_see(actor, standard: Standard) -> None:
    """Raise NotFound for a standard the actor may not see (a draft, to centre staff)."""
    if not may_see(actor, standard):
        raise NotFound()


def ensure_may_edit(actor, standard: Standard) -> None:
    """A standard can be changed while it is a draft, never once published: assessments point
    at the exact version they used."""
    ensure_may_edit_catalogue(actor)
    if standard.status != StandardStatus.DRAFT:
        raise ValidationFailed(_l("A published standard is frozen; create a new version instead."))


def ensure_may_derive(actor, standard: Standard) -> None:
    """A new version is copied from a published (or superseded) version, never from a draft."""
    ensure_may_edit_catalogue(actor)
    if standard.status not in (StandardStatus.PUBLISHED, StandardStatus.SUPERSEDED):
        raise ValidationFailed(_l("Only a published standard can be copied into a new version."))


def ensure_may_cancel(actor, standard: Standard) -> None:
    ensure_may_edit_catalogue(actor)
    if standard.status != StandardStatus.PUBLISHED:
        raise ValidationFailed(_l("Only a published standard can be cancelled."))


@dataclass(frozen=True)
class Header:
    """What the header of a standard holds, as typed (code may carry its version: EC0217.01)."""

    code: str
    version: str
    title: str
    level: int
    sector: str
    validity_years: int | None
    purpose: str = ""
    title_en: str = ""
    approved_on: date | None = None
    dof_published_on: date | None = None


def _checked_code(header: Header, standard_id: int | None = None) -> tuple[str, str]:
    parsed = rules.split_code(header.code, header.version)
    if parsed is None:
        raise ValidationFailed.on("code", NOT_A_CODE)
    code, version = parsed
    query = select(Standard.id).where(Standard.code == code, Standard.version == version)
    if standard_id is not None:
        query = query.where(Standard.id != standard_id)
    if db.session.scalar(query):
        raise ValidationFailed.on("code", DUPLICATE)
    return code, version


def _apply_header(standard: Standard, header: Header, code: str, version: str) -> None:
    standard.code, standard.version = code, version
    standard.title = header.title.strip()
    standard.title_en = (header.title_en or "").strip()
    standard.level = header.level
    standard.sector = header.sector.strip()
    standard.validity_years = header.validity_years
    standard.purpose = (header.purpose or "").strip()
    standard.approved_on = header.approved_on
    standard.dof_published_on = header.dof_published_on
    refresh_search_text(standard)


def refresh_search_text(standard: Standard) -> None:
    standard.search_text = rules.search_text(
        standard.code, standard.version, standard.title, standard.title_en, standard.sector
    )


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
    title_en: str = "",
    approved_on: date | None = None,
    dof_published_on: date | None = None,
) -> Standard:
    """Create a draft standard with an empty instrument. `code` may be unsuffixed (EC0217) or
    carry its version (EC0217.01). Raises ValidationFailed on a malformed or duplicate code."""
    ensure_may_edit_catalogue(actor)
    header = Header(
        code, version, title, level, sector, validity_years, purpose, title_en, approved_on,
        dof_published_on,
    )  # fmt: skip
    code, version = _checked_code(header)
    standard = Standard(status=StandardStatus.DRAFT)
    _apply_header(standard, header, code, version)
    standard.instrument = Instrument(threshold_percent=threshold_percent)
    db.session.add(standard)
    db.session.flush()
    record_event(actor, "standard.created", standard, code=standard.full_code)
    return standard


def update_standard(actor, standard: Standard, header: Header) -> None:
    """Correct a draft's header (a typo in its code or title uses nothing up)."""
    ensure_may_edit(actor, standard)
    code, version = _checked_code(header, standard.id)
    _apply_header(standard, header, code, version)
    db.session.flush()
    record_event(actor, "standard.updated", standard, code=standard.full_code)


def delete_draft(actor, standard: Standard) -> None:
    """Delete a draft and everything in it. Published versions are never deleted."""
    ensure_may_edit(actor, standard)
    record_event(actor, "standard.deleted", standard, code=standard.full_code)
    if standard.instrument is not None:
        standard.instrument.items.clear()
        db.session.flush()
    db.session.delete(standard)
    db.session.flush()


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


def published_predecessor(standard: Standard) -> Standard | None:
    """The published version of the same code that publishing `standard` may supersede."""
    return db.session.scalar(
        select(Standard)
        .where(
            Standard.code == standard.code,
            Standard.status == StandardStatus.PUBLISHED,
            Standard.id != standard.id,
        )
        .order_by(Standard.version.desc())
        .limit(1)
    )


def publish_standard(actor, standard: Standard, today: date, supersede: bool = False) -> None:
    """Freeze a complete draft. With `supersede`, the published version of the same code is
    marked superseded: assessments already scheduled keep it, new ones can only choose this one,
    and every centre that offered the old version offers this one instead.
    Raises ValidationFailed listing everything that is missing."""
    ensure_may_edit(actor, standard)
    problems = publication_problems(standard)
    if problems:
        raise ValidationFailed(problems[0], {"": problems})
    if supersede:
        previous = published_predecessor(standard)
        if previous is not None:
            previous.status = StandardStatus.SUPERSEDED
            previous.withdrawn_on = today
            record_event(actor, "standard.superseded", previous, by=standard.full_code)
            offers.carry_offers(actor, previous, standard)
    standard.status = StandardStatus.PUBLISHED
    standard.published_on = today
    record_event(actor, "standard.published", standard)
    db.session.flush()


def cancel_standard(actor, standard: Standard, today: date) -> None:
    """Cancel a published standard: no new assessment may use it; those scheduled keep it."""
    ensure_may_cancel(actor, standard)
    standard.status = StandardStatus.CANCELLED
    standard.withdrawn_on = today
    record_event(actor, "standard.cancelled", standard)
    db.session.flush()


def new_version(actor, standard: Standard, version: str | None = None) -> Standard:
    """A draft copy of a published standard (header, elements, criteria, instrument), with the
    next version number unless one is given. The copy records which version it came from."""
    ensure_may_derive(actor, standard)
    taken = list(db.session.scalars(select(Standard.version).where(Standard.code == standard.code)))
    version = version if version is not None else rules.next_version(taken)
    header = Header(
        standard.code, version, standard.title, standard.level, standard.sector,
        standard.validity_years, standard.purpose, standard.title_en, standard.approved_on,
        standard.dof_published_on,
    )  # fmt: skip
    copy = create_standard(
        actor=actor,
        code=header.code,
        version=header.version,
        title=header.title,
        level=header.level,
        sector=header.sector,
        validity_years=header.validity_years,
        purpose=header.purpose,
        threshold_percent=standard.instrument.threshold_percent,
        title_en=header.title_en,
    )
    copy.replaces = standard
    copied = {}
    for element in standard.elements:
        new_element = Element(title=element.title, position=element.position)
        copy.elements.append(new_element)
        for criterion in element.criteria:
            copied[criterion.id] = Criterion(
                kind=criterion.kind, text=criterion.text, position=criterion.position
            )
            new_element.criteria.append(copied[criterion.id])
    for item in standard.instrument.items:
        copy.instrument.items.append(
            InstrumentItem(
                criterion=copied[item.criterion_id],
                text=item.text,
                weight=item.weight,
                is_critical=item.is_critical,
                position=item.position,
            )
        )
    db.session.flush()
    record_event(actor, "standard.new_version", copy, source=standard.full_code)
    return copy


# Building a draft


def _renumber(rows: list) -> None:
    for index, row in enumerate(rows, start=1):
        row.position = -index
    db.session.flush()
    for index, row in enumerate(rows, start=1):
        row.position = index
    db.session.flush()


def _move(rows: list, target, offset: int) -> None:
    by_id = {row.id: row for row in rows}
    _renumber([by_id[i] for i in rules.moved(list(by_id), target.id, offset)])


def _reload(obj, *names: str) -> None:
    db.session.expire(obj, list(names))


# Elements


def add_element(actor, standard: Standard, title: str) -> Element:
    ensure_may_edit(actor, standard)
    element = Element(title=title.strip(), position=len(standard.elements) + 1)
    standard.elements.append(element)
    db.session.flush()
    return element


def update_element(actor, element: Element, title: str) -> None:
    ensure_may_edit(actor, element.standard)
    element.title = title.strip()
    db.session.flush()


def move_element(actor, element: Element, offset: int) -> None:
    standard = element.standard
    ensure_may_edit(actor, standard)
    _move(list(standard.elements), element, offset)
    _reload(standard, "elements")


def delete_element(actor, element: Element) -> None:
    """Delete an element, its criteria and the instrument items that assess them."""
    standard = element.standard
    ensure_may_edit(actor, standard)
    for criterion in list(element.criteria):
        _drop_items_of(standard, criterion)
    standard.elements.remove(element)
    db.session.flush()
    _renumber(list(standard.elements))
    _reload(standard, "elements")


# Criteria


def add_criterion(
    actor, element: Element, kind: CriterionKind, text: str, *, with_item: bool = False
) -> Criterion:
    """Add a criterion; `with_item` also adds its instrument item (same text, weight 1), so
    the instrument is never typed a second time."""
    standard = element.standard
    ensure_may_edit(actor, standard)
    criterion = Criterion(
        kind=CriterionKind(kind), text=text.strip(), position=len(element.criteria) + 1
    )
    element.criteria.append(criterion)
    db.session.flush()
    if with_item:
        _append_item(standard, criterion, criterion.text, 1, False)
    return criterion


def update_criterion(actor, criterion: Criterion, kind: CriterionKind, text: str) -> None:
    ensure_may_edit(actor, criterion.element.standard)
    criterion.kind, criterion.text = CriterionKind(kind), text.strip()
    db.session.flush()


def move_criterion(actor, criterion: Criterion, offset: int) -> None:
    element = criterion.element
    ensure_may_edit(actor, element.standard)
    _move(list(element.criteria), criterion, offset)
    _reload(element, "criteria")


def delete_criterion(actor, criterion: Criterion) -> None:
    """Delete a criterion and the instrument items that assess it."""
    element = criterion.element
    standard = element.standard
    ensure_may_edit(actor, standard)
    _drop_items_of(standard, criterion)
    element.criteria.remove(criterion)
    db.session.flush()
    _renumber(list(element.criteria))
    _reload(element, "criteria")


def _drop_items_of(standard: Standard, criterion: Criterion) -> None:
    instrument = standard.instrument
    kept = [item for item in instrument.items if item.criterion_id != criterion.id]
    if len(kept) != len(instrument.items):
        for item in [item for item in instrument.items if item.criterion_id == criterion.id]:
            instrument.items.remove(item)
        db.session.flush()
        _renumber(kept)


# Instrument items


def _append_item(standard, criterion, text, weight, is_critical, position=None) -> InstrumentItem:
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
    if position is not None and position < item.position:
        rows = [row for row in instrument.items if row is not item]
        rows.insert(position - 1, item)
        _renumber(rows)
        _reload(instrument, "items")
    return item


def _check_weight(weight: int) -> None:
    if not 1 <= weight <= 100:
        raise ValidationFailed.on("weight", _l("Between 1 and 100."))


def add_item(
    actor, standard: Standard, criterion: Criterion, text: str, weight: int, is_critical: bool
) -> InstrumentItem:
    ensure_may_edit(actor, standard)
    if criterion.element.standard_id != standard.id:
        raise ValidationFailed.on("criterion", _l("The criterion belongs to another standard."))
    _check_weight(weight)
    return _append_item(standard, criterion, text, weight, is_critical)


def add_missing_items(actor, standard: Standard) -> list[InstrumentItem]:
    """One item (the criterion's text, weight 1) for every criterion no item assesses yet."""
    ensure_may_edit(actor, standard)
    covered = {item.criterion_id for item in standard.instrument.items}
    return [
        _append_item(standard, criterion, criterion.text, 1, False)
        for criterion in standard.criteria
        if criterion.id not in covered
    ]


def update_item(
    actor, item: InstrumentItem, text: str, weight: int, is_critical: bool
) -> InstrumentItem:
    ensure_may_edit(actor, item.instrument.standard)
    _check_weight(weight)
    item.text, item.weight, item.is_critical = text.strip(), weight, is_critical
    db.session.flush()
    return item


def split_item(actor, item: InstrumentItem) -> InstrumentItem:
    """A second item for the same criterion, right after this one, to be reworded."""
    standard = item.instrument.standard
    ensure_may_edit(actor, standard)
    return _append_item(
        standard, item.criterion, item.text, item.weight, item.is_critical, item.position + 1
    )


def move_item(actor, item: InstrumentItem, offset: int) -> None:
    instrument = item.instrument
    ensure_may_edit(actor, instrument.standard)
    _move(list(instrument.items), item, offset)
    _reload(instrument, "items")


def delete_item(actor, item: InstrumentItem) -> None:
    instrument = item.instrument
    ensure_may_edit(actor, instrument.standard)
    instrument.items.remove(item)
    db.session.flush()
    _renumber(list(instrument.items))
    _reload(instrument, "items")
