"""Which signed-off judgements the quality reviewer must see: pure logic, no database.

Internal quality assurance by sampling (DOMAIN.md, "Beyond Mexico"): every "Todavía no
competente" is reviewed, because it is the verdict a candidate is most likely to contest; so is
everything a new evaluator signs, until they have a record; so is a judgement signed again after
a reviewer returned it. Of the rest, a share is drawn at random, so that no evaluator can know
which of their Competente judgements will be looked at.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.assessments.rules import Judgement
from app.labels import LabelledEnum


class ReviewSelection(LabelledEnum):
    """Why a judgement was, or was not, sent to the quality reviewer."""

    NOT_YET_COMPETENT = "not_yet_competent", _l("Always reviewed: Todavía no competente")
    EARLY_JUDGEMENT = (
        "early_judgement",
        _l("Always reviewed: among the evaluator's first judgements"),
    )
    RESUBMITTED = "resubmitted", _l("Always reviewed: signed off again after a return")
    SAMPLED = "sampled", _l("Selected at random for review")
    NOT_SAMPLED = "not_sampled", _l("Not selected for review: certifiable at sign-off")

    @property
    def is_selected(self) -> bool:
        return self != ReviewSelection.NOT_SAMPLED


@dataclass(frozen=True)
class SamplingPolicy:
    always_first_n: int  # an evaluator's first N signed judgements are all reviewed
    sample_percent: int  # 0–100: the share of the other Competente judgements reviewed

    def __post_init__(self):
        if self.always_first_n < 0 or not 0 <= self.sample_percent <= 100:
            raise ValueError(f"invalid review sampling policy: {self}")


def select_for_review(
    judgement: Judgement,
    earlier_judgements: int,
    was_returned: bool,
    policy: SamplingPolicy,
    draw: float,
) -> ReviewSelection:
    """Decide whether a judgement just signed off goes to the quality reviewer, and why.

    `earlier_judgements`: how many other judgements this evaluator has signed off before.
    `draw`: a uniform random number in [0, 100), made by the caller (so this stays pure): the
    judgement is sampled when it falls below the policy's percent, hence never at 0 % and
    always at 100 %.
    """
    if judgement == Judgement.NOT_YET_COMPETENT:
        return ReviewSelection.NOT_YET_COMPETENT
    if earlier_judgements < policy.always_first_n:
        return ReviewSelection.EARLY_JUDGEMENT
    if was_returned:
        return ReviewSelection.RESUBMITTED
    if draw < policy.sample_percent:
        return ReviewSelection.SAMPLED
    return ReviewSelection.NOT_SAMPLED
