"""Factories that build valid objects through the services, as real use would."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select
from stdnum.mx import curp as stdnum_curp

from app.accounts import accreditations
from app.accounts.models import Centre, Credential, User
from app.accounts.roles import Role
from app.accounts.rules import EVALUATOR_STANDARD_CODE, base_code
from app.accounts.services import create_user, register_candidate
from app.assessments import plans
from app.assessments import services as assessments
from app.dates import today as local_today
from app.extensions import db
from app.standards import offers
from app.standards import services as standards
from app.standards.models import CriterionKind

PASSWORD = "correct-horse-battery"
_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


# Codes of real standards that tests enter themselves (the browser walk imports them into the
# live server's one database): generated codes never take them.
REAL_CODES = ("EC0076", "EC0217")


def _standard_code() -> str:
    code = f"EC{_next():04d}"
    return _standard_code() if code in REAL_CODES else code


def valid_curp(n: int, sex: str = "H", letters: str = "GOMA") -> str:
    """A CURP with a correct check digit, different for each n (born 1990 + n//12...); other
    name `letters` than the factories' keep a test's person apart from theirs."""
    base = f"{letters}{90 + n % 10:02d}{1 + n % 12:02d}{1 + n % 28:02d}{sex}DFRRN0"
    return base[:17] + stdnum_curp.calc_check_digit(base[:17] + "0")


def make_centre(name="CONALEP Plantel Azcapotzalco") -> Centre:
    n = _next()
    centre = Centre(code=f"CE-{n}", name=name, city="Ciudad de México")
    db.session.add(centre)
    db.session.flush()
    return centre


def make_user(centre, role: Role, name: str | None = None, password: str = PASSWORD):
    n = _next()
    return create_user(
        centre=centre,
        email=f"{role.value}{n}@example.com",
        full_name=name or f"{role.value.title()} {n}",
        role=role,
        password=password,
    )


def make_candidate(admin, name="María José Núñez Ávila", listed=True, password: str = PASSWORD):
    n = _next()
    return register_candidate(
        actor=admin,
        email=f"candidate{n}@example.com",
        full_name=name,
        curp=valid_curp(n, "M" if n % 2 else "H"),
        password=password,
        is_publicly_listed=listed,
    )


# (kind, weight, critical) per item; one element per kind keeps the structure realistic.
DEFAULT_ITEMS = [
    (CriterionKind.PERFORMANCE, 3, True),
    (CriterionKind.PERFORMANCE, 2, False),
    (CriterionKind.PRODUCT, 2, False),
    (CriterionKind.KNOWLEDGE, 2, False),
    (CriterionKind.ATTITUDE, 1, False),
]


def body_admin():
    """The body's administrator, who owns the catalogue: the first one, made when missing."""
    found = db.session.scalar(
        select(User).where(User.role == Role.BODY_ADMIN).order_by(User.id).limit(1)
    )
    return found or make_body_admin()


def offer(admin, standard):
    """The centre of `admin` (its administrator) offers `standard`, unless it does already."""
    if not offers.is_offered(admin.centre_id, standard.id):
        offers.offer_standard(admin, standard)


def make_standard(
    admin, items=DEFAULT_ITEMS, threshold=90, validity_years=3, publish=True, code=None
):
    """A standard built by the body administrator. Given a centre administrator as `admin`, a
    published standard is also offered by their centre, as the centre would choose it."""
    owner = admin if admin.role == Role.BODY_ADMIN else body_admin()
    standard = _build_standard(owner, items, threshold, validity_years, publish, code)
    if publish and admin.role == Role.ADMIN:
        offer(admin, standard)
    return standard


def _build_standard(admin, items, threshold, validity_years, publish, code):
    standard = standards.create_standard(
        actor=admin,
        code=code or _standard_code(),
        version="01",
        title="Impartición de cursos de formación del capital humano",
        level=3,
        sector="Educación y formación de personas",
        validity_years=validity_years,
        threshold_percent=threshold,
    )
    element = standards.add_element(admin, standard, "Conducir la sesión")
    for index, (kind, weight, critical) in enumerate(items, start=1):
        criterion = standards.add_criterion(admin, element, kind, f"Criterio {index}")
        standards.add_item(admin, standard, criterion, f"Reactivo {index}", weight, critical)
    if publish:
        standards.publish_standard(admin, standard, local_today())
    return standard


# A certificate issued elsewhere, as its holder would scan it: the smallest complete PDF.
CERTIFICATE_COPY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _centre_admin(evaluator):
    return db.session.scalar(
        select(User).where(User.centre_id == evaluator.centre_id, User.role == Role.ADMIN)
    )


def hold_certificate(evaluator, code: str, valid_until=None, actor=None):
    """Record that the evaluator holds a certificate of `code` issued elsewhere (unless already
    recorded), valid until `valid_until` (None: indefinite)."""
    held = db.session.scalar(
        select(Credential).where(
            Credential.evaluator_id == evaluator.id, Credential.standard_code == code
        )
    )
    if held is not None:
        return held
    return accreditations.record_external_credential(
        actor or _centre_admin(evaluator),
        evaluator,
        standard_code=code,
        folio=f"EXT-{code}-{_next()}",
        valid_until=valid_until,
        file=CERTIFICATE_COPY,
    )


def accredit(evaluator, standard, days_before=365, days_after=365, actor=None):
    """A cédula for `standard` over the period, and the certificates of EC0076 and of the
    standard that it needs (indefinite, unless the evaluator already holds them)."""
    actor = actor or _centre_admin(evaluator)
    hold_certificate(evaluator, EVALUATOR_STANDARD_CODE, actor=actor)
    hold_certificate(evaluator, base_code(standard.code), actor=actor)
    today = local_today()
    return accreditations.accredit_evaluator(
        actor=actor,
        evaluator=evaluator,
        standard=standard,
        number=f"CED-{_next():05d}",
        valid_from=today - timedelta(days=days_before),
        valid_until=today + timedelta(days=days_after),
    )


def slot(hours_from_now: float = 1, length_hours: float = 2):
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=hours_from_now)
    return start, start + timedelta(hours=length_hours)


