"""Appeals: the window, who decides, one open appeal, certification held, mails, audit."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.appeals import services
from app.appeals.models import Appeal, AppealStatus
from app.appeals.services import Upload
from app.assessments import services as assessments
from app.assessments.queries import list_ready_to_certify
from app.audit.models import AuditEvent
from app.certificates.services import ensure_may_certify, issue_certificate
from app.dates import local_zone
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.storage import current_storage
from app.transactions import commit_request
from tests import factories
from tests.concurrency import race

REASON = "El reactivo 3 sí se cumplió: entregué el producto completo."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at_noon(day):
    return datetime.combine(day, time(12), tzinfo=local_zone())


def events(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEvent.action == action))


@pytest.fixture
def judged(world):
    """A Competente judgement approved by the reviewer: certifiable, and appealable."""
    return world.approved()


def test_the_candidate_appeals_within_the_window_with_a_file_kept_in_the_store(world, judged):
    appeal = services.file_appeal(
        world.candidate.user, judged, REASON, [Upload("../../etc/prueba.pdf", PDF)]
    )
    commit_request()
    assert appeal.status == AppealStatus.OPEN
    (kept,) = appeal.files
    assert kept.mimetype == "application/pdf" and ".." not in kept.file_key
    assert kept.shown_name == ".. .. etc prueba.pdf"
    assert current_storage().exists(kept.file_key)
    assert events("appeal.filed") == 1


def test_the_window_counts_working_days_and_its_last_day_whole(app, world, judged):
    deadline = services.appeal_deadline(judged)
    signed_on = judged.signed_off_at.astimezone(local_zone()).date()
    assert deadline.weekday() < 5
    assert (deadline - signed_on).days >= 14  # 10 working days span two weekends at least
    with (
        time_machine.travel(at_noon(deadline + timedelta(days=1))),
        pytest.raises(ValidationFailed, match="terminó"),
    ):
        services.file_appeal(world.candidate.user, judged, REASON)
    with time_machine.travel(at_noon(deadline)):
        services.file_appeal(world.candidate.user, judged, REASON)


def test_the_window_is_configurable(app, world, judged):
    app.config["APPEAL_WINDOW_WORKING_DAYS"] = 1
    deadline = services.appeal_deadline(judged)
    with (
        time_machine.travel(at_noon(deadline + timedelta(days=1))),
        pytest.raises(ValidationFailed),
    ):
        services.file_appeal(world.candidate.user, judged, REASON)


def test_only_the_candidate_appeals_their_own_judgement(world, judged):
    other = world.other_candidate.user
    for person in (other, world.admin, world.evaluator):
        with pytest.raises(PermissionDenied):
            services.file_appeal(person, judged, REASON)


def test_a_judgement_not_signed_off_cannot_be_appealed(world):
    assessment = world.schedule()
    with pytest.raises(ValidationFailed):
        services.file_appeal(world.candidate.user, assessment, REASON)


def test_a_bad_reason_or_file_stores_nothing(world, judged):
    for reason, uploads, field in (
        ("corto", [], "reason"),
        ("x" * 4001, [], "reason"),
        (REASON, [Upload("foto.pdf", b"MZ\x90\x00 not a pdf")], "files"),
        (REASON, [Upload(f"{n}.pdf", PDF) for n in range(6)], "files"),
    ):
        with pytest.raises(ValidationFailed) as caught:
            services.file_appeal(world.candidate.user, judged, reason, uploads)
        assert field in caught.value.reasons
        db.session.rollback()
    assert db.session.scalar(select(func.count(Appeal.id))) == 0
    assert list(current_storage().list("appeals/")) == []


def test_an_appeal_is_filed_once(world, judged):
    services.file_appeal(world.candidate.user, judged, REASON)
    with pytest.raises(ValidationFailed):
        services.file_appeal(world.candidate.user, judged, REASON)


def test_who_may_decide_is_nobody_involved(world):
    assessment = world.judge(world.schedule())
    assessments.return_judgement(world.reviewer, assessment, "Falta una observación")
    assessments.sign_off_judgement(
        world.evaluator, assessment, "Retroalimentación completa y útil."
    )
    appeal = services.file_appeal(world.candidate.user, assessment, REASON)
    other_centre_admin = factories.make_user(factories.make_centre("Otro plantel"), Role.ADMIN)
    # the evaluator, the reviewer who returned it (the row forgot them; the trail did not),
    # the candidate and staff of another centre may not decide
    for person in (world.evaluator, world.reviewer, world.candidate.user, other_centre_admin):
        with pytest.raises(PermissionDenied):
            services.ensure_may_decide(person, appeal)
    for role in (Role.EVALUATOR, Role.REVIEWER):
        services.ensure_may_decide(factories.make_user(world.centre, role), appeal)
    services.decide_appeal(world.admin, appeal, AppealStatus.DISMISSED, "Los resultados constan.")
    assert appeal.decided_by_id == world.admin.id
    with pytest.raises(Conflict):
        services.decide_appeal(world.admin, appeal, AppealStatus.UPHELD, "Cambio de opinión")


def test_an_open_appeal_holds_the_certificate_until_it_is_dismissed(world, judged):
    ensure_may_certify(world.admin, judged)
    appeal = services.file_appeal(world.candidate.user, judged, REASON)
    with pytest.raises(ValidationFailed, match="inconformidad"):
        ensure_may_certify(world.admin, judged)
    with pytest.raises(ValidationFailed, match="inconformidad"):
        issue_certificate(world.admin, judged)
    assert judged not in list_ready_to_certify(world.admin)
    with pytest.raises(PermissionDenied):  # the reviewer who approved it
        services.decide_appeal(world.reviewer, appeal, AppealStatus.DISMISSED, "Constan.")
    other = factories.make_user(world.centre, Role.REVIEWER)
    with pytest.raises(ValidationFailed):  # no reasons
        services.decide_appeal(other, appeal, AppealStatus.DISMISSED, " ")
    services.decide_appeal(other, appeal, AppealStatus.DISMISSED, "Los resultados constan.")
    ensure_may_certify(world.admin, judged)
    assert judged in list_ready_to_certify(world.admin)


def test_an_upheld_appeal_sets_the_judgement_aside(world, judged):
    appeal = services.file_appeal(world.candidate.user, judged, REASON)
    services.decide_appeal(world.admin, appeal, AppealStatus.UPHELD, "Hubo un error al registrar.")
    with pytest.raises(ValidationFailed, match="procedente|re-?evaluación|nueva evaluación"):
        ensure_may_certify(world.admin, judged)
    assert events("appeal.upheld") == 1


def test_every_step_is_mailed_in_the_recipients_language(world, judged, mailbox):
    world.candidate.user.language = "en"
    services.file_appeal(world.candidate.user, judged, REASON)
    commit_request()
    to_candidate = mailbox.last_to(world.candidate.user.email)
    assert "Appeal received: EC" in to_candidate.subject
    assert "neither evaluated nor reviewed" in to_candidate.text
    to_admin = mailbox.last_to(world.admin.email)
    assert "Inconformidad recibida: EC" in to_admin.subject
    assert world.candidate.full_name in to_admin.text
    appeal = db.session.scalar(select(Appeal))
    services.decide_appeal(world.admin, appeal, AppealStatus.DISMISSED, "Los resultados constan.")
    commit_request()
    decided = mailbox.last_to(world.candidate.user.email)
    assert "Your appeal was decided" in decided.subject
    assert "dismissed" in decided.text and "Los resultados constan." in decided.text
    assert decided.links == [f"http://localhost/appeals/{appeal.id}"]


@pytest.mark.postgres_only
def test_two_appeals_at_once_leave_one_open(app, world, judged):
    user_id, assessment_id = world.candidate.user.id, judged.id
    db.session.commit()

    def filing(go):
        from app.accounts.models import User
        from app.assessments.models import Assessment

        user, assessment = db.session.get(User, user_id), db.session.get(Assessment, assessment_id)
        go()
        return services.file_appeal(user, assessment, REASON).id

    outcomes = race(app, filing, filing)
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    assert db.session.scalar(select(func.count(Appeal.id))) == 1


@pytest.mark.postgres_only
def test_two_decisions_at_once_record_one(app, world, judged):
    appeal = services.file_appeal(world.candidate.user, judged, REASON)
    deciders = [world.admin.id, factories.make_user(world.centre, Role.REVIEWER).id]
    appeal_id = appeal.id
    db.session.commit()

    def deciding(user_id, outcome):
        def step(go):
            from app.accounts.models import User

            user, found = db.session.get(User, user_id), db.session.get(Appeal, appeal_id)
            go()
            services.decide_appeal(user, found, outcome, "Resuelta por el centro.")
            return outcome

        return step

    outcomes = race(
        app,
        deciding(deciders[0], AppealStatus.DISMISSED),
        deciding(deciders[1], AppealStatus.UPHELD),
    )
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    winner = next(o for o in outcomes if isinstance(o, AppealStatus))
    assert db.session.get(Appeal, appeal_id).status == winner
    assert events("appeal.dismissed") + events("appeal.upheld") == 1
