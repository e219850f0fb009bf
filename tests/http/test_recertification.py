"""Recertification end to end: the holder asks from the certificate's page, the centre schedules
the assessment, the new certificate supersedes the old one, whose pages then link to it."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.assessments import services as assessments
from app.audit.models import AuditEvent
from app.certificates.models import (
    Certificate,
    CertificateStatus,
    RecertificationRequest,
    RecertificationStatus,
)
from app.certificates.recertification import (
    AlreadyRequested,
    request_recertification,
    schedule_recertification,
    withdraw_recertification,
)
from app.certificates.services import issue_certificate
from app.dates import local_zone, today
from app.errors import DomainError
from app.extensions import db
from app.transactions import commit_request
from tests.concurrency import race
from tests.conftest import POSTGRES_URL


@pytest.fixture
def certified(world, mailbox):
    certificate = issue_certificate(world.admin, world.approved())
    commit_request()
    mailbox.clear()  # the booking's e-mails
    return certificate


def requests_of(certificate) -> list[RecertificationRequest]:
    return list(
        db.session.scalars(
            select(RecertificationRequest).where(
                RecertificationRequest.certificate_id == certificate.id
            )
        )
    )


def actions_on(certificate) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "certificates", AuditEvent.object_id == certificate.id)
            .order_by(AuditEvent.id)
        )
    )


SESSION_DAY = timedelta(days=2)  # from today, 10:00 to 12:00 local time, in Taller 3


def booking_form(evaluator) -> dict:
    day = (today() + SESSION_DAY).isoformat()
    return {
        "evaluator": evaluator.id,
        "starts_at": f"{day}T10:00",
        "ends_at": f"{day}T12:00",
        "location": "Taller 3",
    }


def book(admin, renewal, evaluator):
    """The centre schedules the recertification's session, as booking_form would."""
    day = today() + SESSION_DAY
    return schedule_recertification(
        admin,
        renewal,
        evaluator=evaluator,
        starts_at=datetime.combine(day, time(10), tzinfo=local_zone()),
        ends_at=datetime.combine(day, time(12), tzinfo=local_zone()),
        location="Taller 3",
    )


def ask(client, certificate):
    return client.post(f"/certificates/{certificate.public_id}/recertification")


