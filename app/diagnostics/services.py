"""Starting and answering diagnostics. Services add and flush; the caller commits."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.accounts.models import Candidate, User
from app.accounts.queries import is_enrolled
from app.accounts.roles import Role
from app.audit.services import record_event
from app.db_types import utcnow
from app.diagnostics import questionnaire
from app.diagnostics.models import Diagnostic, DiagnosticAnswer
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.extensions import db
from app.mail.services import public_url, send_mail
from app.standards.models import Standard
from app.standards.offers import is_offered

STARTERS = (Role.ADMIN, Role.EVALUATOR)
NO_QUESTIONNAIRE = _l(
    "This standard's instrument has no questionnaire (knowledge) items, so it has no diagnostic."
)


def start_diagnostic(actor: User, candidate: Candidate, standard: Standard) -> Diagnostic:
    """Open a diagnostic of `standard` for a candidate of the actor's centre and tell the
    candidate by e-mail. Raises PermissionDenied, NotFound (not enrolled here) or
    ValidationFailed (a standard the centre does not offer, or without questionnaire items)."""
    if actor.role not in STARTERS:
        raise PermissionDenied()
    if not is_enrolled(candidate.id, actor.centre_id):
        raise NotFound()
    if not standard.is_published or not is_offered(actor.centre_id, standard.id):
        raise ValidationFailed.on("standard", str(_l("Choose a standard your centre offers.")))
    if standard.instrument is None or not questionnaire.items_asked(standard.instrument.items):
        raise ValidationFailed.on("standard", str(NO_QUESTIONNAIRE))
    diagnostic = Diagnostic(
        centre_id=actor.centre_id, candidate=candidate, standard=standard, started_by_id=actor.id
    )
    db.session.add(diagnostic)
    db.session.flush()
    record_event(actor, "diagnostic.started", diagnostic, standard=standard.full_code)
    _tell_candidate(diagnostic)
    return diagnostic


def _tell_candidate(diagnostic: Diagnostic) -> None:
    person = diagnostic.candidate.user
    send_mail(
        person.email,
        "diagnostic_started",
        person.language,
        {
            "full_name": person.full_name,
            "code": diagnostic.standard.full_code,
            "title": diagnostic.standard.title,
            "centre_name": diagnostic.centre.name,
            "link": public_url("diagnostics.show", diagnostic_id=diagnostic.id),
        },
    )


def ensure_may_see(actor: User, diagnostic: Diagnostic) -> None:
    """The candidate sees their own; staff of the centre that opened it see it. Everyone else
    is told it does not exist."""
    if actor.role == Role.CANDIDATE:
        if actor.candidate is None or actor.candidate.id != diagnostic.candidate_id:
            raise NotFound()
    elif actor.role in (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER):
        if actor.centre_id != diagnostic.centre_id:
            raise NotFound()
    else:
        raise NotFound()


def ensure_may_answer(actor: User, diagnostic: Diagnostic) -> None:
    ensure_may_see(actor, diagnostic)
    if actor.role not in (Role.CANDIDATE, *STARTERS):
        raise PermissionDenied()
    if diagnostic.is_completed:
        raise Conflict(str(_l("This diagnostic has already been answered.")))


def answer_diagnostic(actor: User, diagnostic: Diagnostic, answers: dict[int, bool]) -> None:
    """Record every questionnaire answer and the advice, once: of two submissions at the same
    moment one wins (the conditional update below and the unique answer per item decide), the
    other gets a Conflict and writes nothing."""
    ensure_may_answer(actor, diagnostic)
    items = questionnaire.items_asked(diagnostic.standard.instrument.items)
    unanswered = [item for item in items if item.id not in answers]
    if unanswered:
        raise ValidationFailed(
            str(_l("Answer every question (%(count)d left).", count=len(unanswered))),
            {f"item_{item.id}": [str(_l("Answer this question."))] for item in unanswered},
        )
    threshold = diagnostic.standard.instrument.threshold_percent
    score, recommendation = questionnaire.advise(items, answers, threshold)
    _claim(diagnostic, actor, score, recommendation)
    db.session.add_all(
        DiagnosticAnswer(diagnostic_id=diagnostic.id, item_id=item.id, is_met=answers[item.id])
        for item in items
    )
    db.session.flush()
    db.session.refresh(diagnostic)
    record_event(actor, "diagnostic.answered", diagnostic, score=score, advice=recommendation.value)


def _claim(diagnostic: Diagnostic, actor: User, score: float, recommendation) -> None:
    claimed = db.session.execute(
        update(Diagnostic)
        .where(Diagnostic.id == diagnostic.id, Diagnostic.completed_at.is_(None))
        .values(
            completed_at=utcnow(),
            completed_by_id=actor.id,
            score_percent=score,
            recommendation=recommendation,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict(str(_l("This diagnostic has already been answered.")))
