"""Presentation helpers: number formatting, Markdown tables, charts, the side-by-side view."""
from __future__ import annotations

import math

import pandas as pd
import spacy

from pipeline.evaluation.charts import confusion_chart, f1_chart
from pipeline.evaluation.confusion import confusion_table
from pipeline.evaluation.html import document_pair
from pipeline.evaluation.scores import score_pairs
from pipeline.evaluation.tables import fmt, markdown

from .eval_helpers import worked_example

PNG = b"\x89PNG\r\n\x1a\n"


def test_fmt_shows_nothing_to_measure_as_a_dash():
    assert fmt(math.nan) == "—"
    assert fmt(2 / 3) == "0.667"
    assert fmt(7) == "7"


def test_markdown_table_escapes_pipes_and_newlines():
    text = markdown(pd.DataFrame({"a": ["x|y"], "b": ["one\ntwo"]}))
    assert text.splitlines() == ["| a | b |", "| --- | --- |", "| x\\|y | one two |"]


def test_charts_are_png():
    docs = score_pairs(pairs=[worked_example()])
    scores = [
        {"matching": m, "label": label, "f1": 0.5, "f1_low": 0.4, "f1_high": math.nan}
        for m in ("strict", "overlap") for label in ("PERSON", "PLACE", "DATE", "MILITARY_UNIT", "PROPOSAL", "ALL")
    ]
    assert f1_chart(scores=scores).startswith(PNG)
    assert confusion_chart(confusion=confusion_table(documents=docs)).startswith(PNG)


def test_document_pair_shows_gold_and_predicted_spans():
    (doc,) = score_pairs(pairs=[worked_example()])
    html = document_pair(doc=doc, nlp=spacy.blank("en"))
    gold_part, pred_part = html.split("<h4>predicted</h4>")
    assert gold_part.count("PERSON") == 2 and pred_part.count("PERSON") == 2
    assert "Zedong" in pred_part and "strict F1 0.462" in html  # 6 / 13
