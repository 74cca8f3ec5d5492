"""Strict and overlap matching of gold and predicted spans, on cases worked out by hand."""
from __future__ import annotations

import pytest

from pipeline.evaluation.matching import match, match_overlap, match_strict, overlap_chars

from .eval_helpers import S


def test_strict_needs_same_label_start_and_end():
    gold = [S(0, 5, "PERSON"), S(10, 15, "PLACE"), S(20, 25, "DATE")]
    pred = [S(0, 5, "PERSON"), S(10, 15, "PERSON"), S(20, 24, "DATE")]
    assert match_strict(gold=gold, pred=pred) == [(0, 0)]


def test_strict_duplicates_match_once():
    gold = [S(0, 5, "PERSON")]
    pred = [S(0, 5, "PERSON"), S(0, 5, "PERSON")]
    assert match_strict(gold=gold, pred=pred) == [(0, 0)]
    # Duplicated gold spans: two gold, one prediction -> one pair.
    assert match_strict(gold=pred, pred=gold) == [(0, 0)]


@pytest.mark.parametrize(
    "a, b, shared",
    [((0, 5), (5, 9), 0), ((0, 5), (4, 9), 1), ((0, 10), (2, 4), 2), ((3, 4), (0, 10), 1), ((0, 3), (7, 9), 0)],
)
def test_overlap_chars(a, b, shared):
    assert overlap_chars(S(*a, "PLACE"), S(*b, "PLACE")) == shared


def test_touching_spans_do_not_overlap():
    assert match_overlap(gold=[S(0, 5, "PLACE")], pred=[S(5, 9, "PLACE")]) == []


def test_overlap_never_crosses_labels():
    assert match_overlap(gold=[S(0, 10, "PROPOSAL")], pred=[S(2, 6, "PLACE")]) == []


def test_overlap_is_one_to_one():
    # One long prediction over two gold spans: only one of them is matched.
    gold = [S(0, 4, "PROPOSAL"), S(6, 10, "PROPOSAL")]
    pred = [S(0, 10, "PROPOSAL")]
    assert len(match_overlap(gold=gold, pred=pred)) == 1
    assert len(match_overlap(gold=pred, pred=gold)) == 1


def test_overlap_finds_a_maximum_matching_where_greedy_does_not():
    # Gold A=[0,10) overlaps X=[0,10) (10 chars) and Y=[2,4) (2 chars); gold B=[8,12) overlaps X only.
    # Greedy by largest overlap takes A-X and leaves B alone (1 pair); the maximum is A-Y, B-X.
    gold = [S(0, 10, "PLACE"), S(8, 12, "PLACE")]
    pred = [S(0, 10, "PLACE"), S(2, 4, "PLACE")]
    assert match_overlap(gold=gold, pred=pred) == [(0, 1), (1, 0)]


def test_overlap_prefers_the_larger_overlap_when_cardinality_ties():
    gold = [S(0, 10, "PROPOSAL")]
    pred = [S(8, 20, "PROPOSAL"), S(1, 9, "PROPOSAL")]
    assert match_overlap(gold=gold, pred=pred) == [(0, 1)]


def test_nested_spans_of_one_label():
    # Gold has a span and a span nested inside it; the prediction has only the inner one.
    gold = [S(0, 20, "PROPOSAL"), S(5, 10, "PROPOSAL")]
    pred = [S(5, 10, "PROPOSAL")]
    assert match_strict(gold=gold, pred=pred) == [(1, 0)]
    assert len(match_overlap(gold=gold, pred=pred)) == 1


def test_overlap_matching_is_maximum_on_a_chain():
    # g0-p0, g0-p1, g1-p1, g1-p2, g2-p2: a chain where three pairs are possible.
    gold = [S(0, 4, "DATE"), S(3, 8, "DATE"), S(7, 12, "DATE")]
    pred = [S(0, 2, "DATE"), S(2, 5, "DATE"), S(6, 9, "DATE")]
    pairs = match_overlap(gold=gold, pred=pred)
    assert len(pairs) == 3
    assert len({g for g, _ in pairs}) == len({p for _, p in pairs}) == 3
    assert all(overlap_chars(gold[g], pred[p]) > 0 for g, p in pairs)


def test_empty_sides():
    assert match(matching="overlap", gold=[], pred=[S(0, 1, "DATE")]) == []
    assert match(matching="strict", gold=[S(0, 1, "DATE")], pred=[]) == []


def test_unknown_matching_is_refused():
    with pytest.raises(ValueError, match="unknown matching"):
        match(matching="fuzzy", gold=[], pred=[])