# Sessions to be judged have started, and sessions cannot be booked in the past: the world
# books them "back then", a day before they start, with the clock moved (time-machine), and
# the evaluator records results now, as happens in real life. `hours_from_now` keeps its
# meaning as an order: sessions are placed this long before now, plus that many hours.
STARTED_AGO = timedelta(days=30)


def book_in_the_past(starts_at: datetime, book):
    """Call `book()` with the clock at one day before `starts_at`; what it returns."""
    with time_machine.travel(starts_at - timedelta(days=1), tick=True):
        return book()


def agree_plan(assessment, actor=None):
    """The default plan (every element, at the session's place and time) saved by the centre's
    administrator and accepted by the candidate, as results need; nothing if already agreed."""
    plan = plans.get_plan(assessment)
    if plan is not None and plan.is_accepted:
        return plan
    actor = actor or _centre_admin(assessment.evaluator)
    plan = plans.save_plan(actor, assessment, plans.default_elements(assessment))
    plans.accept_plan(assessment.candidate.user, assessment, plan.content_hash)
    return plan


@dataclass
class World:
    centre: Centre
    admin: object
    evaluator: object
    reviewer: object
    candidate: object
    other_candidate: object
    standard: object
    # The body's administrator: owns the catalogue (builds, publishes, versions standards).
    body_admin: object = None

    def book(self, candidate=None, hours_from_now=1, evaluator=None, starts_at=None, planned=True):
        """Book a session that starts `hours_from_now` hours from now (or at `starts_at`),
        as the centre's administrator does, with its plan agreed with the candidate (unless
        `planned` is False); nothing declared yet."""
        if starts_at is None:
            starts_at, ends_at = slot(hours_from_now)
        else:
            ends_at = starts_at + timedelta(hours=2)
        assessment = assessments.schedule_assessment(
            actor=self.admin,
            candidate=candidate or self.candidate,
            standard=self.standard,
            evaluator=evaluator or self.evaluator,
            starts_at=starts_at,
            ends_at=ends_at,
            location="Taller 2",
        )
        if planned:
            agree_plan(assessment, self.admin)
        return assessment

    def schedule(
        self, candidate=None, hours_from_now=1, evaluator=None, declared=True, planned=True
    ):
        """A session under way: booked a day before it started, which was STARTED_AGO before
        now (plus `hours_from_now` hours, to keep sessions apart), its plan agreed with the
        candidate then (unless `planned` is False), and the evaluator's declaration of no
        conflict of interest made (unless `declared` is False)."""
        starts_at, _ends_at = slot(hours_from_now)
        starts_at -= STARTED_AGO

        assessment = book_in_the_past(
            starts_at,
            lambda: self.book(candidate, evaluator=evaluator, starts_at=starts_at, planned=planned),
        )
        if declared:
            assessments.declare_no_conflict(assessment.evaluator, assessment)
        return assessment

    def judge(self, assessment, unmet=()):
        """Record every item (those at positions in `unmet` not met) and sign off."""
        items = self.standard.instrument.items
        agree_plan(assessment)
        assessments.record_item_results(
            self.evaluator,
            assessment,
            {item.id: (item.position not in unmet, "Observado en el taller") for item in items},
        )
        assessments.sign_off_judgement(
            self.evaluator, assessment, "Buen desempeño general; reforzar la evaluación final."
        )
        return assessment

    def approved(self, candidate=None, hours_from_now=1):
        assessment = self.judge(self.schedule(candidate, hours_from_now))
        assessments.approve_judgement(self.reviewer, assessment)
        return assessment


def make_world() -> World:
    centre = make_centre()
    admin = make_user(centre, Role.ADMIN, "Patricia Gómez Salinas")
    evaluator = make_user(centre, Role.EVALUATOR, "Laura Méndez Ochoa")
    reviewer = make_user(centre, Role.REVIEWER, "Jorge Ibáñez Peña")
    candidate = make_candidate(admin, "María José Núñez Ávila")
    other = make_candidate(admin, "Juan Pablo Hernández Ruiz")
    owner = body_admin()
    standard = make_standard(admin)
    accredit(evaluator, standard)
    db.session.commit()
    return World(centre, admin, evaluator, reviewer, candidate, other, standard, owner)


def make_body_admin(name="Rocío Vargas Luna", password: str = PASSWORD):
    n = _next()
    return create_user(
        centre=None,
        email=f"organismo{n}@example.com",
        full_name=name,
        role=Role.BODY_ADMIN,
        password=password,
    )
