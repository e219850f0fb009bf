"""Demo data for `make run`: the body administrator with the catalogue (EC0217.01, EC0076),
one centre offering both, its people, work in every stage.

Everything is created through the services, so the demo obeys the same rules as real use.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from app.accounts.accreditations import accredit_evaluator, record_external_credential
from app.accounts.models import Centre, User
from app.accounts.roles import Role
from app.accounts.rules import EVALUATOR_STANDARD_CODE
from app.accounts.services import create_user, register_candidate
from app.assessments import plans
from app.assessments import services as assessments
from app.assessments.models import Assessment, AssessmentStatus
from app.certificates.services import issue_certificate
from app.dates import to_utc, today
from app.diagnostics.services import start_diagnostic
from app.extensions import db
from app.standards import offers
from app.standards import services as standards
from app.standards.models import CriterionKind

DEMO_PASSWORD = "avala-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


# The certifying body's own administrator: opens centres and invites their administrators.
BODY_ADMIN = DemoLogin("body_admin", "organismo@example.com", "Rocío Vargas Luna")
LOGINS = [
    DemoLogin("admin", "admin@example.com", "Patricia Gómez Salinas"),
    DemoLogin("evaluator", "evaluador@example.com", "Laura Méndez Ochoa"),
    DemoLogin("reviewer", "verificador@example.com", "Jorge Ibáñez Peña"),
]
CANDIDATES = [
    ("candidata@example.com", "María José Núñez Ávila", "NUAJ950312MDFXVS00"),
    ("candidato@example.com", "Juan Pablo Hernández Ruiz", "HERJ880715HJCRZN01"),
]

EC0217_ELEMENTS = [
    (
        "Preparar la sesión de cursos de capacitación",
        [
            (
                CriterionKind.PRODUCT,
                "La planeación didáctica elaborada incluye objetivos, temas, técnicas y tiempos.",
                3,
                True,
            ),
            (CriterionKind.KNOWLEDGE, "Explica los tipos de objetivos de aprendizaje.", 1, False),
        ],
    ),
    (
        "Conducir la sesión de cursos de capacitación",
        [
            (
                CriterionKind.PERFORMANCE,
                "Presenta el encuadre del curso: objetivo, temario y reglas de operación.",
                2,
                True,
            ),
            (
                CriterionKind.PERFORMANCE,
                "Aplica técnicas de instrucción de acuerdo con la planeación.",
                2,
                False,
            ),
            (
                CriterionKind.ATTITUDE,
                "Amabilidad: atiende las dudas de los participantes con cortesía.",
                1,
                False,
            ),
        ],
    ),
    (
        "Evaluar el aprendizaje de los participantes",
        [
            (
                CriterionKind.PRODUCT,
                "El instrumento de evaluación final corresponde a los objetivos del curso.",
                2,
                False,
            ),
            (
                CriterionKind.KNOWLEDGE,
                "Describe la diferencia entre evaluación diagnóstica, formativa y sumativa.",
                1,
                False,
            ),
        ],
    ),
]


EC0217 = {
    "header": {
        "code": "EC0217",
        "version": "01",
        "title": "Impartición de cursos de formación del capital humano de manera presencial "
        "grupal",
        "level": 3,
        "sector": "Educación y formación de personas",
        "validity_years": 3,
        "purpose": "Servir como referente para la evaluación y certificación de las personas "
        "que imparten cursos de capacitación de manera presencial y grupal.",
        "threshold_percent": 90,
    },
    "elements": EC0217_ELEMENTS,
}

# The evaluator standard every evaluator must hold (EVALUATOR_STANDARD_CODE), in short.
EC0076 = {
    "header": {
        "code": "EC0076",
        "version": "",
        "title": "Evaluación de la competencia de candidatos con base en Estándares de Competencia",
        "level": 3,
        "sector": "Evaluación y certificación de competencias",
        "validity_years": 3,
        "threshold_percent": 100,
    },
    "elements": [
        (
            "Desarrollar el proceso de evaluación de competencia de candidatos",
            [
                (
                    CriterionKind.PRODUCT,
                    "El plan de evaluación elaborado corresponde al Estándar de Competencia.",
                    2,
                    True,
                ),
                (
                    CriterionKind.PERFORMANCE,
                    "Aplica los instrumentos de evaluación conforme al plan acordado.",
                    2,
                    True,
                ),
                (CriterionKind.KNOWLEDGE, "Explica qué es un juicio de competencia.", 1, False),
            ],
        ),
    ],
}


# The evaluator's certificates from elsewhere, as a scan would arrive: a minimal PDF.
DEMO_CERTIFICATE_COPY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User))


def load_demo() -> list[DemoLogin]:
    """Create the demo records in the current transaction; the caller commits."""
    centre = Centre(
        code="CONALEP-AZC", name="CONALEP Plantel Azcapotzalco", city="Ciudad de México"
    )
    db.session.add(centre)
    db.session.flush()
    body_admin = create_user(
        centre=None,
        email=BODY_ADMIN.email,
        full_name=BODY_ADMIN.name,
        role=Role.BODY_ADMIN,
        password=DEMO_PASSWORD,
    )
    admin, evaluator, reviewer = (
        create_user(
            centre=centre,
            email=login.email,
            full_name=login.name,
            role=Role(login.role),
            password=DEMO_PASSWORD,
        )
        for login in LOGINS
    )
    candidates = [
        register_candidate(
            actor=admin,
            email=email,
            full_name=name,
            curp=curp,
            password=DEMO_PASSWORD,
            is_publicly_listed=True,
        )
        for email, name, curp in CANDIDATES
    ]
    # The body owns the catalogue; the centre offers two of its standards.
    standard = _demo_standard(body_admin, EC0217)
    for offered in (standard, _demo_standard(body_admin, EC0076)):
        offers.offer_standard(admin, offered)
    day = today()
    for code, folio in ((EVALUATOR_STANDARD_CODE, "D-0076-118204"), ("EC0217", "D-0217-553017")):
        record_external_credential(
            admin,
            evaluator,
            standard_code=code,
            folio=folio,
            valid_until=None,
            file=DEMO_CERTIFICATE_COPY,
        )
    accredit_evaluator(
        actor=admin,
        evaluator=evaluator,
        standard=standard,
        number="CED-0217-0042",
        valid_from=day - timedelta(days=365),
        valid_until=day + timedelta(days=730),
    )
    _certified_assessment(admin, evaluator, reviewer, candidates[1], standard, day)
    booked = _book(
        admin, evaluator, candidates[0], standard, day + timedelta(days=1), time(9), time(13)
    )
    # Drafted, waiting for the candidate to accept it in the app (their "Mis evaluaciones").
    plans.save_plan(admin, booked, plans.default_elements(booked))
    # Waiting for the candidate who is booked tomorrow: her knowledge questions first.
    start_diagnostic(admin, candidates[0], standard)
    return [BODY_ADMIN, *LOGINS, *(DemoLogin("candidate", e, n) for e, n, _ in CANDIDATES)]


def _demo_standard(owner, definition: dict):
    header, elements = definition["header"], definition["elements"]
    standard = standards.create_standard(actor=owner, **header)
    for title, criteria in elements:
        element = standards.add_element(owner, standard, title)
        for kind, text, weight, critical in criteria:
            criterion = standards.add_criterion(owner, element, kind, text)
            standards.add_item(owner, standard, criterion, text, weight, critical)
    standards.publish_standard(owner, standard, today())
    return standard


def _book(admin, evaluator, candidate, standard, day, start, end):
    return assessments.schedule_assessment(
        actor=admin,
        candidate=candidate,
        standard=standard,
        evaluator=evaluator,
        starts_at=to_utc(datetime.combine(day, start)),
        ends_at=to_utc(datetime.combine(day, end)),
        location="Aula 3, edificio B",
    )


def _past_session(admin, evaluator, candidate, standard, day, start, end) -> Assessment:
    """A session held last week, loaded as history (as records kept before Avala would be):
    nobody can book a session in the past through the service, so the row is written
    directly, with the evaluator's declaration of no conflict of interest made back then."""
    starts_at = to_utc(datetime.combine(day, start))
    assessment = Assessment(
        centre_id=admin.centre_id,
        candidate=candidate,
        standard=standard,
        evaluator=evaluator,
        starts_at=starts_at,
        ends_at=to_utc(datetime.combine(day, end)),
        location="Aula 3, edificio B",
        no_conflict_declared_at=starts_at - timedelta(days=1),
        status=AssessmentStatus.SCHEDULED,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _certified_assessment(admin, evaluator, reviewer, candidate, standard, day):
    assessment = _past_session(
        admin, evaluator, candidate, standard, day - timedelta(days=7), time(9), time(13)
    )
    plan = plans.save_plan(admin, assessment, plans.default_elements(assessment))
    plans.accept_plan(candidate.user, assessment, plan.content_hash)
    items = standard.instrument.items
    assessments.record_item_results(
        evaluator,
        assessment,
        {item.id: (True, "Cumple con lo establecido en el estándar.") for item in items},
    )
    assessments.sign_off_judgement(
        evaluator,
        assessment,
        "Planeación clara y conducción segura del grupo. Se recomienda reforzar el uso de "
        "técnicas de evaluación formativa.",
    )
    assessments.approve_judgement(reviewer, assessment)
    issue_certificate(admin, assessment)
