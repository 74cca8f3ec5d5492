"""Precision, recall and F1 from matched spans: per label, overall, per document, per rule.

Conventions (the same everywhere in the report):

- precision = tp / pred, recall = tp / gold, F1 = 2 tp / (gold + pred). F1 so written equals the
  harmonic mean of P and R when both exist, and is 0 when one side is empty and the other is not.
- A ratio whose denominator is 0 is ``nan`` ("nothing to measure"), never 0 or 1: a label with
  no predictions has no precision, a label with no gold spans has no recall.
- ``ALL`` is the micro average (counts summed over labels); ``MACRO`` is the mean of the
  per-label values over the labels where the value exists.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ..labels import KB_LABELS, LABELS, VALUE_LABELS
from .documents import Document, Span
from .matching import MATCHINGS, Matching, match

ALL = "ALL"
MACRO = "MACRO"
NAN = float("nan")


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or nan when there is nothing to divide by."""
    return numerator / denominator if denominator else NAN


@dataclass(frozen=True)
class Counts:
    """True positives, gold spans and predicted spans of one label (or all)."""

    tp: int = 0
    gold: int = 0
    pred: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.gold + other.gold, self.pred + other.pred)

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.pred)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        return ratio(2 * self.tp, self.gold + self.pred)

    @property
    def errors(self) -> int:
        """Missed plus spurious spans."""
        return (self.gold - self.tp) + (self.pred - self.tp)


@dataclass(frozen=True)
class DocumentScore:
    """One gold document, its prediction and the span matchings between them."""

    gold: Document
    pred: Document
    matches: dict[str, Matching]
    missing: bool = False

    @property
    def doc_id(self) -> str:
        return self.gold.doc_id

    def counts(self, *, matching: str, label: str = ALL) -> Counts:
        """Counts of one label (or ``ALL``) under one matching."""

        def keep(span: Span) -> bool:
            return label == ALL or span.label == label

        gold = self.gold.spans
        return Counts(
            tp=sum(1 for g, _ in self.matches[matching] if keep(gold[g])),
            gold=sum(1 for span in gold if keep(span)),
            pred=sum(1 for span in self.pred.spans if keep(span)),
        )


def score_pairs(*, pairs: Iterable[tuple[Document, Document]], missing: Sequence[str] = ()) -> list[DocumentScore]:
    """Match every gold/predicted pair under every matching."""
    missing_ids = set(missing)
    return [
        DocumentScore(
            gold=gold,
            pred=pred,
            matches={m: match(matching=m, gold=gold.spans, pred=pred.spans) for m in MATCHINGS},
            missing=gold.doc_id in missing_ids,
        )
        for gold, pred in pairs
    ]


def count_array(*, documents: Sequence[DocumentScore], matching: str) -> np.ndarray:
    """Counts as an array of shape (documents, labels, 3) with (tp, gold, pred) in the last axis."""
    array = np.zeros((len(documents), len(LABELS), 3), dtype=np.int64)
    for d, doc in enumerate(documents):
        for l, label in enumerate(LABELS):
            c = doc.counts(matching=matching, label=label)
            array[d, l] = (c.tp, c.gold, c.pred)
    return array


def f1_from_array(counts: np.ndarray) -> np.ndarray:
    """F1 = 2 tp / (gold + pred) along the last axis, nan where gold + pred is 0."""
    tp, total = counts[..., 0], counts[..., 1] + counts[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, 2 * tp / np.where(total > 0, total, 1), np.nan)


def label_counts(*, documents: Sequence[DocumentScore], matching: str) -> dict[str, Counts]:
    """Counts per label, then ``ALL`` (micro), summed over documents."""
    totals = {label: Counts() for label in LABELS}
    for doc in documents:
        for label in LABELS:
            totals[label] = totals[label] + doc.counts(matching=matching, label=label)
    totals[ALL] = sum(totals.values(), Counts())
    return totals


def macro(*, counts: dict[str, Counts]) -> dict[str, float]:
    """Macro precision, recall and F1: the mean over labels where each exists."""

    def mean(values: list[float]) -> float:
        defined = [v for v in values if not math.isnan(v)]
        return sum(defined) / len(defined) if defined else NAN

    per_label = [counts[label] for label in LABELS]
    return {
        "precision": mean([c.precision for c in per_label]),
        "recall": mean([c.recall for c in per_label]),
        "f1": mean([c.f1 for c in per_label]),
    }


def rule_precision(*, documents: Sequence[DocumentScore]) -> list[dict]:
    """Per predicted rule id and label: how many spans it made and how many were right."""
    made: dict[tuple[str, str], int] = defaultdict(int)
    right: dict[tuple[str, str, str], int] = defaultdict(int)
    for doc in documents:
        for span in doc.pred.spans:
            made[(span.rule or "(none)", span.label)] += 1
        for matching, pairs in doc.matches.items():
            for _, p in pairs:
                span = doc.pred.spans[p]
                right[(span.rule or "(none)", span.label, matching)] += 1
    rows = []
    for (rule, label), n in sorted(made.items()):
        row = {"rule": rule, "label": label, "pred": n}
        for matching in MATCHINGS:
            row[f"tp_{matching}"] = right[(rule, label, matching)]
            row[f"precision_{matching}"] = ratio(right[(rule, label, matching)], n)
        rows.append(row)
    return rows


def value_field(label: str) -> str | None:
    """The span field that holds a label's normalized value, if the label has one."""
    if label in KB_LABELS:
        return "kb_id"
    if label in VALUE_LABELS:
        return "value"
    return None


def value_accuracy(*, documents: Sequence[DocumentScore]) -> list[dict]:
    """Per matching and normalized label: on matched spans, how often the value is the gold one.

    A gold span with no value (e.g. a DATE that fixes no ISO date) is matched correctly only by a
    prediction with no value.
    """
    rows = []
    for matching in MATCHINGS:
        for label in LABELS:
            name = value_field(label)
            if name is None:
                continue
            matched = correct = 0
            for doc in documents:
                for g, p in doc.matches[matching]:
                    gold, pred = doc.gold.spans[g], doc.pred.spans[p]
                    if gold.label != label:
                        continue
                    matched += 1
                    correct += getattr(gold, name) == getattr(pred, name)
            rows.append(
                {"matching": matching, "label": label, "field": name, "matched": matched,
                 "correct": correct, "accuracy": ratio(correct, matched)}
            )
    return rows
