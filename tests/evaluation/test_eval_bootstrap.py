"""Bootstrap intervals: deterministic for a seed, sensible on clear cases."""
from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.evaluation.bootstrap import f1_intervals, paired_deltas, replicate_f1, resample_indices
from pipeline.evaluation.scores import ALL, MACRO
from pipeline.labels import LABELS

NAMES = (*LABELS, ALL, MACRO)


def counts_for(rows: list[list[tuple[int, int, int]]]) -> np.ndarray:
    """(documents, labels, 3) from per document lists of five (tp, gold, pred)."""
    return np.array(rows, dtype=np.int64)


PERFECT = (2, 2, 2)
NONE = (0, 0, 0)


def varied(seed: int, n: int = 20) -> np.ndarray:
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 6, size=(n, 5))
    pred = rng.integers(0, 6, size=(n, 5))
    tp = np.minimum(gold, pred) - rng.integers(0, 2, size=(n, 5)).clip(0, np.minimum(gold, pred))
    return np.stack([tp, gold, pred], axis=-1)


def test_same_seed_same_intervals_other_seed_other_intervals():
    counts = varied(1)
    first = f1_intervals(counts=counts, seed=7, n_resamples=300)
    again = f1_intervals(counts=counts, seed=7, n_resamples=300)
    other = f1_intervals(counts=counts, seed=8, n_resamples=300)
    assert first == again
    assert first != other


def test_resample_indices_are_fixed_by_the_seed():
    a = resample_indices(n_documents=5, n_resamples=4, seed=3)
    assert a.shape == (4, 5)
    assert (a == resample_indices(n_documents=5, n_resamples=4, seed=3)).all()


def test_interval_brackets_the_full_set_f1():
    counts = varied(2)
    total = counts.sum(axis=(0, 1))
    f1 = 2 * total[0] / (total[1] + total[2])
    interval = f1_intervals(counts=counts)[ALL]
    assert interval.low < f1 < interval.high


def test_perfect_scores_have_a_point_interval_and_absent_labels_none():
    counts = counts_for([[PERFECT, PERFECT, PERFECT, PERFECT, NONE]] * 4)
    intervals = f1_intervals(counts=counts, n_resamples=200)
    assert (intervals["PERSON"].low, intervals["PERSON"].high) == (1.0, 1.0)
    assert math.isnan(intervals["PROPOSAL"].low) and math.isnan(intervals["PROPOSAL"].high)
    assert intervals[MACRO].low == 1.0  # macro leaves the label with nothing to score out


def test_replicates_sum_the_drawn_documents():
    counts = counts_for([[(1, 1, 1)] + [NONE] * 4, [(0, 1, 1)] + [NONE] * 4])
    indices = np.array([[0, 0], [1, 1], [0, 1]])
    assert replicate_f1(counts=counts, indices=indices)["PERSON"].tolist() == [1.0, 0.0, 0.5]


def test_paired_delta_of_a_system_with_itself_is_zero_and_noise():
    counts = varied(3)
    deltas = paired_deltas(counts=counts, baseline=counts, observed={name: 0.0 for name in NAMES})
    assert (deltas[ALL].low, deltas[ALL].high) == (0.0, 0.0)
    assert not deltas[ALL].significant


def test_paired_delta_finds_a_clear_improvement():
    better = counts_for([[PERFECT] * 5] * 15)
    worse = counts_for([[(1, 2, 2)] * 5] * 15)
    observed = {name: 0.5 for name in NAMES}
    delta = paired_deltas(counts=better, baseline=worse, observed=observed, n_resamples=200)[ALL]
    assert delta.significant and delta.low == pytest.approx(0.5) and delta.p_value == 0.0


def test_paired_counts_must_have_the_same_documents():
    with pytest.raises(ValueError, match="differ in shape"):
        paired_deltas(counts=varied(1, n=3), baseline=varied(1, n=4), observed={})
