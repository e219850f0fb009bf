"""Versions of a standard: a new version is a draft copy; publishing it may supersede the old one,
whose scheduled assessments keep it; a cancelled standard takes no new assessment."""

import pytest

from app.assessments import services as assessments
from app.dates import today
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.standards import rules, services
from app.standards.models import StandardStatus
from tests import factories
from tests.factories import slot


def schedule_on(world, standard, hours):
    if standard.id != world.standard.id:
        factories.accredit(world.evaluator, standard)
    starts_at, ends_at = slot(hours)
    return assessments.schedule_assessment(
        actor=world.admin,
        candidate=world.other_candidate,
        standard=standard,
        evaluator=world.evaluator,
        starts_at=starts_at,
        ends_at=ends_at,
        location="Taller 2",
    )


def test_superseding_keeps_scheduled_assessments_on_their_version(world):
    old = world.standard
    scheduled = world.schedule(hours_from_now=3)
    copy = services.new_version(world.body_admin, old)
    assert copy.replaces_id == old.id and copy.full_code == f"{old.code}.02"
    assert [(c.kind, c.text) for c in copy.criteria] == [(c.kind, c.text) for c in old.criteria]
    assert {i.criterion.element.standard_id for i in copy.instrument.items} == {copy.id}

    services.publish_standard(world.body_admin, copy, today(), supersede=True)

    db.session.expire_all()
    assert old.status == StandardStatus.SUPERSEDED and old.withdrawn_on == today()
    assert scheduled.standard_id == old.id
    world.judge(scheduled)  # results are still recorded against the version it was booked on
    with pytest.raises(ValidationFailed):
        schedule_on(world, old, 30)
    assert schedule_on(world, copy, 40).standard_id == copy.id


def test_publishing_without_superseding_leaves_both_versions_published(world):
    copy = services.new_version(world.body_admin, world.standard, "05")
    services.publish_standard(world.body_admin, copy, today())
    assert world.standard.status == copy.status == StandardStatus.PUBLISHED
    assert copy.version == "05"


def test_a_cancelled_standard_takes_no_new_assessment(world):
    services.cancel_standard(world.body_admin, world.standard, today())
    assert world.standard.status == StandardStatus.CANCELLED
    with pytest.raises(ValidationFailed):
        schedule_on(world, world.standard, 30)
    with pytest.raises(ValidationFailed):
        services.cancel_standard(world.body_admin, world.standard, today())


def test_a_draft_cannot_be_copied_and_only_the_catalogue_editor_may_copy(world):
    draft = factories.make_standard(world.admin, publish=False)
    with pytest.raises(ValidationFailed):
        services.new_version(world.body_admin, draft)
    with pytest.raises(PermissionDenied):
        services.new_version(world.evaluator, world.standard)


def test_a_duplicate_code_is_refused_whether_typed_with_or_without_its_version(world):
    code = world.standard.code
    for typed in ({"code": code, "version": "01"}, {"code": f"{code}.01", "version": ""}):
        with pytest.raises(ValidationFailed) as caught:
            services.create_standard(
                actor=world.body_admin, title="T", level=1, sector="S", validity_years=None, **typed
            )
        assert "code" in caught.value.reasons


@pytest.mark.parametrize(
    ("typed", "version", "expected"),
    [
        ("EC0217", "", ("EC0217", "")),
        (" ec0217.01 ", "", ("EC0217", "01")),
        ("EC0217", "01", ("EC0217", "01")),
        ("EC0217.01", "01", ("EC0217", "01")),
        ("EC0217.01", "02", None),
        ("EC0217.1", "", None),
        ("0217", "", None),
        ("EC0217", "1", None),
    ],
)
def test_codes_may_be_unsuffixed_or_versioned(typed, version, expected):
    assert rules.split_code(typed, version) == expected


def test_moving_a_line_keeps_positions_unique_and_contiguous():
    assert rules.moved([1, 2, 3], 3, -1) == [1, 3, 2]
    assert rules.moved([1, 2, 3], 1, -1) == [1, 2, 3]
    assert rules.moved([1, 2, 3], 3, 1) == [1, 2, 3]
    assert rules.next_version(["", "01", "03"]) == "04"
