"""The scorer against cases computed by hand (see eval_helpers.worked_example)."""
from __future__ import annotations

import math

import pytest

from pipeline.evaluation.scores import (
    ALL, Counts, count_array, label_counts, macro, rule_precision, score_pairs, value_accuracy,
)

from .eval_helpers import D, S, worked_example

nan = math.nan


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


@pytest.mark.parametrize(
    "tp, gold, pred, precision, recall, f1",
    [
        (3, 6, 7, 3 / 7, 1 / 2, 6 / 13),
        (2, 2, 2, 1.0, 1.0, 1.0),
        (0, 0, 0, nan, nan, nan),  # nothing to score
        (0, 3, 0, nan, 0.0, 0.0),  # empty prediction: no precision, F1 0
        (0, 0, 2, 0.0, nan, 0.0),  # empty gold: no recall, F1 0
    ],
)
def test_counts(tp, gold, pred, precision, recall, f1):
    c = Counts(tp, gold, pred)
    assert same(c.precision, precision) and same(c.recall, recall) and same(c.f1, f1)
    assert c.errors == gold + pred - 2 * tp


@pytest.fixture
def scored():
    gold, pred = worked_example()
    return score_pairs(pairs=[(gold, pred)])


@pytest.mark.parametrize(
    "matching, expected",
    [
        ("strict", {"PERSON": (1, 2, 2), "PLACE": (1, 2, 2), "DATE": (1, 1, 2), "MILITARY_UNIT": (0, 0, 0),
                    "PROPOSAL": (0, 1, 1), ALL: (3, 6, 7)}),
        ("overlap", {"PERSON": (2, 2, 2), "PLACE": (1, 2, 2), "DATE": (1, 1, 2), "MILITARY_UNIT": (0, 0, 0),
                     "PROPOSAL": (1, 1, 1), ALL: (5, 6, 7)}),
    ],
)
def test_label_counts_of_the_worked_example(scored, matching, expected):
    counts = label_counts(documents=scored, matching=matching)
    assert {label: (c.tp, c.gold, c.pred) for label, c in counts.items()} == expected


def test_micro_scores_of_the_worked_example(scored):
    strict = label_counts(documents=scored, matching="strict")[ALL]
    overlap = label_counts(documents=scored, matching="overlap")[ALL]
    assert (strict.precision, strict.recall, strict.f1) == pytest.approx((3 / 7, 3 / 6, 6 / 13))
    assert (overlap.precision, overlap.recall, overlap.f1) == pytest.approx((5 / 7, 5 / 6, 10 / 13))


def test_macro_leaves_out_labels_with_nothing_to_score(scored):
    # strict per label P: .5 .5 .5 - 0; R: .5 .5 1 - 0; F1: .5 .5 2/3 - 0 (MILITARY_UNIT has none).
    m = macro(counts=label_counts(documents=scored, matching="strict"))
    assert m == pytest.approx({"precision": 1.5 / 4, "recall": 2 / 4, "f1": (1 + 2 / 3) / 4})


def test_empty_gold_and_empty_prediction_documents():
    spurious = D("d2", "Nothing to see.", [])
    spurious_pred = D("d2", "Nothing to see.", [S(0, 7, "PERSON")])
    missed = D("d3", "The Eighth Army.", [S(4, 15, "MILITARY_UNIT")])
    missed_pred = D("d3", "The Eighth Army.", [])
    docs = score_pairs(pairs=[(spurious, spurious_pred), (missed, missed_pred)], missing=["d3"])
    a, b = (d.counts(matching="strict") for d in docs)
    assert (a.tp, a.gold, a.pred, a.precision, a.f1) == (0, 0, 1, 0.0, 0.0) and math.isnan(a.recall)
    assert (b.tp, b.gold, b.pred, b.recall, b.f1) == (0, 1, 0, 0.0, 0.0) and math.isnan(b.precision)
    assert [d.missing for d in docs] == [False, True]
    counts = label_counts(documents=docs, matching="overlap")
    assert counts["MILITARY_UNIT"].f1 == 0.0 and counts["PERSON"].f1 == 0.0 and math.isnan(counts["DATE"].f1)


def test_a_document_with_nothing_on_either_side_has_no_scores():
    (doc,) = score_pairs(pairs=[(D("e", "Nothing."), D("e", "Nothing."))])
    c = doc.counts(matching="strict")
    assert (c.tp, c.gold, c.pred) == (0, 0, 0)
    assert all(math.isnan(v) for v in (c.precision, c.recall, c.f1))


def test_nested_spans_of_different_labels_are_scored_separately():
    text = "restoration of the border at the 38th parallel"
    gold = D("n", text, [S(0, len(text), "PROPOSAL"), S(33, 46, "PLACE")])
    pred = D("n", text, [S(33, 46, "PLACE"), S(19, 46, "PROPOSAL")])
    (doc,) = score_pairs(pairs=[(gold, pred)])
    assert doc.counts(matching="strict", label="PLACE") == Counts(1, 1, 1)
    assert doc.counts(matching="strict", label="PROPOSAL") == Counts(0, 1, 1)
    assert doc.counts(matching="overlap", label="PROPOSAL") == Counts(1, 1, 1)


def test_count_array_has_documents_labels_and_counts(scored):
    array = count_array(documents=scored, matching="strict")
    assert array.shape == (1, 5, 3)
    assert array[0].sum(axis=0).tolist() == [3, 6, 7]


def test_rule_precision_uses_predicted_rule_ids(scored):
    rows = {(r["rule"], r["label"]): r for r in rule_precision(documents=scored)}
    expected = {  # rule, label -> pred, strict tp, overlap tp
        ("p1", "PERSON"): (2, 1, 2), ("d9", "DATE"): (1, 0, 0), ("d1", "DATE"): (1, 1, 1),
        ("r1", "PROPOSAL"): (1, 0, 1), ("l1", "PLACE"): (1, 1, 1), ("l2", "PLACE"): (1, 0, 0),
    }
    assert {k: (r["pred"], r["tp_strict"], r["tp_overlap"]) for k, r in rows.items()} == expected
    assert rows[("p1", "PERSON")]["precision_strict"] == 0.5


def test_value_accuracy_on_matched_spans(scored):
    rows = {(r["matching"], r["label"]): (r["field"], r["matched"], r["correct"]) for r in value_accuracy(documents=scored)}
    assert rows == {
        ("strict", "PERSON"): ("kb_id", 1, 1), ("strict", "PLACE"): ("kb_id", 1, 1), ("strict", "DATE"): ("value", 1, 0),
        ("overlap", "PERSON"): ("kb_id", 2, 2), ("overlap", "PLACE"): ("kb_id", 1, 1), ("overlap", "DATE"): ("value", 1, 0),
    }


def test_a_missing_value_is_right_only_when_gold_has_none_too():
    text = "this autumn and 1951"
    gold = D("v", text, [S(0, 11, "DATE"), S(16, 20, "DATE", value="1951")])
    pred = D("v", text, [S(0, 11, "DATE"), S(16, 20, "DATE")])
    rows = value_accuracy(documents=score_pairs(pairs=[(gold, pred)]))
    date = next(r for r in rows if r["matching"] == "strict" and r["label"] == "DATE")
    assert (date["matched"], date["correct"], date["accuracy"]) == (2, 1, 0.5)
