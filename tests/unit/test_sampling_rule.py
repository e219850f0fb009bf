"""The review-by-sampling rule, applied directly."""

import pytest

from app.assessments.rules import Judgement
from app.assessments.sampling import ReviewSelection, SamplingPolicy, select_for_review

COMPETENT, NYC = Judgement.COMPETENT, Judgement.NOT_YET_COMPETENT
POLICY = SamplingPolicy(always_first_n=10, sample_percent=20)


def selection(judgement=COMPETENT, earlier=50, returned=False, policy=POLICY, draw=99.0):
    return select_for_review(judgement, earlier, returned, policy, draw)


@pytest.mark.parametrize("earlier", [0, 9, 10, 500])
def test_every_todavia_no_competente_is_reviewed_whatever_the_draw(earlier):
    assert selection(NYC, earlier, draw=99.99) == ReviewSelection.NOT_YET_COMPETENT
    never = SamplingPolicy(always_first_n=0, sample_percent=0)
    assert selection(NYC, earlier, policy=never) == ReviewSelection.NOT_YET_COMPETENT


def test_an_evaluators_first_n_judgements_are_all_reviewed_and_the_next_is_sampled():
    assert selection(earlier=0) == ReviewSelection.EARLY_JUDGEMENT
    assert selection(earlier=9) == ReviewSelection.EARLY_JUDGEMENT
    assert selection(earlier=10) == ReviewSelection.NOT_SAMPLED
    assert selection(earlier=10, draw=0.0) == ReviewSelection.SAMPLED


def test_a_judgement_signed_again_after_a_return_is_reviewed_again():
    assert selection(returned=True) == ReviewSelection.RESUBMITTED


def test_the_draw_selects_below_the_percent_only():
    assert selection(draw=19.999) == ReviewSelection.SAMPLED
    assert selection(draw=20.0) == ReviewSelection.NOT_SAMPLED


def test_zero_percent_never_samples_and_hundred_always_does():
    none = SamplingPolicy(always_first_n=0, sample_percent=0)
    every = SamplingPolicy(always_first_n=0, sample_percent=100)
    assert selection(policy=none, draw=0.0) == ReviewSelection.NOT_SAMPLED
    assert selection(policy=every, draw=99.999) == ReviewSelection.SAMPLED


def test_only_not_sampled_skips_the_review():
    assert [s for s in ReviewSelection if not s.is_selected] == [ReviewSelection.NOT_SAMPLED]


@pytest.mark.parametrize(("first_n", "percent"), [(-1, 20), (10, -1), (10, 101)])
def test_a_nonsensical_policy_is_refused(first_n, percent):
    with pytest.raises(ValueError):
        SamplingPolicy(first_n, percent)
