import pytest

from app.assessments.rules import ItemOutcome, Judgement, decide


def outcomes(*spec):
    return [ItemOutcome(weight, critical, met) for weight, critical, met in spec]


def test_all_items_met_is_competent():
    decision = decide(outcomes((3, True, True), (1, False, True)), 100)
    assert decision.judgement == Judgement.COMPETENT
    assert decision.score_percent == 100


def test_unmet_critical_item_is_not_yet_competent_even_at_a_high_score():
    items = outcomes((1, True, False), *[(10, False, True)] * 9)
    decision = decide(items, 90)
    assert decision.score_percent == pytest.approx(98.9, abs=0.01)
    assert decision.judgement == Judgement.NOT_YET_COMPETENT
    assert decision.unmet_critical == 1


def test_score_exactly_at_threshold_is_competent():
    # 9 of 10 weight met = 90 % exactly
    items = outcomes((9, False, True), (1, False, False))
    assert decide(items, 90).judgement == Judgement.COMPETENT


def test_score_just_below_threshold_is_not_yet_competent():
    # 89 of 100 weight met
    items = outcomes((89, False, True), (11, False, False))
    assert decide(items, 90).judgement == Judgement.NOT_YET_COMPETENT


def test_threshold_edge_is_exact_without_floating_point_rounding():
    # 2/3 = 66.666…%: reaches 66, not 67, whatever float rounding would say
    items = outcomes((2, False, True), (1, False, False))
    assert decide(items, 66).judgement == Judgement.COMPETENT
    assert decide(items, 67).judgement == Judgement.NOT_YET_COMPETENT


def test_weights_count_not_the_number_of_items():
    items = outcomes((1, False, True), (1, False, True), (8, False, False))
    decision = decide(items, 50)
    assert decision.score_percent == 20
    assert decision.judgement == Judgement.NOT_YET_COMPETENT


def test_an_instrument_without_items_cannot_decide():
    with pytest.raises(ValueError):
        decide([], 90)


def test_the_decision_names_the_unmet_critical_items_and_the_threshold():
    items = [
        ItemOutcome(2, True, False, item_id=7),
        ItemOutcome(2, True, True, item_id=8),
        ItemOutcome(14, False, True, item_id=9),
    ]
    decision = decide(items, 80)
    assert decision.unmet_critical_ids == (7,)
    assert decision.threshold_percent == 80 and decision.reaches_threshold
    assert decision.score_percent == 88.89
    assert decision.judgement == Judgement.NOT_YET_COMPETENT
