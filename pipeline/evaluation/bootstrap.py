"""Confidence intervals for F1 by bootstrap over documents, and paired bootstrap for deltas.

Documents, not spans, are resampled: spans in one document are not independent (one author,
one rule misfiring on a repeated name), and a new corpus brings new documents. A fixed seed
makes every rerun give the same numbers. Replicates where F1 is undefined (no gold and no
predicted span of the label were drawn) are left out of the percentiles.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..labels import LABELS
from .scores import ALL, MACRO, f1_from_array

#: Defaults used by ``archival-ner evaluate``.
N_RESAMPLES = 1000
SEED = 0
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True)
class Delta:
    """F1 of a system minus F1 of a baseline, with its paired bootstrap interval."""

    delta: float
    low: float
    high: float
    #: Two-sided bootstrap p-value: how often the resampled delta falls on the other side of 0.
    p_value: float

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 0: the difference is more than resampling noise."""
        return bool(self.low > 0 or self.high < 0)


def resample_indices(*, n_documents: int, n_resamples: int = N_RESAMPLES, seed: int = SEED) -> np.ndarray:
    """Document indices drawn with replacement, shape (resamples, documents); fixed by the seed."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n_documents, size=(n_resamples, n_documents))


def replicate_f1(*, counts: np.ndarray, indices: np.ndarray) -> dict[str, np.ndarray]:
    """F1 per label, ``ALL`` (micro) and ``MACRO`` in every replicate.

    ``counts`` has shape (documents, labels, 3) as made by ``scores.count_array``.
    """
    if counts.shape[0] == 0:
        empty = np.full(indices.shape[0], np.nan)
        return {name: empty for name in (*LABELS, ALL, MACRO)}
    sums = counts[indices].sum(axis=1)  # (resamples, labels, 3)
    per_label = f1_from_array(sums)  # (resamples, labels)
    result = {label: per_label[:, l] for l, label in enumerate(LABELS)}
    result[ALL] = f1_from_array(sums.sum(axis=1))
    defined = ~np.isnan(per_label)
    n_defined = defined.sum(axis=1)
    total = np.where(defined, per_label, 0).sum(axis=1)
    result[MACRO] = np.where(n_defined > 0, total / np.maximum(n_defined, 1), np.nan)
    return result


def _percentiles(values: np.ndarray, confidence: float) -> tuple[float, float]:
    values = values[~np.isnan(values)]
    if values.size == 0:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def f1_intervals(
    *, counts: np.ndarray, n_resamples: int = N_RESAMPLES, seed: int = SEED, confidence: float = CONFIDENCE
) -> dict[str, Interval]:
    """Percentile bootstrap interval of F1 per label, ``ALL`` and ``MACRO``."""
    indices = resample_indices(n_documents=max(counts.shape[0], 1), n_resamples=n_resamples, seed=seed)
    replicates = replicate_f1(counts=counts, indices=indices)
    return {name: Interval(*_percentiles(values, confidence)) for name, values in replicates.items()}


def paired_deltas(
    *,
    counts: np.ndarray,
    baseline: np.ndarray,
    observed: dict[str, float],
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
    confidence: float = CONFIDENCE,
) -> dict[str, Delta]:
    """Paired bootstrap of F1(system) - F1(baseline): both resampled with the same documents.

    ``counts`` and ``baseline`` must list the same documents in the same order; ``observed``
    holds the deltas on the full set, per label, ``ALL`` and ``MACRO``.
    """
    if counts.shape != baseline.shape:
        raise ValueError(f"paired counts differ in shape: {counts.shape} and {baseline.shape}")
    indices = resample_indices(n_documents=max(counts.shape[0], 1), n_resamples=n_resamples, seed=seed)
    ours = replicate_f1(counts=counts, indices=indices)
    theirs = replicate_f1(counts=baseline, indices=indices)
    deltas = {}
    for name in ours:
        diff = ours[name] - theirs[name]
        diff = diff[~np.isnan(diff)]
        low, high = _percentiles(diff, confidence)
        if diff.size:
            p_value = min(1.0, 2 * min(float((diff <= 0).mean()), float((diff >= 0).mean())))
        else:
            p_value = float("nan")
        deltas[name] = Delta(delta=observed[name], low=low, high=high, p_value=p_value)
    return deltas
