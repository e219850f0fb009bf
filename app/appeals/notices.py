"""The e-mails of an appeal, each in its recipient's language: received (to the candidate and
the centre's administrators) and decided (to the candidate)."""

from app.appeals.models import Appeal
from app.appeals.queries import list_admins_of
from app.mail.services import public_url, send_mail


def _context(appeal: Appeal) -> dict:
    assessment = appeal.assessment
    return {
        "code": assessment.standard.full_code,
        "title": assessment.standard.title,
        "candidate_name": assessment.candidate.full_name,
        "judgement": str(assessment.judgement.label),
        "filed_on": appeal.filed_at.isoformat(),
        "link": public_url("appeals.show", appeal_id=appeal.id),
    }


def appeal_received(appeal: Appeal) -> None:
    context = _context(appeal)
    candidate = appeal.assessment.candidate.user
    recipients = [(candidate, False)] + [(a, True) for a in list_admins_of(appeal.centre_id)]
    for person, is_staff in recipients:
        send_mail(
            person.email,
            "appeal_received",
            person.language,
            {**context, "full_name": person.full_name, "is_staff": is_staff},
        )


def appeal_decided(appeal: Appeal) -> None:
    candidate = appeal.assessment.candidate.user
    send_mail(
        candidate.email,
        "appeal_decided",
        candidate.language,
        {
            **_context(appeal),
            "full_name": candidate.full_name,
            "is_upheld": appeal.status == "upheld",
            "decision_reason": appeal.decision_reason,
        },
    )
