"""What a diagnostic asks and what it advises, by the instrument's own decision rule."""

from app.assessments.rules import ItemOutcome, Judgement, decide
from app.diagnostics.models import Recommendation
from app.standards.models import CriterionKind

# The questionnaire part of an instrument: the items that check knowledge. Performance and
# products can only be observed by an evaluator, so a diagnostic does not ask about them.
QUESTIONNAIRE_KINDS = frozenset({CriterionKind.KNOWLEDGE})


def items_asked(items) -> list:
    return [item for item in items if item.criterion.kind in QUESTIONNAIRE_KINDS]


def advise(items, answers: dict[int, bool], threshold_percent: int) -> tuple[float, Recommendation]:
    """The weighted score and the advice: ready when the instrument's own rule (every critical
    item met, the threshold reached) would pass on the questionnaire alone."""
    decision = decide(
        [ItemOutcome(item.weight, item.is_critical, answers[item.id]) for item in items],
        threshold_percent,
    )
    ready = decision.judgement == Judgement.COMPETENT
    return decision.score_percent, Recommendation.READY if ready else Recommendation.TRAINING
