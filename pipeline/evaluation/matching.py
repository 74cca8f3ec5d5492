"""Match gold spans to predicted spans within one document.

Two matchings, both one-to-one (each gold and each predicted span is used at most once) and
both only between spans of the same label:

- ``strict``: same start and same end. Duplicate spans match once; the copies are errors.
- ``overlap``: at least one character in common. Overlaps form a bipartite graph; the matching
  is a *maximum* one (as many pairs as possible), found with augmenting paths (Kuhn's
  algorithm). Candidates are tried in order of decreasing overlap, so among maximum matchings
  the one found pairs spans that share the most text, and the result is deterministic.

A matching is a list of ``(gold_index, pred_index)`` pairs, sorted by gold index.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from .documents import Span

STRICT = "strict"
OVERLAP = "overlap"
#: Matchings in the order reports list them.
MATCHINGS = (STRICT, OVERLAP)

Matching = list[tuple[int, int]]


def match_strict(*, gold: Sequence[Span], pred: Sequence[Span]) -> Matching:
    """Pair spans with the same label, start and end; each span at most once."""
    waiting: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for p, span in enumerate(pred):
        waiting[(span.start, span.end, span.label)].append(p)
    pairs = []
    for g, span in enumerate(gold):
        candidates = waiting.get((span.start, span.end, span.label))
        if candidates:
            pairs.append((g, candidates.pop(0)))
    return pairs


def overlap_chars(a: Span, b: Span) -> int:
    """How many characters two spans share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match_overlap(*, gold: Sequence[Span], pred: Sequence[Span]) -> Matching:
    """A maximum one-to-one matching of same-label spans sharing at least one character."""
    candidates: list[list[int]] = []
    for g_span in gold:
        edges = [
            (overlap_chars(g_span, p_span), p)
            for p, p_span in enumerate(pred)
            if p_span.label == g_span.label and overlap_chars(g_span, p_span) > 0
        ]
        # Most shared text first; ties by position, so the result does not depend on set order.
        candidates.append([p for _, p in sorted(edges, key=lambda e: (-e[0], e[1]))])
    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        for p in candidates[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(len(gold)):
        if candidates[g]:
            augment(g, set())
    return sorted((g, p) for p, g in owner.items())


def match(*, matching: str, gold: Sequence[Span], pred: Sequence[Span]) -> Matching:
    """Run the named matching (``strict`` or ``overlap``)."""
    if matching == STRICT:
        return match_strict(gold=gold, pred=pred)
    if matching == OVERLAP:
        return match_overlap(gold=gold, pred=pred)
    raise ValueError(f"unknown matching {matching!r} (expected one of {', '.join(MATCHINGS)})")