def test_recertification_from_request_to_the_new_certificate_superseding_the_old(
    certified, world, client, login, mailbox
):
    login(world.candidate.user)
    page = client.get(f"/certificates/{certified.public_id}").get_data(as_text=True)
    assert "Solicitar la recertificación" in page
    assert ask(client, certified).status_code == 302
    notice = mailbox.last_to(world.admin.email)
    assert notice.subject.strip() == (
        f"Recertificación solicitada: {world.candidate.full_name}, {certified.standard_code}"
    )
    assert "http://localhost/certificates/recertifications" in notice.links
    assert ask(client, certified).status_code == 302  # a second request is refused
    assert "Ya se solicitó" in client.get(f"/certificates/{certified.public_id}").get_data(
        as_text=True
    )
    [renewal] = requests_of(certified)

    login(world.admin)
    assert world.candidate.full_name in client.get("/certificates/recertifications").get_data(
        as_text=True
    )
    form = booking_form(world.evaluator)
    response = client.post(f"/certificates/recertifications/{renewal.id}", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    new_assessment = renewal.assessment
    assert response.location.endswith(f"/assessments/{new_assessment.id}")
    assert renewal.status == RecertificationStatus.SCHEDULED
    scheduled = mailbox.to(world.candidate.user.email)[-2:]  # and the booking's own e-mail
    assert any("recertificación" in m.subject and "Taller 3" in m.text for m in scheduled)
    again = client.post(f"/certificates/recertifications/{renewal.id}", data=form)
    assert again.status_code in (403, 422)  # scheduled already: nothing booked twice

    session = datetime.combine(today() + SESSION_DAY, time(11), tzinfo=local_zone())
    with time_machine.travel(session, tick=True):
        assessments.declare_no_conflict(world.evaluator, new_assessment)
        world.judge(new_assessment)
        assessments.approve_judgement(world.reviewer, new_assessment)
        commit_request()
        login(world.admin)
        assert client.post(f"/assessments/{new_assessment.id}/certify").status_code == 302
    db.session.expire_all()
    successor = db.session.scalar(
        select(Certificate).where(Certificate.assessment_id == new_assessment.id)
    )
    assert certified.status == CertificateStatus.SUPERSEDED
    assert certified.superseded_by_id == successor.id
    assert renewal.status == RecertificationStatus.COMPLETED
    assert actions_on(certified)[-3:] == [
        "recertification.requested",
        "recertification.scheduled",
        "certificate.superseded",
    ]

    public = client.get(f"/v/{certified.public_id}").get_data(as_text=True)
    assert "SUSTITUIDO" in public and f"Sustituido por {successor.folio}" in public
    assert f'href="/v/{successor.public_id}"' in public
    login(world.candidate.user)
    holder_page = client.get(f"/certificates/{certified.public_id}").get_data(as_text=True)
    assert "Sustituido por" in holder_page and successor.folio in holder_page
    assert "Solicitar la recertificación" not in holder_page


def test_only_the_holder_asks_and_only_for_a_certificate_that_stands(
    certified, world, client, login
):
    login(world.other_candidate.user)
    assert ask(client, certified).status_code == 404
    login(world.admin)
    assert ask(client, certified).status_code == 403
    certified.status = CertificateStatus.SUSPENDED
    certified.public_reason = "under_review"
    db.session.commit()
    login(world.candidate.user)
    ask(client, certified)
    assert requests_of(certified) == []


def test_the_centre_lists_expiring_certificates_with_their_requests(
    certified, world, client, login
):
    login(world.candidate.user)
    ask(client, certified)
    login(world.admin)
    with time_machine.travel(certified.valid_until - timedelta(days=20), tick=True):
        login(world.admin)
        within_30 = client.get("/certificates/expiring?within=30").get_data(as_text=True)
        within_7 = client.get("/certificates/expiring?within=7").get_data(as_text=True)
    assert certified.folio in within_30 and "Solicitada" in within_30
    assert certified.folio not in within_7


@pytest.mark.skipif(not POSTGRES_URL, reason="parallel writers: PostgreSQL")
def test_two_requests_at_the_same_instant_make_one(app, certified, world):
    holder_id, certificate_id = world.candidate.user.id, certified.id

    def holder_asks(go):
        from app.accounts.models import User

        holder, certificate = (
            db.session.get(User, holder_id),
            db.session.get(Certificate, certificate_id),
        )
        go()
        return request_recertification(holder, certificate)

    outcomes = race(app, holder_asks, holder_asks)
    assert sum(isinstance(o, AlreadyRequested) for o in outcomes) == 1
    assert db.session.scalar(select(func.count()).select_from(RecertificationRequest)) == 1


def withdraw(client, certificate):
    return client.post(f"/certificates/{certificate.public_id}/recertification/withdraw")


def test_the_holder_withdraws_a_request_not_yet_scheduled_and_may_ask_again(
    certified, world, client, login
):
    login(world.candidate.user)
    ask(client, certified)
    page = client.get(f"/certificates/{certified.public_id}").get_data(as_text=True)
    assert "Retirar la solicitud" in page
    login(world.other_candidate.user)
    assert withdraw(client, certified).status_code == 404
    login(world.admin)
    assert withdraw(client, certified).status_code == 403
    db.session.expire_all()
    [renewal] = requests_of(certified)
    assert renewal.status == RecertificationStatus.REQUESTED

    login(world.candidate.user)
    response = withdraw(client, certified)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Se retiró su solicitud de recertificación" in page
    assert "Solicitar la recertificación" in page and "Retirar la solicitud" not in page
    db.session.expire_all()
    assert renewal.status == RecertificationStatus.WITHDRAWN and renewal.withdrawn_at
    assert actions_on(certified)[-2:] == ["recertification.requested", "recertification.withdrawn"]

    # The centre sees it withdrawn and cannot book it any more.
    login(world.admin)
    listing = client.get("/certificates/recertifications").get_data(as_text=True)
    assert "Retirada por el titular" in listing
    form = booking_form(world.evaluator)
    refused = client.post(f"/certificates/recertifications/{renewal.id}", data=form)
    assert refused.status_code in (403, 422)
    assert "El titular retiró esta solicitud" in refused.get_data(as_text=True)

    # A second thought: the holder asks again, and that request is the open one.
    login(world.candidate.user)
    assert withdraw(client, certified).status_code == 302  # nothing left to withdraw
    ask(client, certified)
    db.session.expire_all()
    statuses = sorted(r.status.value for r in requests_of(certified))
    assert statuses == ["requested", "withdrawn"]


def test_a_scheduled_recertification_cannot_be_withdrawn_by_the_holder(
    certified, world, client, login
):
    login(world.candidate.user)
    ask(client, certified)
    [renewal] = requests_of(certified)
    book(world.admin, renewal, world.evaluator)
    commit_request()
    page = client.get(f"/certificates/{certified.public_id}").get_data(as_text=True)
    assert "Retirar la solicitud" not in page
    response = withdraw(client, certified)
    assert response.status_code == 302
    assert "ya fue programada" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert renewal.status == RecertificationStatus.SCHEDULED


@pytest.mark.skipif(not POSTGRES_URL, reason="parallel writers: PostgreSQL")
def test_a_withdrawal_and_a_booking_at_the_same_instant_never_both_happen(app, certified, world):
    request_recertification(world.candidate.user, certified)
    commit_request()
    ids = (world.candidate.user.id, world.admin.id, world.evaluator.id, certified.id)

    def load():
        from app.accounts.models import User

        holder, admin, evaluator = (db.session.get(User, i) for i in ids[:3])
        return holder, admin, evaluator, db.session.get(Certificate, ids[3])

    def holder_withdraws(go):
        holder, _admin, _evaluator, certificate = load()
        go()
        return withdraw_recertification(holder, certificate)

    def centre_books(go):
        _holder, admin, evaluator, certificate = load()
        [renewal] = requests_of(certificate)
        go()
        return book(admin, renewal, evaluator)

    outcomes = race(app, holder_withdraws, centre_books)
    # One wins; the other is refused: caught at its row lock (Conflict), or, when it read after
    # the winner committed, by the rules (a scheduled request is no longer withdrawn).
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], DomainError), outcomes
    withdrawn_first = outcomes[1] is refused[0]
    db.session.expire_all()
    [renewal] = requests_of(certified)
    booked = renewal.status == RecertificationStatus.SCHEDULED
    assert booked == (renewal.assessment_id is not None)
    assert renewal.status in (RecertificationStatus.SCHEDULED, RecertificationStatus.WITHDRAWN)
    # The request ends as the winner left it.
    assert renewal.status == (
        RecertificationStatus.WITHDRAWN if withdrawn_first else RecertificationStatus.SCHEDULED
    )
