"""1EdTech CASE 1.0 packages (CFPackage: CFDocument, CFItems, CFAssociations, CFRubrics) to and
from our plain document (app/standards/interchange.py). The mapping (docs/catalogue.md):

- CFDocument: the package (one standard, or a catalogue of several);
- a CFItem of type "Competency standard" per standard: humanCodingScheme = code (EC0217.01),
  fullStatement = title, alternativeLabel = English title, educationLevel = [level],
  conceptKeywords = [sector], statusStartDate = DOF publication, notes = JSON with purpose,
  validity_years, threshold_percent and approved_on; isChildOf the CFDocument;
- a CFItem of type "Element" per element, isChildOf its standard (sequenceNumber = position);
- a CFItem per criterion, of type "Performance criterion", "Product criterion", "Knowledge
  criterion" or "Attitude criterion", isChildOf its element;
- a CFRubric per standard (its instrument): a CFRubricCriterion per item, with the item's
  text (description), weight, position, category "critical" for critical items, and the
  criterion it assesses (CFItemURI).
Identifiers are UUIDs derived from the code (uuid5), so the same standard is always exported
with the same identifiers.
"""

import json
import uuid

from flask_babel import lazy_gettext as _l

from app.standards import rules
from app.standards.interchange import FORMAT, FORMAT_VERSION, Problems, _json_of

NAMESPACE = uuid.UUID("0b7e2b4e-5a7d-4f43-9a53-6a1f3e0c2d11")
STANDARD_TYPE = "Competency standard"
ELEMENT_TYPE = "Element"
KIND_TYPES = {
    "performance": "Performance criterion",
    "product": "Product criterion",
    "knowledge": "Knowledge criterion",
    "attitude": "Attitude criterion",
}
TYPE_KINDS = {label.casefold(): kind for kind, label in KIND_TYPES.items()}


def _id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _identifier(link):
    """The identifier of a LinkURI, or None when it is not one."""
    return link.get("identifier") if isinstance(link, dict) else None


def _link(title: str, identifier: str) -> dict:
    return {"title": title, "identifier": identifier, "uri": f"urn:uuid:{identifier}"}


def to_case(document: dict, *, creator: str, base_url: str, changed_at: str) -> dict:
    """A CFPackage of the standards of `document` (our JSON)."""
    standards = document["standards"]
    codes = [rules.full_code(s["code"], s["version"]) for s in standards]
    doc_id = _id("document", *codes)
    single = standards[0] if len(standards) == 1 else None
    doc_link = _link(single["title"] if single else "Catálogo de Estándares de Competencia", doc_id)
    package = {
        "CFDocument": {
            "identifier": doc_id,
            "uri": doc_link["uri"],
            "creator": creator,
            "title": doc_link["title"],
            "lastChangeDateTime": changed_at,
            "publisher": creator,
            "subject": sorted({s["sector"] for s in standards}),
            "language": "es",
            "version": single["version"] if single else "",
            "adoptionStatus": "Draft",
            "CFPackageURI": _link(doc_link["title"], doc_id),
        },
        "CFItems": [],
        "CFAssociations": [],
        "CFRubrics": [],
    }
    for number, (standard, code) in enumerate(zip(standards, codes, strict=True), start=1):
        _add_standard(package, standard, code, number, doc_link, base_url, changed_at)
    return package


