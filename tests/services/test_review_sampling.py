"""Review by sampling at sign-off: which judgements wait for the quality reviewer, which are
certifiable at once, what is recorded about it, and the candidate's e-mail when it is final.

The draw is made deterministic by the policy (0 % or 100 %), never by replacing the randomness.
"""

import pytest
from sqlalchemy import select

from app.api.queries import page_of_ready_judgements
from app.assessments import services
from app.assessments.models import AssessmentStatus
from app.assessments.queries import list_ready_to_certify
from app.assessments.rules import Judgement
from app.assessments.sampling import ReviewSelection
from app.audit.models import AuditEvent
from app.certificates.services import issue_certificate
from app.extensions import db
from app.transactions import commit_request


@pytest.fixture
def policy(app):
    def set_policy(first_n: int, percent: int) -> None:
        app.config["REVIEW_ALWAYS_FIRST_N"] = first_n
        app.config["REVIEW_SAMPLE_PERCENT"] = percent

    return set_policy


def events(assessment, action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == action, AuditEvent.object_id == assessment.id
            )
        )
    )


def test_a_competente_not_drawn_is_certifiable_at_sign_off_and_listed_as_ready(
    world, policy, mailbox
):
    policy(first_n=0, percent=0)
    assessment = world.judge(world.schedule())
    commit_request()
    assert assessment.status == AssessmentStatus.REVIEWED
    assert assessment.review_selection == ReviewSelection.NOT_SAMPLED
    assert assessment.review_waived and assessment.reviewer_id is None
    assert assessment.reviewed_at == assessment.signed_off_at
    assert list_ready_to_certify(world.admin) == [assessment]
    assert page_of_ready_judgements(world.centre.id, 1, 20)[0] == [assessment]
    (chosen,) = events(assessment, "judgement.review_selection")
    assert chosen.details["selection"] == "not_sampled" and chosen.details["selected"] is False
    assert chosen.details["sample_percent"] == 0
    assert len(events(assessment, "judgement.review_waived")) == 1
    with pytest.raises(Exception, match="ya se revisó|already been reviewed"):
        services.approve_judgement(world.reviewer, assessment)  # nothing left to review
    certificate = issue_certificate(world.admin, assessment)
    assert certificate.folio and assessment.status == AssessmentStatus.CERTIFIED
    received = mailbox.last_to(world.candidate.user.email)
    assert received.subject == f"Tu juicio en {world.standard.full_code}: Competente"


def test_every_todavia_no_competente_waits_for_review_whatever_the_share(world, policy, mailbox):
    policy(first_n=0, percent=0)
    assessment = world.judge(world.schedule(), unmet=(1,))
    commit_request()
    assert assessment.judgement == Judgement.NOT_YET_COMPETENT
    assert assessment.status == AssessmentStatus.JUDGED
    assert assessment.review_selection == ReviewSelection.NOT_YET_COMPETENT
    assert list_ready_to_certify(world.admin) == []
    assert not [m for m in mailbox.to(world.candidate.user.email) if "juicio" in m.subject]


def test_an_evaluators_first_n_judgements_are_reviewed_then_sampling_starts(world, policy):
    policy(first_n=2, percent=0)
    first, second, third = (world.judge(world.schedule(hours_from_now=h)) for h in (1, 4, 7))
    assert [a.review_selection for a in (first, second, third)] == [
        ReviewSelection.EARLY_JUDGEMENT,
        ReviewSelection.EARLY_JUDGEMENT,
        ReviewSelection.NOT_SAMPLED,
    ]
    assert [a.status for a in (first, second, third)] == [
        AssessmentStatus.JUDGED,
        AssessmentStatus.JUDGED,
        AssessmentStatus.REVIEWED,
    ]
    assert events(second, "judgement.review_selection")[0].details["earlier_judgements"] == 1


def test_a_drawn_judgement_waits_for_the_reviewer_and_is_final_once_approved(
    world, policy, mailbox
):
    policy(first_n=0, percent=100)
    assessment = world.judge(world.schedule())
    commit_request()
    assert assessment.review_selection == ReviewSelection.SAMPLED
    assert assessment.status == AssessmentStatus.JUDGED
    assert not [m for m in mailbox.to(world.candidate.user.email) if "juicio" in m.subject]
    services.approve_judgement(world.reviewer, assessment)
    commit_request()
    assert assessment.status == AssessmentStatus.REVIEWED and not assessment.review_waived
    received = mailbox.last_to(world.candidate.user.email)
    assert "Competente" in received.subject
    assert "Buen desempeño general" in received.text
    assert f"/assessments/{assessment.id}" in received.links[0]


def test_a_judgement_returned_and_signed_again_is_reviewed_again(world, policy):
    policy(first_n=0, percent=100)
    assessment = world.judge(world.schedule())
    services.return_judgement(world.reviewer, assessment, "Falta una observación")
    policy(first_n=0, percent=0)
    world.judge(assessment)
    assert assessment.review_selection == ReviewSelection.RESUBMITTED
    assert assessment.status == AssessmentStatus.JUDGED


def test_the_final_judgement_e_mail_speaks_english_to_an_english_speaking_candidate(
    world, policy, mailbox
):
    policy(first_n=0, percent=0)
    world.candidate.user.language = "en"
    world.judge(world.schedule())
    commit_request()
    received = mailbox.last_to(world.candidate.user.email)
    assert received.subject == f"Your judgement in {world.standard.full_code}: Competente"
    assert "Feedback from your evaluator" in received.text
    assert "cédula" in received.html
