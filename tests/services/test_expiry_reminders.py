"""Expiry reminders: the holder hears 90, 30 and 7 days before the certificate's last day, on a
real SMTP server, once per threshold however often, late or in parallel the job runs."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.certificates.lifecycle import revoke_certificate
from app.certificates.models import CertificateReminder
from app.certificates.reminders import list_expiring, send_expiry_reminders
from app.certificates.services import issue_certificate
from app.dates import local_zone
from app.extensions import db
from app.jobs.reminders import remind_expiring_certificates
from app.jobs.services import period_start
from app.tasks import DAY, huey
from app.transactions import commit_request
from tests.concurrency import race
from tests.conftest import POSTGRES_URL


@pytest.fixture
def certified(world, mailbox):
    certificate = issue_certificate(world.admin, world.approved())
    commit_request()
    mailbox.clear()  # the booking's e-mails
    return certificate


def days_before(certificate, days: int):
    """The clock at noon at the centre, `days` days before the certificate's last day."""
    day = certificate.valid_until - timedelta(days=days)
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=local_zone()), tick=False)


def run_job() -> dict:
    return remind_expiring_certificates.call_local()


def reminders_sent() -> list[int]:
    return sorted(db.session.scalars(select(CertificateReminder.days_before)), reverse=True)


def test_the_holder_is_reminded_90_30_and_7_days_before_once_each(certified, world, mailbox):
    holder = world.candidate.user.email
    with days_before(certified, 91):
        assert run_job()["reminded"] == 0
    with days_before(certified, 90):
        assert run_job() | {"pid": 0} == {"ran": True, "reminded": 1, "pid": 0}
        assert run_job()["ran"] is False  # another worker's copy, the same day
    received = mailbox.last_to(holder)
    assert received.subject == f"Tu certificado {certified.standard_code} vence en 90 días"
    assert certified.folio in received.text and "faltan 90 días" in received.text
    assert received.links == [f"http://localhost/certificates/{certified.public_id}"]
    assert f'href="http://localhost/certificates/{certified.public_id}"' in received.html
    for days in (60, 31):
        with days_before(certified, days):
            assert run_job()["reminded"] == 0
    with days_before(certified, 30):
        assert run_job()["reminded"] == 1
        assert send_expiry_reminders() == 0  # the command after the job: nothing more
        commit_request()
    with days_before(certified, 7):
        assert run_job()["reminded"] == 1
    with days_before(certified, 3):
        assert run_job()["reminded"] == 0
    subjects = [m.subject for m in mailbox.to(holder)]
    assert [s.rsplit(" ", 2)[1] for s in subjects] == ["90", "30", "7"]
    assert reminders_sent() == [90, 30, 7]


def test_a_job_that_missed_days_sends_the_threshold_reached_not_an_earlier_one(
    certified, world, mailbox
):
    with days_before(certified, 29):  # the job did not run for the 90- or the 30-day mark
        assert run_job()["reminded"] == 1
    with days_before(certified, 20):
        assert run_job()["reminded"] == 0
    assert reminders_sent() == [30]
    assert [m.subject.rsplit(" ", 2)[1] for m in mailbox.messages] == ["29"]


def test_the_reminder_speaks_the_holders_language(certified, world, mailbox):
    world.candidate.user.language = "en"
    db.session.commit()
    with days_before(certified, 7):
        run_job()
    received = mailbox.last_to(world.candidate.user.email)
    assert received.subject == f"Your certificate {certified.standard_code} expires in 7 days"
    assert "7 days from today" in received.text


def test_revoked_and_suspended_certificates_get_no_reminder(certified, world, mailbox):
    revoke_certificate(world.admin, certified, "Suplantación de identidad")
    db.session.commit()
    with days_before(certified, 7):
        assert run_job()["reminded"] == 0
    assert mailbox.messages == [] and reminders_sent() == []


def test_the_command_sends_what_the_job_would_and_only_once(certified, world, runner, mailbox):
    with days_before(certified, 30):
        first = runner.invoke(args=["certificates", "remind-expiring"])
        again = runner.invoke(args=["certificates", "remind-expiring"])
    assert "1 expiry reminders queued." in first.output
    assert "0 expiry reminders queued." in again.output
    assert len(mailbox.to(world.candidate.user.email)) == 1


def test_the_centre_lists_what_expires_within_the_period(certified, world):
    with days_before(certified, 20):
        assert list_expiring(world.centre.id, 7) == []
        [(certificate, days_left, renewal)] = list_expiring(world.centre.id, 30)
    assert (certificate.id, days_left, renewal) == (certified.id, 20, None)
    other_centre_id = world.centre.id + 1000
    with days_before(certified, 20):
        assert list_expiring(other_centre_id, 90) == []


@pytest.mark.skipif(not POSTGRES_URL, reason="parallel writers: PostgreSQL")
def test_two_workers_sending_at_the_same_instant_send_one_reminder(app, certified, mailbox):
    def worker(go):
        go()
        sent = send_expiry_reminders()
        commit_request()
        return sent

    with days_before(certified, 30):
        outcomes = race(app, worker, worker)
    assert sorted(outcomes) == [0, 1]
    assert len(mailbox.messages) == 1
    assert db.session.scalar(select(func.count()).select_from(CertificateReminder)) == 1


def test_the_reminder_jobs_are_scheduled_daily_and_hourly():
    def scheduled(hour: int, minute: int = 0) -> set[str]:
        return {task.name for task in huey.read_periodic(datetime(2026, 11, 26, hour, minute))}

    assert "remind-expiring-certificates" in scheduled(0)
    assert "remind-expiring-certificates" not in scheduled(12)
    assert "remind-sessions" in scheduled(12) and "remind-sessions" not in scheduled(12, 30)


def test_a_daily_job_claims_the_whole_day():
    moment = datetime(2026, 11, 26, 17, 42, 5)
    assert period_start(moment, DAY) == datetime(2026, 11, 26)
    assert period_start(moment, 60) == datetime(2026, 11, 26, 17)
    assert period_start(moment, 15) == datetime(2026, 11, 26, 17, 30)


@pytest.mark.skipif(not POSTGRES_URL, reason="parallel writers: PostgreSQL")
def test_two_workers_running_the_daily_job_at_once_send_one_reminder(app, certified, mailbox):
    def worker(go):
        go()
        return run_job()

    with days_before(certified, 7):
        outcomes = race(app, worker, worker)
    assert sorted(o["ran"] for o in outcomes) == [False, True]
    assert len(mailbox.messages) == 1
