"""Standards in and out of Avala: our JSON (docs/catalogue.md), CSV (one row per criterion
item) and 1EdTech CASE 1.0 (a CFPackage). Each format is read into the same plain document,
our JSON, which `check_document` validates completely, so an import lists every problem with
its row or path before anything is written. Pure functions: no database, no request.

A document:
    {"format": "avala-standards", "format_version": 1, "standards": [
        {"code": "EC0217", "version": "01", "title": ..., "title_en": "", "purpose": "",
         "level": 3, "sector": ..., "validity_years": 3 | null, "threshold_percent": 90,
         "approved_on": "2026-01-15" | null, "dof_published_on": ... | null,
         "elements": [{"title": ..., "criteria": [{"kind": "performance", "text": ...}]}],
         "items": [{"criterion": "1.2", "text": ..., "weight": 2, "critical": false}]}]}
Items are listed in instrument order; "criterion" is "<element>.<criterion>" (1-based).
"""

import csv
import io
import json
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from app.standards import rules
from app.standards.models import CriterionKind

FORMAT = "avala-standards"
FORMAT_VERSION = 1
KINDS = {kind.value for kind in CriterionKind}
HEADER_FIELDS = (
    "code",
    "version",
    "title",
    "title_en",
    "purpose",
    "level",
    "sector",
    "validity_years",
    "threshold_percent",
    "approved_on",
    "dof_published_on",
)
CSV_COLUMNS = (
    *HEADER_FIELDS,
    "element",
    "element_title",
    "criterion",
    "kind",
    "criterion_text",
    "item",
    "item_text",
    "weight",
    "critical",
)


class Problems(list):
    """Every problem found, each as "<where>: <what>" in the reader's language."""

    def add(self, where: str, message) -> None:
        self.append(_l("%(where)s: %(problem)s", where=where, problem=message))


# Our JSON


def standard_document(standard) -> dict:
    """The plain document of one standard (any status), as exported and imported."""
    positions = {}
    elements = []
    for element in standard.elements:
        criteria = []
        for criterion in element.criteria:
            positions[criterion.id] = f"{element.position}.{criterion.position}"
            criteria.append({"kind": criterion.kind.value, "text": criterion.text})
        elements.append({"title": element.title, "criteria": criteria})
    return {
        "code": standard.code,
        "version": standard.version,
        "title": standard.title,
        "title_en": standard.title_en,
        "purpose": standard.purpose,
        "level": standard.level,
        "sector": standard.sector,
        "validity_years": standard.validity_years,
        "threshold_percent": standard.instrument.threshold_percent,
        "approved_on": _iso(standard.approved_on),
        "dof_published_on": _iso(standard.dof_published_on),
        "elements": elements,
        "items": [
            {
                "criterion": positions[item.criterion_id],
                "text": item.text,
                "weight": item.weight,
                "critical": item.is_critical,
            }
            for item in standard.instrument.items
        ],
    }


def to_json(standards) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "standards": [standard_document(s) for s in standards],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def read_json(data: bytes) -> tuple[dict | None, Problems]:
    problems = Problems()
    parsed = _json_of(data, problems)
    if parsed is None:
        return None, problems
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT:
        problems.add(
            "/format", _l("This is not an Avala standards file (format «%(f)s»).", f=FORMAT)
        )
        return None, problems
    if parsed.get("format_version") != FORMAT_VERSION:
        problems.add("/format_version", _l("Only version %(v)d of the format is read.", v=1))
        return None, problems
    return parsed, problems


def _json_of(data: bytes, problems: Problems):
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        problems.add("/", _l("The file is not UTF-8 text."))
    except RecursionError:
        problems.add("/", _l("The file is nested too deeply to be read."))
    except json.JSONDecodeError as error:
        problems.add(
            _l("line %(n)d", n=error.lineno), _l("The file is not valid JSON: %(e)s", e=error.msg)
        )
    return None