def _add_standard(package, standard, code, number, doc_link, base_url, changed_at):
    items, associations = package["CFItems"], package["CFAssociations"]

    def item(identifier, **fields):
        items.append(
            {
                "identifier": identifier,
                "uri": f"urn:uuid:{identifier}",
                "CFDocumentURI": doc_link,
                "lastChangeDateTime": changed_at,
                "language": "es",
                **fields,
            }
        )
        return _link(fields["fullStatement"][:100], identifier)

    def child(origin, destination, sequence):
        identifier = _id("association", origin["identifier"], destination["identifier"])
        associations.append(
            {
                "identifier": identifier,
                "uri": f"urn:uuid:{identifier}",
                "associationType": "isChildOf",
                "sequenceNumber": sequence,
                "originNodeURI": origin,
                "destinationNodeURI": destination,
                "CFDocumentURI": doc_link,
                "lastChangeDateTime": changed_at,
            }
        )

    extras = {
        "purpose": standard["purpose"],
        "validity_years": standard["validity_years"],
        "threshold_percent": standard["threshold_percent"],
        "approved_on": standard["approved_on"],
    }
    root_fields = {
        "fullStatement": standard["title"],
        "humanCodingScheme": code,
        "CFItemType": STANDARD_TYPE,
        "educationLevel": [str(standard["level"])],
        "conceptKeywords": [standard["sector"]],
        "notes": json.dumps(extras, ensure_ascii=False, sort_keys=True),
    }
    if standard["title_en"]:
        root_fields["alternativeLabel"] = standard["title_en"]
    if standard["dof_published_on"]:
        root_fields["statusStartDate"] = standard["dof_published_on"]
    root = item(_id("standard", code), **root_fields)
    root["uri"] = f"{base_url}/catalogo/{code}"
    items[-1]["uri"] = root["uri"]
    child(root, doc_link, number)
    criteria = {}
    for e, element in enumerate(standard["elements"], start=1):
        element_link = item(
            _id("element", code, e),
            fullStatement=element["title"],
            CFItemType=ELEMENT_TYPE,
            humanCodingScheme=f"{code} E{e}",
            listEnumeration=str(e),
        )
        child(element_link, root, e)
        for c, criterion in enumerate(element["criteria"], start=1):
            criteria[f"{e}.{c}"] = item(
                _id("criterion", code, e, c),
                fullStatement=criterion["text"],
                CFItemType=KIND_TYPES[criterion["kind"]],
                humanCodingScheme=f"{code} E{e}.{c}",
                listEnumeration=str(c),
            )
            child(criteria[f"{e}.{c}"], element_link, c)
    rubric_id = _id("rubric", code)
    package["CFRubrics"].append(
        {
            "identifier": rubric_id,
            "uri": f"urn:uuid:{rubric_id}",
            "title": f"Instrumento de evaluación {code}",
            "lastChangeDateTime": changed_at,
            "CFRubricCriteria": [
                {
                    "identifier": _id("item", code, position),
                    "uri": f"urn:uuid:{_id('item', code, position)}",
                    "category": "critical" if entry["critical"] else "",
                    "description": entry["text"],
                    "CFItemURI": criteria[entry["criterion"]],
                    "weight": entry["weight"],
                    "position": position,
                    "rubricId": rubric_id,
                    "lastChangeDateTime": changed_at,
                }
                for position, entry in enumerate(standard["items"], start=1)
            ],
        }
    )


# Reading


def read_case(data: bytes):
    """The document a CFPackage holds, the problems of its shape, and `where(index, path)`
    naming the CASE object (by identifier) of any place in the document."""
    problems = Problems()
    package = _json_of(data, problems)
    if package is None:
        return None, problems, None
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        problems.add("/CFDocument", _l("This is not a CASE package: it has no CFDocument."))
        return None, problems, None
    items = package.get("CFItems") or []
    associations = package.get("CFAssociations") or []
    if not isinstance(items, list) or not isinstance(associations, list):
        problems.add(
            "/CFItems", _l("This is not a CASE package: CFItems and CFAssociations are lists.")
        )
        return None, problems, None
    by_id = {
        i["identifier"]: i
        for i in items
        if isinstance(i, dict) and isinstance(i.get("identifier"), str)
    }
    children = {}
    for association in associations:
        if not isinstance(association, dict) or association.get("associationType") != "isChildOf":
            continue
        parent = _identifier(association.get("destinationNodeURI"))
        origin = _identifier(association.get("originNodeURI"))
        sequence = association.get("sequenceNumber")
        sequence = sequence if isinstance(sequence, int) and not isinstance(sequence, bool) else 0
        if isinstance(parent, str) and isinstance(origin, str):
            children.setdefault(parent, []).append((sequence, origin))
    rubric_items = _rubric_criteria(package.get("CFRubrics") or [])
    places, standards = {}, []
    roots = [
        i
        for i in by_id.values()
        if str(i.get("CFItemType", "")).casefold() == STANDARD_TYPE.casefold()
    ]
    if not roots:
        problems.add("/CFItems", _l("The package has no CFItem of type «%(t)s».", t=STANDARD_TYPE))
    reached = set()
    for index, root in enumerate(roots):
        places[(index, "")] = f"CFItems/{root.get('identifier')}"
        standards.append(_standard_of(root, index, by_id, children, rubric_items, places, reached))
    for identifier, item in by_id.items():
        if identifier not in reached and item not in roots:
            problems.add(
                f"CFItems/{identifier}",
                _l(
                    "This item belongs to no standard: it is not the child (isChildOf) "
                    "of an element or a standard."
                ),
            )
    for _, target, criterion in rubric_items:
        if target not in reached:
            problems.add(
                f"CFRubricCriteria/{criterion.get('identifier')}",
                _l("This item assesses a criterion that is not in the package."),
            )

    def where(index, path):
        probe = path
        while probe and (index, probe) not in places:
            probe = probe.rsplit("/", 1)[0]
        return places.get((index, probe), places.get((index, ""), "/"))

    return (
        {"format": FORMAT, "format_version": FORMAT_VERSION, "standards": standards},
        problems,
        where,
    )


