"""The confusion table and the error list on the hand-scored worked example."""
from __future__ import annotations

from pipeline.evaluation.confusion import COLUMNS, MISSED, ROWS, SPURIOUS, confusion_table
from pipeline.evaluation.mistakes import context, document_errors
from pipeline.evaluation.scores import label_counts, score_pairs

from .eval_helpers import D, S, worked_example


def scored():
    return score_pairs(pairs=[worked_example()])


def test_confusion_of_the_worked_example():
    table = confusion_table(documents=scored())
    nonzero = {(r, c): table[r][c] for r in ROWS for c in COLUMNS if table[r][c]}
    assert nonzero == {
        ("PERSON", "PERSON"): 1, ("PERSON", MISSED): 1,  # Filippov; Mao Zedong (predicted: Zedong)
        ("PLACE", "DATE"): 1, ("PLACE", "PLACE"): 1,  # Peking as DATE; Kaesong
        ("DATE", "DATE"): 1,
        ("PROPOSAL", MISSED): 1,
        (SPURIOUS, "PERSON"): 1, (SPURIOUS, "PLACE"): 1, (SPURIOUS, "PROPOSAL"): 1,  # Zedong, 2nd Kaesong, short proposal
    }


def test_confusion_rows_and_columns_add_up_to_gold_and_predicted_counts():
    docs = scored()
    table = confusion_table(documents=docs)
    counts = label_counts(documents=docs, matching="strict")
    for label in ROWS[:-1]:
        assert sum(table[label].values()) == counts[label].gold
        assert sum(table[row][label] for row in ROWS) == counts[label].pred
        assert table[label][label] == counts[label].tp


def test_error_list_of_the_worked_example():
    (doc,) = scored()
    rows = document_errors(doc=doc)
    assert [(r["kind"], r["gold_text"], r["pred_text"]) for r in rows] == [
        ("boundary", "Mao Zedong", "Zedong"),
        ("label", "Peking", "Peking"),
        ("value", "13 June 1951", "13 June 1951"),
        ("boundary", "Send two divisions to Kaesong", "two divisions to Kaesong"),
        ("spurious", "", "Kaesong"),
    ]
    assert rows[2]["gold_value"] == "1951-06-13" and rows[2]["pred_value"] == "1951-06"
    assert rows[-1]["rule"] == "l2"


def test_missed_and_spurious_when_nothing_overlaps():
    text = "Eighth Army near Kaesong"
    (doc,) = score_pairs(pairs=[(D("m", text, [S(0, 11, "MILITARY_UNIT")]), D("m", text, [S(17, 24, "PLACE")]))])
    assert [r["kind"] for r in document_errors(doc=doc)] == ["missed", "spurious"]


def test_context_marks_the_span_and_clips_long_text():
    text = "a" * 100 + "\nFilippov\n" + "b" * 100
    snippet = context(text=text, start=101, end=109, width=10)
    assert snippet == "…aaaaaaaaa «Filippov» bbbbbbbbb…"
    assert context(text="Kaesong.", start=0, end=7) == "«Kaesong»."
