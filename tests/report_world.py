"""A hand-built world for the reports, whose every figure is worked out by hand below.

Built through the services (scheduling, results, sign-off, review, issue, suspension,
revocation), then moved back in time with UPDATEs: the services stamp "now", and the reports
count by date. The audit trail cannot be moved (it is append-only, a trigger refuses any
UPDATE): its sign-offs and returns stay dated today, when the world was built. Local times
are America/Mexico_City (UTC-6 all year since 2022).

Centre A (the one under test), standards S1 and S2, evaluators E1 and E2:
  a1 E1 S1 starts 2026-01-08, Competente signed 2026-01-10 12:00, certificate 2026-01-14 12:00
  a2 E1 S1 starts 2026-01-18, Todavía no competente signed 2026-01-20
  a3 E1 S2 starts 2026-02-03, Competente signed 2026-02-05 12:00, certificate 2026-02-07 12:00,
     suspended
  a4 E2 S1 starts 2026-02-08, signed, returned by the reviewer, signed again 2026-02-10 12:00
     (Competente), certificate 2026-02-20 12:00, revoked
  a5 E2 S1 starts 2026-03-03, only scheduled
  a6 E1 S1 starts 2026-03-31 20:00, Competente signed 2026-03-31 23:30 local time, which is
     2026-04-01 05:30 UTC: March, not April, at the centre; waiting for review
Centre B (never seen by A's administrator): evaluator E3, standard S1:
  b1 E3 S1 starts 2026-01-12, Competente signed 2026-01-15 12:00, certificate 2026-01-16 12:00
  b2 E3 S1 starts 2026-02-01, Todavía no competente signed 2026-02-01 12:00
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from app.accounts.roles import Role
from app.assessments import services as assessments
from app.assessments.models import Assessment
from app.certificates.lifecycle import change_certificate_status
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.extensions import db
from tests import factories

MEXICO = ZoneInfo("America/Mexico_City")
FEEDBACK = "Buen desempeño general; reforzar la evaluación final."


def local(*parts) -> datetime:
    return datetime(*parts, tzinfo=MEXICO).astimezone(UTC)


@dataclass
class ReportWorld:
    centre_a: object
    centre_b: object
    admin_a: object
    admin_b: object
    evaluator_1: object
    evaluator_2: object
    evaluator_3: object
    reviewer_a: object
    standard_1: object
    standard_2: object
    emails: dict


class _Builder:
    def __init__(self):
        self.hours = 0

    def schedule(self, admin, candidate, standard, evaluator):
        self.hours += 3
        starts_at, ends_at = factories.slot(self.hours)
        starts_at, ends_at = starts_at - factories.STARTED_AGO, ends_at - factories.STARTED_AGO
        assessment = factories.book_in_the_past(
            starts_at,
            lambda: assessments.schedule_assessment(
                actor=admin,
                candidate=candidate,
                standard=standard,
                evaluator=evaluator,
                starts_at=starts_at,
                ends_at=ends_at,
                location="Taller 2",
            ),
        )
        factories.agree_plan(assessment, admin)
        assessments.declare_no_conflict(evaluator, assessment)  # under way, as results need
        return assessment

    @staticmethod
    def judge(evaluator, assessment, competent: bool):
        items = assessment.standard.instrument.items
        # Position 1 is the critical item: not met, the judgement is Todavía no competente.
        entries = {i.id: (competent or i.position != 1, "Observado") for i in items}
        assessments.record_item_results(evaluator, assessment, entries)
        assessments.sign_off_judgement(evaluator, assessment, FEEDBACK)
        return assessment


def _backdate(assessment, starts_at, signed_off_at=None):
    db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    )
    if signed_off_at is not None:
        db.session.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id)
            .values(signed_off_at=signed_off_at)
        )


def _backdate_certificate(certificate, judged_at, issued_at):
    """The certificate prints the local day of the sign-off as its judgement's date."""
    db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id)
        .values(issued_at=issued_at, judged_on=judged_at.astimezone(MEXICO).date())
    )


