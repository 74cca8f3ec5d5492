"""The list of errors, each with a little context, sorted by document and position.

Every span that is not a strict true positive is listed once, under the first kind that fits:

- ``label``: a predicted span with the same boundaries as a gold span, but another label;
- ``boundary``: same label, overlapping but not the same boundaries;
- ``missed``: a gold span with no prediction of either kind;
- ``spurious``: a prediction with no gold span of either kind;
- ``value``: a strict match whose normalized value (kb_id or ISO date) differs.
"""
from __future__ import annotations

from typing import Sequence

from .confusion import pair_by_boundary
from .documents import Span
from .matching import STRICT, match_overlap
from .scores import DocumentScore, value_field

#: Characters of text shown either side of an error.
CONTEXT_CHARS = 40
KINDS = ("label", "boundary", "missed", "spurious", "value")


def context(*, text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The text around ``start:end`` on one line, with the span in double angle brackets."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    clip_left = "…" if start - width > 0 else ""
    clip_right = "…" if end + width < len(text) else ""
    snippet = f"{clip_left}{left}«{text[start:end]}»{right}{clip_right}"
    return " ".join(snippet.split())


def _value(span: Span | None) -> str:
    name = value_field(span.label) if span else None
    return (getattr(span, name) or "") if name else ""


def _row(doc: DocumentScore, kind: str, gold: Span | None, pred: Span | None) -> dict:
    spans = [s for s in (gold, pred) if s is not None]
    start, end = min(s.start for s in spans), max(s.end for s in spans)
    text = doc.gold.text
    return {
        "doc_id": doc.doc_id,
        "kind": kind,
        "start": start,
        "end": end,
        "gold_label": gold.label if gold else "",
        "pred_label": pred.label if pred else "",
        "gold_text": text[gold.start : gold.end] if gold else "",
        "pred_text": text[pred.start : pred.end] if pred else "",
        "gold_value": _value(gold),
        "pred_value": _value(pred),
        "rule": (pred.rule or "") if pred else "",
        "context": context(text=text, start=start, end=end),
    }


def document_errors(*, doc: DocumentScore) -> list[dict]:
    """The errors of one document, as rows (see the module docstring)."""
    gold, pred = doc.gold.spans, doc.pred.spans
    strict = doc.matches[STRICT]
    used_gold = {g for g, _ in strict}
    used_pred = {p for _, p in strict}
    rows = []
    for g, p in strict:
        name = value_field(gold[g].label)
        if name and getattr(gold[g], name) != getattr(pred[p], name):
            rows.append(_row(doc, "value", gold[g], pred[p]))
    for g, p in pair_by_boundary(gold=doc.gold, pred=doc.pred):
        if g is None or p is None or g in used_gold or p in used_pred:
            continue
        if gold[g].label != pred[p].label:
            rows.append(_row(doc, "label", gold[g], pred[p]))
            used_gold.add(g)
            used_pred.add(p)
    left_gold = [g for g in range(len(gold)) if g not in used_gold]
    left_pred = [p for p in range(len(pred)) if p not in used_pred]
    pairs = match_overlap(gold=[gold[g] for g in left_gold], pred=[pred[p] for p in left_pred])
    for i, j in pairs:
        g, p = left_gold[i], left_pred[j]
        rows.append(_row(doc, "boundary", gold[g], pred[p]))
        used_gold.add(g)
        used_pred.add(p)
    rows.extend(_row(doc, "missed", gold[g], None) for g in range(len(gold)) if g not in used_gold)
    rows.extend(_row(doc, "spurious", None, pred[p]) for p in range(len(pred)) if p not in used_pred)
    return sorted(rows, key=lambda r: (r["start"], r["end"], KINDS.index(r["kind"])))


def error_list(*, documents: Sequence[DocumentScore]) -> list[dict]:
    """The errors of every document, in document order."""
    return [row for doc in documents for row in document_errors(doc=doc)]