# Checking a document: every problem, with its path


def check_document(document: dict, where=None) -> Problems:
    """Every problem of a document (our JSON shape). `where(index, path)` names a place in the
    original file (a CSV row, a CASE identifier); by default the JSON path."""
    problems = Problems()
    where = where or (lambda i, path: f"/standards/{i}{path}")
    standards = document.get("standards")
    if not isinstance(standards, list) or not standards:
        problems.add("/standards", _l("The file has no standards."))
        return problems
    seen = {}
    for index, standard in enumerate(standards):
        if not isinstance(standard, dict):
            problems.add(where(index, ""), _l("A standard must be an object."))
            continue
        _check_standard(standard, lambda path, i=index: where(i, path), problems)
        key = rules.split_code(str(standard.get("code", "")), str(standard.get("version") or ""))
        if key is not None:
            if key in seen:
                problems.add(
                    where(index, "/code"),
                    _l("The code %(code)s appears twice in the file.", code=rules.full_code(*key)),
                )
            seen[key] = index
    return problems


def _text(standard, field, where, problems, *, required=True, limit=300):
    value = standard.get(field)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(where(f"/{field}"), _l("A text is required."))
    elif len(value) > limit:
        problems.add(where(f"/{field}"), _l("At most %(n)d characters.", n=limit))


def _number(value, low, high) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_standard(standard, where, problems):
    code, version = standard.get("code"), standard.get("version") or ""
    if (
        not isinstance(code, str)
        or not isinstance(version, str)
        or rules.split_code(code, version) is None
    ):
        problems.add(
            where("/code"),
            _l("«%(code)s» is not a standard code such as EC0217 or EC0217.01.", code=code),
        )
    _text(standard, "title", where, problems)
    _text(standard, "title_en", where, problems, required=False)
    _text(standard, "purpose", where, problems, required=False, limit=4000)
    _text(standard, "sector", where, problems, limit=200)
    if not _number(standard.get("level"), 1, 5):
        problems.add(where("/level"), _l("The level is a whole number from 1 to 5."))
    validity = standard.get("validity_years")
    if validity is not None and not _number(validity, 1, 50):
        problems.add(
            where("/validity_years"),
            _l("The validity is a whole number of years from 1 to 50, or empty."),
        )
    if not _number(standard.get("threshold_percent", 100), 1, 100):
        problems.add(
            where("/threshold_percent"), _l("The threshold is a whole number from 1 to 100.")
        )
    for field in ("approved_on", "dof_published_on"):
        value = standard.get(field)
        if value is not None and not _is_date(value):
            problems.add(where(f"/{field}"), _l("«%(v)s» is not a date (YYYY-MM-DD).", v=value))
    criteria = _check_elements(standard.get("elements"), where, problems)
    _check_items(standard.get("items"), criteria, where, problems)


def _is_date(value) -> bool:
    try:
        return isinstance(value, str) and 1900 <= date.fromisoformat(value).year <= 2100
    except ValueError:
        return False


def _check_elements(elements, where, problems) -> set[str]:
    criteria = set()
    if not isinstance(elements, list) or not elements:
        problems.add(where("/elements"), _l("The standard has no elements."))
        return criteria
    for e, element in enumerate(elements, start=1):
        path = f"/elements/{e - 1}"
        if not isinstance(element, dict):
            problems.add(where(path), _l("An element must be an object."))
            continue
        _text(element, "title", lambda p, path=path: where(path + p), problems)
        listed = element.get("criteria")
        if not isinstance(listed, list) or not listed:
            problems.add(where(path + "/criteria"), _l("Element %(n)d has no criteria.", n=e))
            continue
        for c, criterion in enumerate(listed, start=1):
            cpath = f"{path}/criteria/{c - 1}"
            if not isinstance(criterion, dict):
                problems.add(where(cpath), _l("A criterion must be an object."))
                continue
            if not isinstance(criterion.get("kind"), str) or criterion["kind"] not in KINDS:
                problems.add(
                    where(cpath + "/kind"),
                    _l(
                        "Unknown criterion kind «%(k)s»; use performance, product, knowledge "
                        "or attitude.",
                        k=criterion.get("kind"),
                    ),
                )
            _text(criterion, "text", lambda p, cpath=cpath: where(cpath + p), problems, limit=2000)
            criteria.add(f"{e}.{c}")
    return criteria