def build_report_world(codes: tuple[str, str] = ("EC0217", "EC0301")) -> ReportWorld:
    """`codes`: the two standards' codes; a database other tests share needs its own."""
    b = _Builder()
    centre_a = factories.make_centre("CONALEP Plantel Azcapotzalco")
    centre_b = factories.make_centre("CONALEP Plantel Tlalnepantla")
    admin_a = factories.make_user(centre_a, Role.ADMIN, "Patricia Gómez Salinas")
    admin_b = factories.make_user(centre_b, Role.ADMIN, "Rosa Ortiz Luna")
    e1 = factories.make_user(centre_a, Role.EVALUATOR, "Laura Méndez Ochoa")
    e2 = factories.make_user(centre_a, Role.EVALUATOR, "=Ernesto Díaz Vela")  # a formula-like name
    e3 = factories.make_user(centre_b, Role.EVALUATOR, "Tomás Reyes Cano")
    reviewer_a = factories.make_user(centre_a, Role.REVIEWER, "Jorge Ibáñez Peña")
    reviewer_b = factories.make_user(centre_b, Role.REVIEWER, "Irma Soto Gil")
    candidate_a = factories.make_candidate(admin_a, "María José Núñez Ávila")
    candidate_b = factories.make_candidate(admin_b, "Juan Pablo Hernández Ruiz")
    s1 = factories.make_standard(admin_a, code=codes[0])
    s2 = factories.make_standard(admin_a, code=codes[1])
    factories.offer(admin_b, s1)  # both centres assess EC0217
    for evaluator, standard in [(e1, s1), (e1, s2), (e2, s1), (e3, s1)]:
        factories.accredit(evaluator, standard)

    a1 = b.judge(e1, b.schedule(admin_a, candidate_a, s1, e1), competent=True)
    a2 = b.judge(e1, b.schedule(admin_a, candidate_a, s1, e1), competent=False)
    a3 = b.judge(e1, b.schedule(admin_a, candidate_a, s2, e1), competent=True)
    a4 = b.judge(e2, b.schedule(admin_a, candidate_a, s1, e2), competent=True)
    assessments.return_judgement(reviewer_a, a4, "Falta la evidencia del producto.")
    b.judge(e2, a4, competent=True)
    a5 = b.schedule(admin_a, candidate_a, s1, e2)
    a6 = b.judge(e1, b.schedule(admin_a, candidate_a, s1, e1), competent=True)
    b1 = b.judge(e3, b.schedule(admin_b, candidate_b, s1, e3), competent=True)
    b2 = b.judge(e3, b.schedule(admin_b, candidate_b, s1, e3), competent=False)
    for assessment in (a1, a2, a3, a4):
        assessments.approve_judgement(reviewer_a, assessment)
    for assessment in (b1, b2):
        assessments.approve_judgement(reviewer_b, assessment)
    c1 = issue_certificate(admin_a, a1)
    c3 = issue_certificate(admin_a, a3)
    c4 = issue_certificate(admin_a, a4)
    cb1 = issue_certificate(admin_b, b1)
    change_certificate_status(admin_a, c3, "suspended", "Revisión de la evidencia", "under_review")
    change_certificate_status(admin_a, c4, "revoked", "Evidencia no auténtica", "body_decision")
    db.session.flush()

    dates = [
        (a1, local(2026, 1, 8, 9), local(2026, 1, 10, 12)),
        (a2, local(2026, 1, 18, 9), local(2026, 1, 20, 12)),
        (a3, local(2026, 2, 3, 9), local(2026, 2, 5, 12)),
        (a4, local(2026, 2, 8, 9), local(2026, 2, 10, 12)),
        (a5, local(2026, 3, 3, 9), None),
        (a6, local(2026, 3, 31, 20), local(2026, 3, 31, 23, 30)),
        (b1, local(2026, 1, 12, 9), local(2026, 1, 15, 12)),
        (b2, local(2026, 2, 1, 9), local(2026, 2, 1, 12)),
    ]
    for assessment, starts_at, signed_off_at in dates:
        _backdate(assessment, starts_at, signed_off_at)
    signed = {assessment.id: signed_off_at for assessment, _, signed_off_at in dates}
    for certificate, issued_at in [
        (c1, local(2026, 1, 14, 12)),
        (c3, local(2026, 2, 7, 12)),
        (c4, local(2026, 2, 20, 12)),
        (cb1, local(2026, 1, 16, 12)),
    ]:
        _backdate_certificate(certificate, signed[certificate.assessment_id], issued_at)
    db.session.commit()
    emails = {
        Role.ADMIN: admin_a.email,
        Role.EVALUATOR: e1.email,
        Role.REVIEWER: reviewer_a.email,
        Role.CANDIDATE: candidate_a.user.email,
    }
    return ReportWorld(centre_a, centre_b, admin_a, admin_b, e1, e2, e3, reviewer_a, s1, s2, emails)
