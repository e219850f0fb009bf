"""The body owns the catalogue; each centre offers some of its published standards, and
schedules and accredits only those."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts import accreditations
from app.accounts.models import User
from app.accounts.roles import Role
from app.assessments import services as assessments
from app.audit.models import AuditEvent
from app.dates import today
from app.errors import NotFound, PermissionDenied, ValidationFailed
from app.extensions import db
from app.standards import importing, interchange, offers, services
from app.standards.models import OfferedStandard, Standard
from tests import factories
from tests.concurrency import race


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def offer_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OfferedStandard))


CATALOGUE_WRITES = {
    "create": lambda actor, world, draft: services.create_standard(
        actor=actor,
        code="EC7777",
        version="01",
        title="T",
        level=1,
        sector="S",
        validity_years=None,
    ),  # fmt: skip
    "add_element": lambda actor, world, draft: services.add_element(actor, draft, "Otro"),
    "delete_draft": lambda actor, world, draft: services.delete_draft(actor, draft),
    "move_item": lambda actor, world, draft: services.move_item(
        actor, draft.instrument.items[1], -1
    ),
    "publish": lambda actor, world, draft: services.publish_standard(actor, draft, today()),
    "new_version": lambda actor, world, draft: services.new_version(actor, world.standard),
    "cancel": lambda actor, world, draft: services.cancel_standard(actor, world.standard, today()),
    "import": lambda actor, world, draft: importing.import_standards(
        actor, {**interchange.to_json([world.standard]), "standards": []}
    ),
}


@pytest.mark.parametrize("write", CATALOGUE_WRITES)
def test_only_the_body_administrator_writes_the_catalogue(world, write):
    draft = factories.make_standard(world.body_admin, publish=False)
    standards_before = db.session.scalar(select(func.count()).select_from(Standard))
    for actor in (world.admin, world.evaluator, world.reviewer, world.candidate.user):
        with pytest.raises(PermissionDenied):
            CATALOGUE_WRITES[write](actor, world, draft)
    assert db.session.scalar(select(func.count()).select_from(Standard)) == standards_before
    CATALOGUE_WRITES[write](world.body_admin, world, draft)  # the owner may


def test_drafts_are_visible_to_the_body_administrator_only(world):
    draft = factories.make_standard(world.body_admin, publish=False)
    assert services.may_see(world.body_admin, draft)
    for actor in (world.admin, world.evaluator, world.reviewer):
        assert not services.may_see(actor, draft)
        assert services.may_see(actor, world.standard)
        with pytest.raises(NotFound):
            services.ensure_may_see(actor, draft)


def test_a_centre_offers_and_withdraws_a_published_standard_with_audit_entries(world):
    other = factories.make_standard(world.body_admin, code="EC0301")
    assert other not in offers.list_offered_standards(world.centre.id)
    assert other in offers.list_offerable_standards(world.centre.id)

    offers.offer_standard(world.admin, other)
    assert other in offers.list_offered_standards(world.centre.id)
    assert other not in offers.list_offerable_standards(world.centre.id)
    (offered,) = [e for e in events("standard.offered") if e.object_id == other.id]
    assert (offered.actor_id, offered.object_id) == (world.admin.id, other.id)
    assert offered.details["centre_id"] == world.centre.id

    offers.withdraw_offer(world.admin, other)
    assert not offers.is_offered(world.centre.id, other.id)
    assert [e.object_id for e in events("standard.offer_withdrawn")] == [other.id]


def test_an_offer_is_refused_for_a_draft_twice_and_to_anyone_but_the_centre_admin(world):
    draft = factories.make_standard(world.body_admin, publish=False)
    before = offer_count()
    with pytest.raises(ValidationFailed) as caught:
        offers.offer_standard(world.admin, draft)
    assert "standard" in caught.value.reasons
    with pytest.raises(ValidationFailed) as caught:
        offers.offer_standard(world.admin, world.standard)  # offered already
    assert "standard" in caught.value.reasons
    for actor in (world.body_admin, world.evaluator, world.reviewer, world.candidate.user):
        with pytest.raises(PermissionDenied):
            offers.offer_standard(actor, world.standard)
    assert offer_count() == before
    assert [e.object_id for e in events("standard.offered")] == [world.standard.id]


def test_a_second_centre_neither_sees_nor_changes_the_first_centres_offers(world):
    second = factories.make_centre("CONALEP Plantel Tlalnepantla")
    outsider = factories.make_user(second, Role.ADMIN)
    assert offers.list_offered_standards(second.id) == []
    assert offers.list_offers(second.id) == []
    with pytest.raises(NotFound):
        offers.withdraw_offer(outsider, world.standard)
    assert offers.is_offered(world.centre.id, world.standard.id)
    offers.offer_standard(outsider, world.standard)  # its own offer, independent of the first
    offers.withdraw_offer(outsider, world.standard)
    assert offers.is_offered(world.centre.id, world.standard.id)


def test_scheduling_refuses_a_standard_the_centre_does_not_offer(world):
    other = factories.make_standard(world.body_admin, code="EC0301")
    factories.offer(world.admin, other)
    factories.accredit(world.evaluator, other)
    offers.withdraw_offer(world.admin, other)
    starts_at, ends_at = factories.slot(5)
    problems = assessments.scheduling_problems(
        world.admin, world.candidate, other, world.evaluator, starts_at, ends_at
    )
    assert [str(p) for p in problems["standard"]] == [str(offers.NOT_OFFERED)]
    with pytest.raises(ValidationFailed):
        assessments.schedule_assessment(
            actor=world.admin, candidate=world.candidate, standard=other,
            evaluator=world.evaluator, starts_at=starts_at, ends_at=ends_at, location="Aula",
        )  # fmt: skip


def test_accreditation_refuses_a_standard_the_centre_does_not_offer(world):
    other = factories.make_standard(world.body_admin, code="EC0301")
    with pytest.raises(ValidationFailed) as caught:
        accreditations.accredit_evaluator(
            actor=world.admin, evaluator=world.evaluator, standard=other, number="CED-1",
            valid_from=today(), valid_until=today() + timedelta(days=30),
        )  # fmt: skip
    assert "standard" in caught.value.reasons


def test_withdrawing_an_offer_keeps_assessments_already_scheduled(world):
    booked = world.book(hours_from_now=6)
    offers.withdraw_offer(world.admin, world.standard)
    db.session.expire_all()
    assert booked.standard_id == world.standard.id and booked.status.value == "scheduled"


def test_a_superseding_version_takes_over_every_centres_offer(world):
    second = factories.make_centre("CONALEP Plantel Tlalnepantla")
    second_admin = factories.make_user(second, Role.ADMIN)
    factories.offer(second_admin, world.standard)
    third = factories.make_centre("CONALEP Plantel Tlalpan")  # never offered it
    booked = world.book(hours_from_now=6)
    copy = services.new_version(world.body_admin, world.standard)
    services.publish_standard(world.body_admin, copy, today(), supersede=True)

    for centre in (world.centre, second):
        assert offers.list_offered_standards(centre.id) == [copy]
        assert not offers.is_offered(centre.id, world.standard.id)
    assert offers.list_offers(third.id) == []
    assert {e.details["centre_id"] for e in events("standard.offer_carried")} == {
        world.centre.id,
        second.id,
    }
    db.session.expire_all()
    assert booked.standard_id == world.standard.id  # keeps the version it was booked on


def test_publishing_a_version_without_superseding_moves_no_offer(world):
    copy = services.new_version(world.body_admin, world.standard, "05")
    services.publish_standard(world.body_admin, copy, today())
    assert offers.list_offered_standards(world.centre.id) == [world.standard]


def test_two_offers_of_the_same_standard_at_once_make_one(app, world):
    other = factories.make_standard(world.body_admin, code="EC0301")
    admin_id, standard_id = world.admin.id, other.id
    db.session.commit()

    def step(go):
        admin = db.session.get(User, admin_id)
        standard = db.session.get(Standard, standard_id)
        go()
        return offers.offer_standard(admin, standard)

    outcomes = race(app, step, step)
    refused = [o for o in outcomes if isinstance(o, (IntegrityError, ValidationFailed))]
    assert len(refused) == 1, outcomes
    count = select(func.count()).where(OfferedStandard.standard_id == standard_id)
    assert db.session.scalar(count) == 1
