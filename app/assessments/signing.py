"""The judgement before and after signing: what the instrument's rule gives for the results
recorded so far, and why (the critical items not met, the weighted score against the threshold).

The preview and the sign-off use the same function, so the evaluator signs exactly the judgement
they were shown; the digest of the results the preview was computed from travels with the
sign-off form, and a sign-off whose results changed meanwhile (another tab, a late autosave) is
refused rather than signing something nobody saw.
"""

import hashlib
from dataclasses import dataclass

from app.assessments.models import Assessment
from app.assessments.rules import Decision, ItemOutcome, decide
from app.standards.models import InstrumentItem


@dataclass(frozen=True)
class JudgementPreview:
    decision: Decision | None  # None while an item has no result: there is nothing to sign yet
    unanswered: tuple[InstrumentItem, ...]
    unmet_critical: tuple[InstrumentItem, ...]
    not_met: tuple[InstrumentItem, ...]
    threshold_percent: int
    results_digest: str

    @property
    def may_sign(self) -> bool:
        return self.decision is not None


@dataclass(frozen=True)
class CriticalItem:
    position: int
    text: str


@dataclass(frozen=True)
class JudgementReasons:
    """Why a signed judgement is what it is, as it was signed; plain values for the pages."""

    score_percent: float
    threshold_percent: int
    reaches_threshold: bool
    unmet_critical: tuple[CriticalItem, ...]


def results_digest(assessment: Assessment) -> str:
    """A fingerprint of the met / not met answers: changes whenever the judgement could."""
    answers = sorted((result.item_id, result.is_met) for result in assessment.results)
    text = ";".join(f"{item_id}:{int(is_met)}" for item_id, is_met in answers)
    return hashlib.sha256(text.encode()).hexdigest()


def preview_judgement(assessment: Assessment) -> JudgementPreview:
    """The judgement the rule gives for the results recorded now; reads only."""
    instrument = assessment.standard.instrument
    items = instrument.items
    results = {result.item_id: result for result in assessment.results}
    unanswered = tuple(item for item in items if item.id not in results)
    not_met = tuple(item for item in items if item.id in results and not results[item.id].is_met)
    decision = None
    if not unanswered:
        outcomes = [
            ItemOutcome(item.weight, item.is_critical, results[item.id].is_met, item.id)
            for item in items
        ]
        decision = decide(outcomes, instrument.threshold_percent)
    return JudgementPreview(
        decision=decision,
        unanswered=unanswered,
        unmet_critical=tuple(item for item in not_met if item.is_critical),
        not_met=not_met,
        threshold_percent=instrument.threshold_percent,
        results_digest=results_digest(assessment),
    )


def reasons_record(preview: JudgementPreview) -> dict:
    """What is stored with a signed judgement (Assessment.judgement_reasons)."""
    decision = preview.decision
    return {
        "score_percent": decision.score_percent,
        "threshold_percent": decision.threshold_percent,
        "reaches_threshold": decision.reaches_threshold,
        "unmet_critical": [
            {"id": item.id, "position": item.position, "text": item.text}
            for item in preview.unmet_critical
        ],
    }


def reasons_for(assessment: Assessment) -> JudgementReasons | None:
    """Why the signed judgement is what it is; None before sign-off (or for a judgement signed
    before the reasons were kept, which then shows its score alone)."""
    stored = assessment.judgement_reasons
    if assessment.judgement is None or not stored:
        return None
    return JudgementReasons(
        score_percent=stored["score_percent"],
        threshold_percent=stored["threshold_percent"],
        reaches_threshold=stored["reaches_threshold"],
        unmet_critical=tuple(
            CriticalItem(item["position"], item["text"]) for item in stored["unmet_critical"]
        ),
    )
