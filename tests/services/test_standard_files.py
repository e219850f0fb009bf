"""Standards exported and imported again are identical, in JSON, CSV and CASE 1.0; an import
lists every problem with its row or path, in the user's language, and changes nothing."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.errors import ValidationFailed
from app.extensions import db
from app.standards import case, importing, interchange, services
from app.standards.models import CriterionKind, InstrumentItem, Standard
from tests import factories

CHANGED_AT = "2026-11-26T12:00:00+00:00"


def rich_draft(admin):
    """A draft with two elements, every kind of criterion, a split item, reordered items,
    official dates, an English title and an indefinite validity."""
    standard = services.create_standard(
        actor=admin, code="EC0217", version="", title="Impartición de cursos «presenciales»",
        title_en="Course delivery", level=3, sector="Educación", validity_years=None,
        purpose="Propósito,\ncon coma y salto de línea", threshold_percent=85,
        approved_on=factories.local_today(), dof_published_on=factories.local_today(),
    )  # fmt: skip
    first = services.add_element(admin, standard, "Preparar")
    second = services.add_element(admin, standard, "Conducir")
    for element, kinds in (
        (first, ["performance", "product"]),
        (second, ["knowledge", "attitude"]),
    ):
        for kind in kinds:
            services.add_criterion(
                admin, element, CriterionKind(kind), f"Criterio {kind}", with_item=True
            )
    items = standard.instrument.items
    services.update_item(admin, items[0], "Reactivo crítico", 3, True)
    services.split_item(admin, items[2])
    services.move_item(admin, standard.instrument.items[-1], -2)
    return standard


def export(standard, file_format) -> bytes:
    document = interchange.to_json([standard])
    if file_format == "json":
        return json.dumps(document, ensure_ascii=False).encode()
    if file_format == "csv":
        return interchange.to_csv([standard]).encode()
    package = case.to_case(
        document, creator="CONALEP", base_url="https://avala.example", changed_at=CHANGED_AT
    )
    return json.dumps(package, ensure_ascii=False).encode()


@pytest.mark.parametrize("file_format", ["json", "csv", "case"])
def test_a_standard_exported_and_imported_again_is_identical(world, file_format):
    original = rich_draft(world.body_admin)
    before = interchange.standard_document(original)
    data = export(original, file_format)
    services.delete_draft(world.body_admin, original)

    document, where = importing.read_file(data, file_format)
    (imported,) = importing.import_standards(world.body_admin, document, where)

    db.session.expire_all()
    assert interchange.standard_document(imported) == before
    assert imported.full_code == "EC0217" and imported.status == "draft"
    assert export(imported, file_format) == data


def test_the_case_package_is_valid_against_the_cfpackage_schema(world):
    jsonschema = pytest.importorskip("jsonschema")
    from tests.published_schemas import CASE_1_PACKAGE, load_schema

    schema = load_schema(CASE_1_PACKAGE)
    package = json.loads(export(rich_draft(world.body_admin), "case"))
    jsonschema.validate(package, schema, format_checker=jsonschema.FormatChecker())
    assert {i["CFItemType"] for i in package["CFItems"]} >= {"Competency standard", "Element"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def refusal(data: bytes, file_format: str, admin) -> list[str]:
    standards, items = count(Standard), count(InstrumentItem)
    with pytest.raises(ValidationFailed) as caught:
        document, where = importing.read_file(data, file_format)
        importing.import_standards(admin, document, where)
    assert (count(Standard), count(InstrumentItem)) == (standards, items)
    return [str(problem) for problem in caught.value.reasons["file"]]


CSV_HEADER = ",".join(interchange.CSV_COLUMNS)


def test_a_bad_csv_lists_every_problem_with_its_row_and_imports_nothing(world):
    rows = [
        CSV_HEADER,
        "EC0900,01,Título,,,3,Sector,,90,,,1,Elemento,1,performance,Criterio,1,Reactivo,2,no",
        "EC0900,01,Título,,,3,Sector,,90,,,1,Elemento,2,habit,Criterio,2,Reactivo,dos,no",
        "EC0900,01,Título,,,3,Sector,,90,,,3,Otro,1,product,Criterio,3,Reactivo,1,no",
        "EC0901,01,Otro,,,3,Sector,,90,,,1,Elemento,1,product,Criterio,1,Reactivo,1,no",
        "EC0901,01,Otro,,,3,Sector,,90,,,1,Elemento,1,product,Criterio,1,Reactivo,1,no",
    ]
    problems = refusal("\n".join(rows).encode(), "csv", world.body_admin)
    text = "\n".join(problems)
    assert "fila 4: Falta el elemento 2 antes de esta fila." in text
    assert "fila 3: Tipo de criterio desconocido «habit»" in text
    assert "fila 3: El peso «dos» no es un número entero del 1 al 100." in text
    assert len(problems) == 3


def test_a_duplicate_code_and_a_file_that_is_not_what_it_says_are_refused(world):
    data = export(world.standard, "json")
    problems = refusal(data, "json", world.body_admin)
    assert problems == [
        f"/standards/0/code: La clave {world.standard.full_code} ya está en el catálogo."
    ]
    assert "no es un paquete CASE" in refusal(data, "case", world.body_admin)[0]
    assert "no es un CSV de Estándares" in refusal(data, "csv", world.body_admin)[0]
    assert "no es JSON válido" in refusal(b"code,title\nEC1,x", "json", world.body_admin)[0]
    assert "no es texto UTF-8" in refusal(b"\xff\xfe\x00", "csv", world.body_admin)[0]


def test_a_case_package_with_a_missing_element_and_a_bad_weight_names_each_place(world):
    package = json.loads(export(rich_draft(world.body_admin), "case"))
    services.delete_draft(
        world.body_admin, db.session.scalar(select(Standard).where(Standard.code == "EC0217"))
    )
    element = [i for i in package["CFItems"] if i["CFItemType"] == "Element"][1]
    package["CFAssociations"] = [
        a
        for a in package["CFAssociations"]
        if a["originNodeURI"]["identifier"] != element["identifier"]
    ]
    rubric_criterion = package["CFRubrics"][0]["CFRubricCriteria"][0]
    rubric_criterion["weight"] = "pesado"
    problems = refusal(json.dumps(package).encode(), "case", world.body_admin)
    text = "\n".join(problems)
    assert f"CFRubricCriteria/{rubric_criterion['identifier']}: El peso «pesado»" in text
    assert f"CFItems/{element['identifier']}: Este elemento del paquete no pertenece" in text


def test_a_case_package_without_rubrics_gets_one_item_per_criterion(world):
    package = json.loads(export(rich_draft(world.body_admin), "case"))
    services.delete_draft(
        world.body_admin, db.session.scalar(select(Standard).where(Standard.code == "EC0217"))
    )
    del package["CFRubrics"]
    document, where = importing.read_file(json.dumps(package).encode(), "case")
    (standard,) = importing.import_standards(world.body_admin, document, where)
    assert [(i.text, i.weight) for i in standard.instrument.items] == [
        (c.text, 1) for c in standard.criteria
    ]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)


def _mangled(package: dict, data) -> dict:
    """The package with one value somewhere replaced by anything JSON can hold."""
    node, keys = package, []
    while isinstance(node, (dict, list)) and node:
        key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        keys.append(key)
        if data.draw(st.booleans()):
            break
        node = node[key]
    target = package
    for key in keys[:-1]:
        target = target[key]
    if keys:
        target[keys[-1]] = data.draw(JSON_VALUES)
    return package


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_damaged_file_is_refused_with_reasons_never_an_error(app, data):
    """Whatever a file holds in place of any value, reading it gives a document or reasons."""
    standard = {
        "code": "EC0217", "version": "01", "title": "T", "title_en": "", "purpose": "", "level": 3,
        "sector": "S", "validity_years": 3, "threshold_percent": 90, "approved_on": None,
        "dof_published_on": None,
        "elements": [{"title": "E", "criteria": [{"kind": "product", "text": "C"}]}],
        "items": [{"criterion": "1.1", "text": "R", "weight": 1, "critical": False}],
    }  # fmt: skip
    document = {"format": "avala-standards", "format_version": 1, "standards": [standard]}
    file_format = data.draw(st.sampled_from(["json", "case", "csv"]))
    if file_format == "json":
        payload = json.dumps(_mangled(document, data)).encode()
    elif file_format == "case":
        package = case.to_case(document, creator="X", base_url="https://x", changed_at=CHANGED_AT)
        payload = json.dumps(_mangled(package, data)).encode()
    else:
        payload = data.draw(st.binary(max_size=300)) + b"\n" + json.dumps(standard).encode()
    try:
        importing.read_file(payload, file_format)
    except ValidationFailed as refused:
        assert all(str(problem) for problem in refused.reasons["file"])
