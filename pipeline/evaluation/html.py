"""The self-contained HTML report: tables, embedded charts, and the worst documents side by side.

Everything is inline (CSS, charts as base64 PNG, displaCy markup), so report.html can be mailed
or archived alone; it references no external URL.
"""
from __future__ import annotations

from html import escape

import pandas as pd
import spacy
from spacy import displacy
from spacy.tokens import Doc

from ..labels import COLORS
from .charts import confusion_chart, data_uri, f1_chart
from .evaluator import Evaluation
from .scores import DocumentScore
from .tables import WORST_DOCUMENTS, all_tables, delta_summary, fmt, score_summary

#: The error list in the HTML is cut here (errors.csv has them all).
MAX_ERRORS = 500

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.pair > div { border: 1px solid #ddd; padding: 0.5em; max-height: 420px; overflow: auto; }
.note { color: #555; font-size: 0.9em; }
"""


def _table(frame: pd.DataFrame, *, index: bool = False) -> str:
    return frame.to_html(index=index, escape=True, na_rep="—", float_format=lambda v: fmt(v), border=0)


def _spans_markup(doc: Doc, key: str) -> str:
    if not len(doc.spans[key]):  # displaCy warns on a doc with no spans; show the plain text
        return f"<div class='spans'>{escape(doc.text)}</div>"
    options = {"spans_key": key, "colors": dict(COLORS)}
    return displacy.render(doc, style="span", options=options, jupyter=False)


def document_pair(*, doc: DocumentScore, nlp: spacy.language.Language) -> str:
    """Gold and predicted spans of one document side by side, drawn with displaCy's span style."""
    spacy_doc = nlp.make_doc(doc.gold.text)
    for key, spans in (("gold", doc.gold.spans), ("pred", doc.pred.spans)):
        found = [spacy_doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in spans]
        spacy_doc.spans[key] = [span for span in found if span is not None]
    c = doc.counts(matching="strict")
    return (
        f"<h3>{escape(doc.doc_id)}</h3><p class='note'>strict F1 {fmt(c.f1)}: {c.tp} of {c.gold} gold spans "
        f"found, {c.pred} predicted{' (no prediction for this document)' if doc.missing else ''}</p>"
        f"<div class='pair'><div><h4>gold</h4>{_spans_markup(spacy_doc, 'gold')}</div>"
        f"<div><h4>predicted</h4>{_spans_markup(spacy_doc, 'pred')}</div></div>"
    )


def worst_documents(*, evaluation: Evaluation, n: int = WORST_DOCUMENTS) -> list[DocumentScore]:
    """The documents with the lowest strict F1 (most errors first among equals)."""
    def key(doc: DocumentScore) -> tuple:
        c = doc.counts(matching="strict")
        f1 = c.f1 if c.f1 == c.f1 else 2.0  # nothing to score: last
        return (f1, -c.errors, doc.doc_id)

    return sorted(evaluation.system.documents, key=key)[:n]


def render_html(*, evaluation: Evaluation) -> str:
    """The whole report as one HTML string."""
    system = evaluation.system
    tables = all_tables(evaluation=evaluation)
    nlp = spacy.blank("en")
    parts = [
        f"<h1>Evaluation report</h1><p>{evaluation.n_documents} gold documents from "
        f"<code>{escape(evaluation.gold_path)}</code>; predictions from <code>{escape(system.path)}</code>. "
        f"Intervals: 95% percentile bootstrap over documents, {evaluation.n_resamples} resamples, "
        f"seed {evaluation.seed}.</p>",
        "<h2>Scores</h2>", _table(score_summary(system=system)),
        f"<img alt='F1 per label' src='{data_uri(f1_chart(scores=system.scores))}'>",
    ]
    if system.missing:
        parts.append("<h2>Gold documents with no prediction</h2><p>Scored as all missed: "
                     + ", ".join(f"<code>{escape(d)}</code>" for d in system.missing) + "</p>")
    if evaluation.baseline is not None:
        parts += [f"<h2>Against the baseline</h2><p>Baseline: <code>{escape(evaluation.baseline.path)}</code>. "
                  "Paired bootstrap over documents; a delta is more than noise when its interval excludes 0.</p>",
                  _table(delta_summary(evaluation=evaluation))]
    parts += [
        "<h2>Confusion (same boundaries)</h2>",
        f"<img alt='confusion heatmap' src='{data_uri(confusion_chart(confusion=system.confusion))}'>",
        _table(tables["confusion"], index=True),
        "<h2>Normalized values on matched spans</h2>", _table(tables["values"]),
        "<h2>Precision per rule</h2>", _table(tables["rules"]),
        "<h2>Worst documents</h2>",
        *(document_pair(doc=doc, nlp=nlp) for doc in worst_documents(evaluation=evaluation)),
        "<h2>Per document</h2>", _table(tables["documents"]),
        f"<h2>Errors</h2><p class='note'>{len(system.errors)} errors"
        + (f", the first {MAX_ERRORS} shown; errors.csv has all" if len(system.errors) > MAX_ERRORS else "")
        + ".</p>",
        _table(tables["errors"].head(MAX_ERRORS)),
    ]
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>archival-ner evaluation</title>"
            f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")
