"""Evaluate a prediction set (and optionally a baseline) against gold: every number the report shows.

``evaluate()`` reads, pairs, matches and scores, and returns an ``Evaluation`` of plain rows;
``report`` turns those rows into tables, charts and files. Nothing here prints.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..errors import Errors, InputError
from ..labels import LABELS
from .bootstrap import N_RESAMPLES, SEED, f1_intervals, paired_deltas
from .confusion import confusion_table
from .documents import pair_documents, prediction_path, read_documents
from .matching import MATCHINGS
from .mistakes import error_list
from .scores import (
    ALL, MACRO, DocumentScore, count_array, label_counts, macro, rule_precision, score_pairs, value_accuracy,
)

log = logging.getLogger(__name__)

#: The columns of scores.csv, in order.
SCORE_COLUMNS = ("matching", "label", "precision", "recall", "f1", "f1_low", "f1_high", "tp", "gold", "pred")


@dataclass
class SystemScores:
    """The scores of one prediction set against the gold set."""

    path: str
    documents: list[DocumentScore]
    missing: tuple[str, ...]
    unscored: tuple[str, ...]
    #: One row per matching and label (``LABELS`` then ``ALL``), columns ``SCORE_COLUMNS``.
    scores: list[dict]
    #: One row per matching: macro precision, recall, F1 and the F1 interval.
    macro: list[dict]
    per_document: list[dict]
    rules: list[dict]
    values: list[dict]
    confusion: dict[str, dict[str, int]]
    errors: list[dict]


@dataclass
class Evaluation:
    """Everything ``archival-ner evaluate`` reports."""

    gold_path: str
    n_documents: int
    system: SystemScores
    baseline: SystemScores | None = None
    #: With a baseline: one row per matching and label (and ``ALL``, ``MACRO``) with the F1 delta.
    deltas: list[dict] = field(default_factory=list)
    n_resamples: int = N_RESAMPLES
    seed: int = SEED


def _per_document(documents: Sequence[DocumentScore]) -> list[dict]:
    rows = []
    for doc in documents:
        row: dict = {"doc_id": doc.doc_id, "missing_prediction": doc.missing}
        for matching in MATCHINGS:
            c = doc.counts(matching=matching)
            row.update({f"{matching}_{k}": v for k, v in
                        {"tp": c.tp, "gold": c.gold, "pred": c.pred, "precision": c.precision,
                         "recall": c.recall, "f1": c.f1, "errors": c.errors}.items()})
        rows.append(row)
    return rows


def score_system(
    *, gold: dict, pred_path: Path | str, n_resamples: int = N_RESAMPLES, seed: int = SEED
) -> SystemScores:
    """Read one prediction set, pair it with the gold documents and compute every table."""
    path = prediction_path(path=pred_path)
    pairing = pair_documents(gold=gold, pred=read_documents(path=path))
    documents = score_pairs(pairs=pairing.pairs, missing=pairing.missing)
    scores, macros = [], []
    for matching in MATCHINGS:
        counts = label_counts(documents=documents, matching=matching)
        intervals = f1_intervals(counts=count_array(documents=documents, matching=matching),
                                 n_resamples=n_resamples, seed=seed)
        for label in (*LABELS, ALL):
            c = counts[label]
            scores.append({"matching": matching, "label": label, "precision": c.precision, "recall": c.recall,
                           "f1": c.f1, "f1_low": intervals[label].low, "f1_high": intervals[label].high,
                           "tp": c.tp, "gold": c.gold, "pred": c.pred})
        m = macro(counts=counts)
        macros.append({"matching": matching, "label": MACRO, **m,
                       "f1_low": intervals[MACRO].low, "f1_high": intervals[MACRO].high})
    return SystemScores(
        path=str(path), documents=documents, missing=pairing.missing, unscored=pairing.unscored,
        scores=scores, macro=macros, per_document=_per_document(documents),
        rules=rule_precision(documents=documents), values=value_accuracy(documents=documents),
        confusion=confusion_table(documents=documents), errors=error_list(documents=documents),
    )


def compare(
    *, system: SystemScores, baseline: SystemScores, n_resamples: int = N_RESAMPLES, seed: int = SEED
) -> list[dict]:
    """Per matching and label: F1 of the system minus the baseline's, with a paired bootstrap."""
    rows = []
    for matching in MATCHINGS:
        ours = {r["label"]: r["f1"] for r in system.scores + system.macro if r["matching"] == matching}
        theirs = {r["label"]: r["f1"] for r in baseline.scores + baseline.macro if r["matching"] == matching}
        deltas = paired_deltas(
            counts=count_array(documents=system.documents, matching=matching),
            baseline=count_array(documents=baseline.documents, matching=matching),
            observed={label: ours[label] - theirs[label] for label in ours},
            n_resamples=n_resamples, seed=seed,
        )
        for label in (*LABELS, ALL, MACRO):
            d = deltas[label]
            rows.append({"matching": matching, "label": label, "f1": ours[label], "f1_baseline": theirs[label],
                         "delta": d.delta, "delta_low": d.low, "delta_high": d.high, "p_value": d.p_value,
                         "significant": d.significant})
    return rows


def evaluate(
    *,
    gold: Path | str,
    pred: Path | str,
    baseline: Path | str | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> Evaluation:
    """Score ``pred`` (and ``baseline``) against the gold documents in ``gold``."""
    gold_docs = read_documents(path=gold)
    if not gold_docs:
        raise InputError(Errors.E055.format(path=gold))
    log.info("evaluating %s against %d gold documents", pred, len(gold_docs))
    system = score_system(gold=gold_docs, pred_path=pred, n_resamples=n_resamples, seed=seed)
    result = Evaluation(gold_path=str(gold), n_documents=len(gold_docs), system=system,
                        n_resamples=n_resamples, seed=seed)
    if baseline is not None:
        result.baseline = score_system(gold=gold_docs, pred_path=baseline, n_resamples=n_resamples, seed=seed)
        result.deltas = compare(system=system, baseline=result.baseline, n_resamples=n_resamples, seed=seed)
    return result
