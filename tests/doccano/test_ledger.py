"""The correction ledger counts each reviewer change exactly once, per label and per rule."""
from __future__ import annotations

import csv
import io

import pytest

from pipeline.doccano.documents import Span
from pipeline.doccano.ledger import compare, tally, to_csv


def S(start, end, label, rule=None):
    return Span(start=start, end=end, label=label, rule=rule)


@pytest.mark.parametrize(
    "exported, gold, expected",
    [
        ([S(0, 5, "PERSON", "p1")], [S(0, 5, "PERSON")], ["accepted"]),
        ([S(0, 5, "PERSON", "p1")], [S(0, 5, "PLACE")], ["relabelled"]),
        ([S(0, 5, "PERSON", "p1")], [S(0, 3, "PERSON")], ["boundary"]),
        ([S(0, 5, "PERSON", "p1")], [S(2, 9, "PLACE")], ["relabelled"]),
        ([S(0, 5, "PERSON", "p1")], [], ["deleted"]),
        ([], [S(0, 5, "PERSON")], ["added"]),
        ([S(0, 5, "PERSON", "p1")], [S(10, 15, "PERSON")], ["deleted", "added"]),
        # a name inside a proposal is never paired with the proposal
        ([S(10, 20, "PLACE", "g")], [S(0, 50, "PROPOSAL")], ["deleted", "added"]),
        # the proposal stays; the place inside it is relabelled; nothing else changes
        ([S(0, 50, "PROPOSAL", "pr"), S(10, 20, "PLACE", "g")], [S(0, 50, "PROPOSAL"), S(10, 20, "PERSON")],
         ["accepted", "relabelled"]),
        # two spans, one moved and one deleted: the closer one is the moved one
        ([S(0, 5, "DATE", "d"), S(7, 12, "DATE", "d")], [S(7, 10, "DATE")], ["boundary", "deleted"]),
    ],
)
def test_each_change_is_counted_once(exported, gold, expected):
    changes = compare(exported, gold)
    assert sorted(c.kind for c in changes) == sorted(expected)
    paired = [c.exported for c in changes if c.exported] + [c.gold for c in changes if c.gold]
    assert sorted(paired, key=lambda s: s.key) == sorted([*exported, *gold], key=lambda s: s.key)


def test_tally_per_label_per_rule_and_total():
    exported = [S(0, 5, "PERSON", "person.a"), S(6, 9, "PERSON", "person.a"), S(10, 14, "PLACE", "place.b"), S(20, 25, "DATE", "date.c")]
    gold = [S(0, 5, "PERSON"), S(6, 8, "PERSON"), S(10, 14, "PERSON"), S(30, 33, "PLACE")]
    rows = tally(compare(exported, gold))
    by = {(r["by"], r["key"]): r for r in rows}
    assert [k for k in by] == [
        ("label", "PERSON"), ("label", "PLACE"), ("label", "DATE"),
        ("rule", "date.c"), ("rule", "manual"), ("rule", "person.a"), ("rule", "place.b"), ("total", "all"),
    ]
    assert {k: by[("label", "PERSON")][k] for k in ("accepted", "boundary", "exported", "precision")} == {
        "accepted": 1, "boundary": 1, "exported": 2, "precision": 0.5,
    }
    assert by[("label", "PLACE")]["relabelled"] == 1 and by[("label", "PLACE")]["added"] == 1
    assert by[("rule", "manual")]["added"] == 1 and by[("rule", "manual")]["precision"] is None
    assert by[("rule", "date.c")]["deleted"] == 1 and by[("rule", "date.c")]["precision"] == 0.0
    total = by[("total", "all")]
    assert (total["accepted"], total["boundary"], total["relabelled"], total["deleted"], total["added"]) == (1, 1, 1, 1, 1)


def test_csv_has_one_row_per_tally_row():
    rows = tally(compare([S(0, 5, "PERSON", "r")], [S(0, 5, "PERSON")]))
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert [(r["by"], r["key"], r["accepted"], r["precision"]) for r in parsed] == [
        ("label", "PERSON", "1", "1.0"), ("rule", "r", "1", "1.0"), ("total", "all", "1", "1.0"),
    ]
