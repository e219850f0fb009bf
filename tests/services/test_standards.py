"""Building a competency standard: what publication requires, what it freezes, its level range."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.dates import today
from app.errors import ValidationFailed
from app.extensions import db
from app.standards import services
from app.standards.forms import StandardForm
from app.standards.models import (
    Criterion,
    CriterionKind,
    Element,
    InstrumentItem,
    Standard,
    StandardStatus,
)
from tests import factories


def draft(admin) -> Standard:
    """A draft with a header only: no elements, criteria or items yet."""
    return services.create_standard(
        actor=admin,
        code="ECBORRADOR",
        version="01",
        title="Atención al ciudadano en el sector público",
        level=2,
        sector="Servicios públicos",
        validity_years=3,
    )


def publication_refusal(admin, standard) -> list[str]:
    """Try to publish; return the reasons it was refused, as the administrator reads them."""
    with pytest.raises(ValidationFailed) as caught:
        services.publish_standard(admin, standard, today())
    return [str(reason) for reason in caught.value.reasons[""]]


def assert_still_draft(standard: Standard) -> None:
    db.session.expire_all()
    assert standard.status == StandardStatus.DRAFT
    assert standard.published_on is None


def test_criterion_not_covered_by_any_item_stops_publication(world):
    admin = world.body_admin
    standard = factories.make_standard(admin, publish=False)
    element = standard.elements[0]
    services.add_criterion(admin, element, CriterionKind.PRODUCT, "El material didáctico")
    services.add_criterion(admin, element, CriterionKind.KNOWLEDGE, "Los tipos de evaluación")

    reasons = publication_refusal(admin, standard)

    assert reasons == ["2 criterios no se evalúan con ningún reactivo del instrumento."]
    assert_still_draft(standard)


def test_covering_the_last_criterion_lets_the_draft_be_published(world):
    admin = world.body_admin
    standard = factories.make_standard(admin, publish=False)
    criterion = services.add_criterion(
        admin, standard.elements[0], CriterionKind.PRODUCT, "El manual"
    )
    publication_refusal(admin, standard)

    services.add_item(admin, standard, criterion, "Entrega el manual completo", 1, False)
    services.publish_standard(admin, standard, today())

    assert standard.status == StandardStatus.PUBLISHED
    assert standard.published_on == today()


def test_standard_without_elements_cannot_be_published(world):
    admin = world.body_admin
    standard = draft(admin)

    reasons = publication_refusal(admin, standard)

    assert reasons == [
        "El Estándar de Competencia no tiene elementos.",
        "El instrumento de evaluación no tiene reactivos.",
    ]
    assert_still_draft(standard)


def test_element_without_criteria_stops_publication(world):
    admin = world.body_admin
    standard = factories.make_standard(admin, publish=False)
    services.add_element(admin, standard, "Evaluar el curso")

    reasons = publication_refusal(admin, standard)

    assert reasons == ["El elemento 2 no tiene criterios."]
    assert_still_draft(standard)


def test_instrument_without_items_stops_publication(world):
    admin = world.body_admin
    standard = draft(admin)
    element = services.add_element(admin, standard, "Conducir la sesión")
    services.add_criterion(admin, element, CriterionKind.PERFORMANCE, "Presenta el objetivo")

    reasons = publication_refusal(admin, standard)

    assert reasons == [
        "El instrumento de evaluación no tiene reactivos.",
        "1 criterios no se evalúan con ningún reactivo del instrumento.",
    ]
    assert_still_draft(standard)


def _shape(standard: Standard) -> dict:
    """What the database holds for a standard: status, date, counts and decision rule."""
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    element_ids = select(Element.id).where(Element.standard_id == standard.id)
    return {
        "status": standard.status,
        "published_on": standard.published_on,
        "elements": count(Element, Element.standard_id == standard.id),
        "criteria": count(Criterion, Criterion.element_id.in_(element_ids)),
        "items": count(InstrumentItem, InstrumentItem.instrument_id == standard.instrument.id),
        "threshold_percent": standard.instrument.threshold_percent,
    }


FROZEN_CHANGES = {
    "add_element": lambda world, s: services.add_element(world.body_admin, s, "Un elemento más"),
    "add_criterion": lambda world, s: services.add_criterion(
        world.body_admin, s.elements[0], CriterionKind.ATTITUDE, "Un criterio más"
    ),
    "add_item": lambda world, s: services.add_item(
        world.body_admin, s, s.criteria[0], "Un reactivo más", 1, False
    ),
    "set_decision_rule": lambda world, s: services.set_decision_rule(world.body_admin, s, 50),
    "publish_standard": lambda world, s: services.publish_standard(world.body_admin, s, today()),
}


@pytest.mark.parametrize("change", FROZEN_CHANGES)
def test_published_standard_is_frozen(world, change):
    standard = world.standard
    before = _shape(standard)
    assert before["status"] == StandardStatus.PUBLISHED

    with pytest.raises(ValidationFailed) as caught:
        FROZEN_CHANGES[change](world, standard)

    assert "ya no se puede modificar" in str(caught.value.reasons[""][0])
    assert _shape(standard) == before


def header_only(level: int) -> Standard:
    """A standard row written straight to the table, past the services and forms."""
    return Standard(code="EC9999", version="01", title="Nivel", level=level, sector="Pruebas")


@pytest.mark.parametrize("level", [0, 6])
def test_database_refuses_a_level_outside_1_to_5(app, level):
    db.session.add(header_only(level))
    with pytest.raises(IntegrityError, match="level_range"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("level", [1, 5])
def test_database_accepts_levels_1_and_5(app, level):
    db.session.add(header_only(level))
    db.session.commit()
    assert db.session.scalar(select(Standard.level).where(Standard.code == "EC9999")) == level


def test_standard_form_offers_only_levels_1_to_5(app):
    with app.test_request_context("/standards/new"):
        assert [value for value, _label in StandardForm().level.choices] == [1, 2, 3, 4, 5]


def test_creating_a_standard_at_level_6_is_refused_and_creates_nothing(world, client, login):
    login(world.body_admin)
    fields = {
        "code": "EC0999",
        "version": "01",
        "title": "Nivel imposible",
        "sector": "Pruebas",
        "validity_years": "3",
        "threshold_percent": "100",
    }

    response = client.post("/standards/new", data={**fields, "level": "6"})

    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(Standard).where(Standard.code == "EC0999")) is None
    # The same form at level 5 is accepted: the level alone was refused.
    assert client.post("/standards/new", data={**fields, "level": "5"}).status_code == 302