def _ordered(children, parent_id, by_id):
    return [
        by_id[o]
        for _, o in sorted(children.get(parent_id, []), key=lambda c: (c[0], str(c[1])))
        if o in by_id
    ]


def _standard_of(root, index, by_id, children, rubric_items, places, reached) -> dict:
    parsed = rules.split_code(str(root.get("humanCodingScheme") or ""))
    code, version = parsed if parsed else (str(root.get("humanCodingScheme") or ""), "")
    try:
        extras = json.loads(root.get("notes") or "{}")
        if not isinstance(extras, dict):
            raise ValueError
    except (TypeError, ValueError):
        extras = {"purpose": root.get("notes") or ""}
    level = root.get("educationLevel") or [""]
    level = level[0] if isinstance(level, list) and level else level
    sector = (
        (root.get("conceptKeywords") or [""])[0]
        if isinstance(root.get("conceptKeywords"), list)
        else ""
    )
    standard = {
        "code": code,
        "version": version,
        "title": root.get("fullStatement") or "",
        "title_en": root.get("alternativeLabel") or "",
        "purpose": extras.get("purpose") or "",
        "level": int(level) if str(level).isdigit() else level,
        "sector": sector,
        "validity_years": extras.get("validity_years"),
        "threshold_percent": extras.get("threshold_percent", 100),
        "approved_on": extras.get("approved_on"),
        "dof_published_on": (root.get("statusStartDate") or None)
        and str(root["statusStartDate"])[:10],
        "elements": [],
    }
    criteria_ids = {}
    for e, element in enumerate(_ordered(children, root.get("identifier"), by_id)):
        reached.add(element.get("identifier"))
        places[(index, f"/elements/{e}")] = f"CFItems/{element.get('identifier')}"
        criteria = []
        for c, criterion in enumerate(_ordered(children, element.get("identifier"), by_id)):
            places[(index, f"/elements/{e}/criteria/{c}")] = (
                f"CFItems/{criterion.get('identifier')}"
            )
            kind = TYPE_KINDS.get(
                str(criterion.get("CFItemType", "")).casefold(), criterion.get("CFItemType")
            )
            criteria.append({"kind": kind, "text": criterion.get("fullStatement") or ""})
            criteria_ids[criterion.get("identifier")] = f"{e + 1}.{c + 1}"
            reached.add(criterion.get("identifier"))
        standard["elements"].append(
            {"title": element.get("fullStatement") or "", "criteria": criteria}
        )
    entries = sorted(
        (entry for entry in rubric_items if entry[1] in criteria_ids), key=lambda entry: entry[0]
    )
    if entries:
        standard["items"] = []
        for position, (_, criterion_id, rubric_criterion) in enumerate(entries):
            places[(index, f"/items/{position}")] = (
                f"CFRubricCriteria/{rubric_criterion.get('identifier')}"
            )
            weight = rubric_criterion.get("weight")
            if isinstance(weight, float) and weight.is_integer():
                weight = int(weight)
            standard["items"].append(
                {
                    "criterion": criteria_ids[criterion_id],
                    "text": rubric_criterion.get("description") or "",
                    "weight": weight,
                    "critical": rubric_criterion.get("category") == "critical",
                }
            )
    return standard


def _rubric_criteria(rubrics) -> list:
    found = []
    for rubric in rubrics if isinstance(rubrics, list) else []:
        for criterion in (rubric.get("CFRubricCriteria") or []) if isinstance(rubric, dict) else []:
            if isinstance(criterion, dict):
                position = criterion.get("position")
                order = position if isinstance(position, int) else 10**9
                target = _identifier(criterion.get("CFItemURI"))
                found.append((order, target, criterion))
    return found
