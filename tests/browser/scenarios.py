"""The records each browser test starts from, built through the services in the live server's
database. Each test gets its own centre and people, so tests never depend on each other's data.
Only plain values leave the app context: the browser is what looks at the records afterwards.
"""

from dataclasses import dataclass

from app.certificates import batches
from app.certificates.services import issue_certificate
from tests import factories
from tests.browser.support import LiveServer


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    password: str = factories.PASSWORD


@dataclass(frozen=True)
class Item:
    id: int
    position: int
    is_critical: bool


@dataclass(frozen=True)
class Assessment:
    id: int
    candidate: str


@dataclass(frozen=True)
class Centre:
    admin: Person
    evaluator: Person
    reviewer: Person
    candidate: Person
    other_candidate: Person
    items: tuple[Item, ...]
    # The body's administrator, who builds the catalogue's drafts.
    body_admin: Person | None = None


@dataclass(frozen=True)
class Certificate:
    folio: str
    public_id: str
    holder: str
    standard_title: str = ""


def _person(user) -> Person:
    return Person(user.email, user.full_name)


def _centre(world) -> Centre:
    return Centre(
        admin=_person(world.admin),
        evaluator=_person(world.evaluator),
        reviewer=_person(world.reviewer),
        candidate=_person(world.candidate.user),
        other_candidate=_person(world.other_candidate.user),
        items=tuple(Item(i.id, i.position, i.is_critical) for i in world.standard.instrument.items),
        body_admin=_person(world.body_admin),
    )


def two_assessments_to_record(live: LiveServer) -> tuple[Centre, Assessment, Assessment]:
    """An evaluator with two assessments booked for today, neither recorded yet."""
    with live.data():
        world = factories.make_world()
        first = world.schedule(hours_from_now=0.5)
        second = world.schedule(candidate=world.other_candidate, hours_from_now=3)
        return (
            _centre(world),
            Assessment(first.id, world.candidate.full_name),
            Assessment(second.id, world.other_candidate.full_name),
        )


def assessment_with_all_results(live: LiveServer) -> tuple[Centre, Assessment]:
    """Every item recorded as met, the judgement not signed off yet."""
    with live.data():
        world = factories.make_world()
        assessment = world.schedule()
        factories.assessments.record_item_results(
            world.evaluator,
            assessment,
            {item.id: (True, "Observado en el taller") for item in world.standard.instrument.items},
        )
        return _centre(world), Assessment(assessment.id, world.candidate.full_name)


def competent_judgement_to_review(live: LiveServer) -> tuple[Centre, Assessment]:
    """A competent judgement signed off by the evaluator, waiting for the quality reviewer."""
    with live.data():
        world = factories.make_world()
        assessment = world.judge(world.schedule())
        return _centre(world), Assessment(assessment.id, world.candidate.full_name)


def issued_certificate(live: LiveServer, listed: bool = True) -> tuple[Centre, Certificate]:
    """A competent judgement, approved and certified: the PDF is stored and signed. The holder
    consented to the public register unless `listed` is False."""
    with live.data():
        world = factories.make_world()
        world.candidate.is_publicly_listed = listed
        certificate = issue_certificate(world.admin, world.approved())
        return _centre(world), Certificate(
            certificate.folio,
            certificate.public_id,
            certificate.holder_name,
            certificate.standard_title,
        )


@dataclass(frozen=True)
class BusyCentre:
    centre: Centre
    standard_id: int
    draft_standard_id: int
    reviewed_assessment_id: int
    certificate: Certificate


def centre_with_work_in_every_stage(live: LiveServer) -> BusyCentre:
    """Something on every staff page: a draft standard, a judgement ready to certify, a
    certificate already issued."""
    with live.data():
        world = factories.make_world()
        draft = factories.make_standard(world.admin, publish=False)
        ready = world.approved(hours_from_now=1)
        issued = world.approved(candidate=world.other_candidate, hours_from_now=4)
        certificate = issue_certificate(world.admin, issued)
        return BusyCentre(
            _centre(world),
            world.standard.id,
            draft.id,
            ready.id,
            Certificate(certificate.folio, certificate.public_id, certificate.holder_name),
        )


def batch_waiting_to_run(live: LiveServer) -> tuple[Centre, int]:
    """A batch issuance of two approved judgements, created but not yet run by the worker."""
    with live.data():
        world = factories.make_world()
        first = world.approved()
        second = world.approved(candidate=world.other_candidate, hours_from_now=4)
        return _centre(world), batches.create_batch(world.admin, [first.id, second.id]).id


def body_administrator(live: LiveServer) -> Person:
    """The certifying body's administrator, alone: no centre of theirs yet."""
    with live.data():
        return _person(factories.make_body_admin())
