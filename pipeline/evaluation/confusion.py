"""The confusion table: gold label x predicted label for spans with the same boundaries.

Within each document, spans are grouped by (start, end). At each boundary, gold and predicted
spans of the same label pair first (the diagonal, equal to the strict true positives); the
remaining ones pair across labels in label order; what is left of the gold spans goes to the
``MISSED`` column and what is left of the predictions to the ``SPURIOUS`` row. So each label's
row sums to its gold count and each label's column to its predicted count.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from ..labels import LABELS
from .documents import Document, Span
from .scores import DocumentScore

MISSED = "MISSED"
SPURIOUS = "SPURIOUS"
#: Row names (gold side) and column names (predicted side) of the table.
ROWS = (*LABELS, SPURIOUS)
COLUMNS = (*LABELS, MISSED)


def _by_boundary(spans: Sequence[Span]) -> dict[tuple[int, int], list[int]]:
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, span in enumerate(spans):
        groups[(span.start, span.end)].append(i)
    return groups


def pair_by_boundary(*, gold: Document, pred: Document) -> list[tuple[int | None, int | None]]:
    """(gold index or None, predicted index or None) for every span of a document, as above."""
    gold_groups, pred_groups = _by_boundary(gold.spans), _by_boundary(pred.spans)
    order = {label: i for i, label in enumerate(LABELS)}
    pairs: list[tuple[int | None, int | None]] = []
    for boundary in sorted(set(gold_groups) | set(pred_groups)):
        g_left = sorted(gold_groups.get(boundary, []), key=lambda i: (order[gold.spans[i].label], i))
        p_left = sorted(pred_groups.get(boundary, []), key=lambda i: (order[pred.spans[i].label], i))
        for g in list(g_left):
            same = next((p for p in p_left if pred.spans[p].label == gold.spans[g].label), None)
            if same is not None:
                pairs.append((g, same))
                g_left.remove(g)
                p_left.remove(same)
        while g_left and p_left:
            pairs.append((g_left.pop(0), p_left.pop(0)))
        pairs.extend((g, None) for g in g_left)
        pairs.extend((None, p) for p in p_left)
    return pairs


def confusion_table(*, documents: Sequence[DocumentScore]) -> dict[str, dict[str, int]]:
    """Counts as ``table[gold_row][predicted_column]`` over ``ROWS`` x ``COLUMNS``."""
    table = {row: {column: 0 for column in COLUMNS} for row in ROWS}
    for doc in documents:
        for g, p in pair_by_boundary(gold=doc.gold, pred=doc.pred):
            row = doc.gold.spans[g].label if g is not None else SPURIOUS
            column = doc.pred.spans[p].label if p is not None else MISSED
            table[row][column] += 1
    return table