def _check_items(items, criteria, where, problems):
    if items is None:
        return  # one item per criterion, weight 1, will be made
    if not isinstance(items, list):
        problems.add(where("/items"), _l("The items must be a list."))
        return
    covered = set()
    for i, item in enumerate(items):
        path = f"/items/{i}"
        if not isinstance(item, dict):
            problems.add(where(path), _l("An item must be an object."))
            continue
        if not isinstance(item.get("criterion"), str) or item["criterion"] not in criteria:
            problems.add(
                where(path + "/criterion"),
                _l(
                    "The item names criterion «%(c)s», which the standard does not have.",
                    c=item.get("criterion"),
                ),
            )
        else:
            covered.add(item["criterion"])
        _text(item, "text", lambda p, path=path: where(path + p), problems, limit=2000)
        if not _number(item.get("weight"), 1, 100):
            problems.add(
                where(path + "/weight"),
                _l("The weight «%(w)s» is not a whole number from 1 to 100.", w=item.get("weight")),
            )
        if not isinstance(item.get("critical", False), bool):
            problems.add(where(path + "/critical"), _l("«critical» is true or false."))
    for missing in sorted(criteria - covered):
        problems.add(where("/items"), _l("Criterion %(c)s is not assessed by any item.", c=missing))


# CSV: one row per criterion (a criterion with several items has one row per item)


def to_csv(standards) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for standard in standards:
        doc = standard_document(standard)
        header = {field: "" if doc[field] is None else doc[field] for field in HEADER_FIELDS}
        items_of = {}
        for position, item in enumerate(doc["items"], start=1):
            items_of.setdefault(item["criterion"], []).append((position, item))
        for e, element in enumerate(doc["elements"], start=1):
            for c, criterion in enumerate(element["criteria"], start=1):
                for position, item in items_of.get(f"{e}.{c}", [(None, None)]):
                    writer.writerow(
                        {
                            **header,
                            "element": e,
                            "element_title": element["title"],
                            "criterion": c,
                            "kind": criterion["kind"],
                            "criterion_text": criterion["text"],
                            "item": position or "",
                            "item_text": item["text"] if item else "",
                            "weight": item["weight"] if item else "",
                            "critical": ("yes" if item["critical"] else "no") if item else "",
                        }
                    )
    return out.getvalue()


def read_csv(data: bytes):
    """The document a CSV holds, the problems of its shape, and `where(index, path)` naming the
    CSV row of any place in the document (for `check_document`)."""
    problems = Problems()
    try:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = list(reader)
    except UnicodeDecodeError:
        problems.add(_l("row %(n)d", n=1), _l("The file is not UTF-8 text."))
        return None, problems, None
    except csv.Error as error:
        problems.add(_l("row %(n)d", n=1), _l("The file is not valid CSV: %(e)s", e=str(error)))
        return None, problems, None
    needed = ("code", "title", "element", "criterion", "kind", "criterion_text")
    missing = [column for column in needed if column not in (reader.fieldnames or [])]
    if missing:
        problems.add(
            _l("row %(n)d", n=1),
            _l(
                "This is not a CSV of standards: the columns %(c)s are missing.",
                c=", ".join(missing),
            ),
        )
        return None, problems, None
    standards, places, items = {}, {}, {}
    for number, row in enumerate(rows, start=2):
        key = (row.get("code") or "").strip(), (row.get("version") or "").strip()
        if key not in standards:
            standards[key] = _csv_header(row)
            places[(len(standards) - 1, "")] = number
            items[key] = []
        index = list(standards).index(key)
        _csv_row(standards[key], items[key], row, number, index, places, problems)
    for key, standard in standards.items():
        if items[key]:
            ordered = sorted(items[key], key=lambda entry: (entry[0], entry[1]))
            standard["items"] = [item for _, _, item in ordered]
            for position, (_, number, _) in enumerate(ordered):
                places[(list(standards).index(key), f"/items/{position}")] = number

    def where(index, path):
        probe = path
        while probe and (index, probe) not in places:
            probe = probe.rsplit("/", 1)[0]
        return _l("row %(n)d", n=places.get((index, probe), places.get((index, ""), 1)))

    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "standards": list(standards.values()),
    }
    return document, problems, where


