"""Importing standards from a file: all or nothing. Every problem of the file (its shape, each
standard, each line, codes already in the catalogue) is listed with its row or path before
anything is written; then every standard is created as a draft in one flush."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, tuple_

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
from app.standards.services import ensure_may_edit_catalogue

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
    ids = _insert_all(document["standards"], keys)
    created = list(
        db.session.scalars(select(Standard).where(Standard.id.in_(ids)).order_by(Standard.id))
    )
    for standard in created:
        record_event(actor, "standard.imported", standard, code=standard.full_code)
    db.session.flush()
    return created


def _inserted(model, rows: list[dict]) -> list[int]:
    """Insert `rows` in as few statements as the database allows; their ids, in order."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _insert_all(standards: list[dict], keys: list[tuple[str, str]]) -> list[int]:
    """Every standard, element, criterion and item of a checked document, as drafts, in five
    bulk INSERTs (an import of 50 standards with 2,000 items writes about 4,000 rows)."""
    built = [_build(data, key) for data, key in zip(standards, keys, strict=True)]
    standard_ids = _inserted(Standard, [header for header, _, _, _ in built])
    _inserted(
        Instrument,
        [
            {"standard_id": sid, "threshold_percent": threshold}
            for sid, (_, threshold, _, _) in zip(standard_ids, built, strict=True)
        ],
    )
    instrument_ids = dict(
        db.session.execute(
            select(Instrument.standard_id, Instrument.id).where(
                Instrument.standard_id.in_(standard_ids)
            )
        ).all()
    )
    element_rows = []
    for sid, (_, _, elements, _) in zip(standard_ids, built, strict=True):
        for position, (title, _) in enumerate(elements, start=1):
            element_rows.append({"standard_id": sid, "position": position, "title": title})
    element_ids = _inserted(Element, element_rows)
    criterion_rows, criterion_keys = [], []
    index = 0
    for sid, (_, _, elements, _) in zip(standard_ids, built, strict=True):
        for e, (_, criteria) in enumerate(elements, start=1):
            for c, (kind, text) in enumerate(criteria, start=1):
                criterion_rows.append(
                    {"element_id": element_ids[index], "position": c, "kind": kind, "text": text}
                )
                criterion_keys.append((sid, f"{e}.{c}"))
            index += 1
    criterion_ids = dict(zip(criterion_keys, _inserted(Criterion, criterion_rows), strict=True))
    item_rows = [
        {
            "instrument_id": instrument_ids[sid],
            "criterion_id": criterion_ids[(sid, item["criterion"])],
            "position": position,
            "text": item["text"],
            "weight": item["weight"],
            "is_critical": item["critical"],
        }
        for sid, (_, _, _, items) in zip(standard_ids, built, strict=True)
        for position, item in enumerate(items, start=1)
    ]
    if item_rows:
        db.session.execute(insert(InstrumentItem), item_rows)
    return standard_ids


def _date(value):
    return date.fromisoformat(value) if value else None


def _build(data: dict, key: tuple[str, str]):
    """(standard row, threshold, [(element title, [(kind, text)])], items) of one checked
    standard."""
    header = {
        "code": key[0],
        "version": key[1],
        "title": data["title"].strip(),
        "title_en": (data.get("title_en") or "").strip(),
        "purpose": (data.get("purpose") or "").strip(),
        "level": data["level"],
        "sector": data["sector"].strip(),
        "validity_years": data.get("validity_years"),
        "approved_on": _date(data.get("approved_on")),
        "dof_published_on": _date(data.get("dof_published_on")),
        "status": StandardStatus.DRAFT,
    }
    header["search_text"] = rules.search_text(
        header["code"], header["version"], header["title"], header["title_en"], header["sector"]
    )
    elements = [
        (
            element["title"].strip(),
            [(CriterionKind(c["kind"]), c["text"].strip()) for c in element["criteria"]],
        )
        for element in data["elements"]
    ]
    items = data.get("items")
    if items is None:  # one item per criterion, as the builder makes them
        items = [
            {"criterion": f"{e}.{c}", "text": text, "weight": 1, "critical": False}
            for e, (_, criteria) in enumerate(elements, start=1)
            for c, (_, text) in enumerate(criteria, start=1)
        ]
    items = [
        {**item, "text": item["text"].strip(), "critical": bool(item.get("critical"))}
        for item in items
    ]
    return header, data.get("threshold_percent") or 100, elements, items
