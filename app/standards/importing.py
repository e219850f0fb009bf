"""Importing standards from a file: all or nothing. Every problem of the file (its shape, each
standard, each line, codes already in the catalogue) is listed with its row or path before
anything is written; then every standard is created as a draft in one flush."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_

from app.audit.services import record_event
from app.errors import ValidationFailed
from app.extensions import db
from app.standards import case, interchange, rules
from app.standards.models import (
    Criterion,
    CriterionKind,
    Element,
    Instrument,
    InstrumentItem,
    Standard,
    StandardStatus,
)
from app.standards.services import ensure_may_edit_catalogue, refresh_search_text

READERS = {
    "json": lambda data: (*interchange.read_json(data), None),
    "csv": interchange.read_csv,
    "case": case.read_case,
}


def read_file(data: bytes, file_format: str):
    """(document, where) of an uploaded file, or ValidationFailed on "file" listing every
    problem of the file, each with its row (CSV) or path (JSON, CASE)."""
    document, problems, where = READERS[file_format](data)
    if document is not None:
        problems.extend(interchange.check_document(document, where))
    if problems:
        raise ValidationFailed(str(problems[0]), {"file": list(problems)})
    return document, where


def import_standards(actor, document: dict, where=None) -> list[Standard]:
    """Create every standard of a checked document as a draft. Raises ValidationFailed (on
    "file") listing every code already in the catalogue; nothing is written then."""
    ensure_may_edit_catalogue(actor)
    where = where or (lambda i, path: f"/standards/{i}{path}")
    keys = [rules.split_code(s["code"], s["version"] or "") for s in document["standards"]]
    taken = (
        set(
            db.session.execute(
                select(Standard.code, Standard.version).where(
                    tuple_(Standard.code, Standard.version).in_(keys)
                )
            ).all()
        )
        if keys
        else set()
    )
    problems = interchange.Problems()
    for index, key in enumerate(keys):
        if key in taken:
            problems.add(
                where(index, "/code"),
                _l("The code %(code)s is already in the catalogue.", code=rules.full_code(*key)),
            )
    if problems:
        raise ValidationFailed(str(problems[0]), {"file": list(problems)})
    created = [_build(data, key) for data, key in zip(document["standards"], keys, strict=True)]
    db.session.add_all(created)
    db.session.flush()
    for standard in created:
        record_event(actor, "standard.imported", standard, code=standard.full_code)
    return created


def _date(value):
    return date.fromisoformat(value) if value else None


def _build(data: dict, key: tuple[str, str]) -> Standard:
    standard = Standard(
        code=key[0],
        version=key[1],
        title=data["title"].strip(),
        title_en=(data.get("title_en") or "").strip(),
        purpose=(data.get("purpose") or "").strip(),
        level=data["level"],
        sector=data["sector"].strip(),
        validity_years=data.get("validity_years"),
        approved_on=_date(data.get("approved_on")),
        dof_published_on=_date(data.get("dof_published_on")),
        status=StandardStatus.DRAFT,
    )
    refresh_search_text(standard)
    criteria = {}
    for e, element_data in enumerate(data["elements"], start=1):
        element = Element(title=element_data["title"].strip(), position=e)
        for c, criterion_data in enumerate(element_data["criteria"], start=1):
            criterion = Criterion(
                kind=CriterionKind(criterion_data["kind"]),
                text=criterion_data["text"].strip(),
                position=c,
            )
            element.criteria.append(criterion)
            criteria[f"{e}.{c}"] = criterion
        standard.elements.append(element)
    items = data.get("items")
    if items is None:  # one item per criterion, as the builder makes them
        items = [
            {"criterion": k, "text": c.text, "weight": 1, "critical": False}
            for k, c in criteria.items()
        ]
    standard.instrument = Instrument(
        threshold_percent=data.get("threshold_percent") or 100,
        items=[
            InstrumentItem(
                criterion=criteria[item["criterion"]],
                text=item["text"].strip(),
                weight=item["weight"],
                is_critical=bool(item.get("critical")),
                position=position,
            )
            for position, item in enumerate(items, start=1)
        ],
    )
    return standard
