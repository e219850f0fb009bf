"""A realistic instrument for result entry and sign-off: EC0217.01-like, two elements, twelve
items of every evidence type, one critical item worth 2 of 18 (so that leaving only it unmet
gives 88.89 % against a threshold of 80 %: "Todavía no competente" all the same)."""

import dataclasses

from app.dates import today
from app.extensions import db
from app.standards import services as standards
from app.standards.models import CriterionKind
from tests import factories

P, R, K, A = (
    CriterionKind.PERFORMANCE,
    CriterionKind.PRODUCT,
    CriterionKind.KNOWLEDGE,
    CriterionKind.ATTITUDE,
)
# (element, kind, weight, critical) per item, in the instrument's order.
ITEMS = [
    (1, P, 2, True),
    (1, P, 2, False),
    (1, R, 2, False),
    (1, K, 1, False),
    (1, A, 1, False),
    (1, K, 1, False),
    (2, P, 2, False),
    (2, P, 2, False),
    (2, R, 2, False),
    (2, K, 1, False),
    (2, K, 1, False),
    (2, A, 1, False),
]
CRITICAL_TEXT = "Presenta el encuadre del curso"


def _item_text(index: int) -> str:
    return CRITICAL_TEXT if index == 1 else f"Reactivo {index} del curso"


def make_course_standard(centre_admin):
    """Built by the body administrator, offered by the centre of `centre_admin`."""
    admin = factories.body_admin()
    standard = standards.create_standard(
        actor=admin,
        code=f"EC{factories._next():04d}",
        version="01",
        title="Impartición de cursos de formación del capital humano de manera presencial grupal",
        level=3,
        sector="Educación y formación de personas",
        validity_years=3,
        threshold_percent=80,
    )
    elements = {
        1: standards.add_element(admin, standard, "Preparar la sesión"),
        2: standards.add_element(admin, standard, "Conducir la sesión"),
    }
    for index, (element, kind, weight, critical) in enumerate(ITEMS, start=1):
        criterion = standards.add_criterion(admin, elements[element], kind, f"Criterio {index}")
        standards.add_item(admin, standard, criterion, _item_text(index), weight, critical)
    standards.publish_standard(admin, standard, today())
    factories.offer(centre_admin, standard)
    return standard


def make_course_world() -> factories.World:
    """factories.make_world with the course standard, for which the evaluator is accredited."""
    world = factories.make_world()
    standard = make_course_standard(world.admin)
    factories.accredit(world.evaluator, standard)
    db.session.commit()
    return dataclasses.replace(world, standard=standard)