def _csv_row(standard, items, row, number, index, places, problems):
    where = _l("row %(n)d", n=number)
    e = _position(row.get("element"), where, "element", problems)
    c = _position(row.get("criterion"), where, "criterion", problems)
    if e is None or c is None:
        return
    elements = standard["elements"]
    if e == len(elements) + 1:
        elements.append({"title": row.get("element_title") or "", "criteria": []})
        places[(index, f"/elements/{e - 1}")] = number
    elif not 1 <= e <= len(elements):
        problems.add(where, _l("Element %(n)d is missing before this row.", n=e - 1))
        return
    criteria = elements[e - 1]["criteria"]
    if c == len(criteria) + 1:
        kind = (row.get("kind") or "").strip()
        criteria.append({"kind": kind, "text": row.get("criterion_text") or ""})
        places[(index, f"/elements/{e - 1}/criteria/{c - 1}")] = number
    elif not 1 <= c <= len(criteria):
        problems.add(where, _l("Criterion %(e)d.%(c)d is missing before this row.", e=e, c=c - 1))
        return
    if (row.get("item_text") or "").strip() or (row.get("weight") or "").strip():
        order = (row.get("item") or "").strip()
        order = int(order) if order.isdigit() else 10**9
        items.append((order, number, _csv_item(row, f"{e}.{c}", where, problems)))


def _position(value, where, column, problems):
    value = (value or "").strip()
    if not value.isdigit() or int(value) < 1:
        problems.add(
            where, _l("«%(v)s» in column %(c)s is not a position (1, 2, 3…).", v=value, c=column)
        )
        return None
    return int(value)


def _whole(value, *, optional=False, default=None):
    """A CSV cell as a whole number when it is one; otherwise the text, for check_document
    to report beside its row."""
    value = (value or "").strip()
    if optional and not value:
        return default
    return int(value) if re.fullmatch(r"-?\d{1,9}", value) else value


def _csv_header(row) -> dict:
    return {
        "code": (row.get("code") or "").strip(),
        "version": (row.get("version") or "").strip(),
        "title": row.get("title") or "",
        "title_en": row.get("title_en") or "",
        "purpose": row.get("purpose") or "",
        "level": _whole(row.get("level")),
        "sector": row.get("sector") or "",
        "validity_years": _whole(row.get("validity_years"), optional=True),
        "threshold_percent": _whole(row.get("threshold_percent"), optional=True, default=100),
        "approved_on": (row.get("approved_on") or "").strip() or None,
        "dof_published_on": (row.get("dof_published_on") or "").strip() or None,
        "elements": [],
    }


YES, NO = ("yes", "sí", "si", "true", "1"), ("", "no", "false", "0")


def _csv_item(row, criterion, where, problems) -> dict:
    critical = (row.get("critical") or "").strip().lower()
    if critical not in YES + NO:
        problems.add(where, _l("«%(v)s» in column critical is not yes or no.", v=critical))
    return {
        "criterion": criterion,
        "text": row.get("item_text") or "",
        "weight": _whole(row.get("weight")),
        "critical": critical in YES,
    }
