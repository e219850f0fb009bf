"""The decision rule of an instrument: pure logic, no database."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.labels import LabelledEnum


class Judgement(LabelledEnum):
    """The two verdicts of the national system; their Spanish names are used in every language."""

    COMPETENT = "competent", _l("Competente")
    NOT_YET_COMPETENT = "not_yet_competent", _l("Todavía no competente")

    @property
    def label_lang(self) -> str:
        return "es-MX"


@dataclass(frozen=True)
class ItemOutcome:
    weight: int
    is_critical: bool
    is_met: bool
    # Which item this is (the instrument item's id), so that a decision can name its reasons.
    item_id: int | None = None


@dataclass(frozen=True)
class Decision:
    judgement: Judgement
    score_percent: float
    unmet_critical: int
    threshold_percent: int = 0
    reaches_threshold: bool = True
    # The ids of the critical items not met, in the order given: why it is not yet competent.
    unmet_critical_ids: tuple[int, ...] = ()


def decide(outcomes: list[ItemOutcome], threshold_percent: int) -> Decision:
    """Competente when every critical item is met and the weighted score reaches the threshold.

    The comparison is done in integers (met weight × 100 ≥ threshold × total weight) so that a
    score exactly at the threshold is never lost to floating-point rounding.
    """
    if not outcomes:
        raise ValueError("an instrument without items cannot reach a judgement")
    total = sum(o.weight for o in outcomes)
    met = sum(o.weight for o in outcomes if o.is_met)
    unmet_critical = [o for o in outcomes if o.is_critical and not o.is_met]
    reaches_threshold = met * 100 >= threshold_percent * total
    competent = not unmet_critical and reaches_threshold
    return Decision(
        judgement=Judgement.COMPETENT if competent else Judgement.NOT_YET_COMPETENT,
        score_percent=round(met * 100 / total, 2),
        unmet_critical=len(unmet_critical),
        threshold_percent=threshold_percent,
        reaches_threshold=reaches_threshold,
        unmet_critical_ids=tuple(o.item_id for o in unmet_critical if o.item_id is not None),
    )
