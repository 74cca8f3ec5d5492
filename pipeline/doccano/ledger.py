"""The correction ledger: what reviewers did to each exported span, per label and per rule id.

For one document, the exported spans are paired with the gold spans in four passes, each pairing
a span at most once, so every change is counted exactly once:

1. same start, end and label: **accepted** unchanged;
2. same start and end, another label: **relabelled**;
3. overlapping, same label: **boundary** changed;
4. overlapping, another label, both among PERSON/PLACE/DATE/MILITARY_UNIT: **relabelled**
   (the boundary may have moved too; a PROPOSAL is never paired with a name inside it).

Exported spans left unpaired were **deleted**; gold spans left unpaired were **added** (their rule
is ``manual``). A change is attributed to the exported span's label and rule id (an addition to the
gold label), so ``accepted / exported`` is the measured precision of a rule.
"""
from __future__ import annotations

import csv
import dataclasses
import io
from collections import defaultdict
from typing import Iterable, Sequence

from ..labels import ENTITY_LABELS, LABELS
from .documents import Span

ACCEPTED, BOUNDARY, RELABELLED, DELETED, ADDED = "accepted", "boundary", "relabelled", "deleted", "added"
KINDS = (ACCEPTED, BOUNDARY, RELABELLED, DELETED, ADDED)
MANUAL = "manual"
CSV_FIELDS = ("by", "key", "exported", *KINDS, "precision")


@dataclasses.dataclass(frozen=True)
class Change:
    kind: str
    exported: Span | None
    gold: Span | None

    @property
    def label(self) -> str:
        return (self.exported or self.gold).label  # type: ignore[union-attr]

    @property
    def rule(self) -> str:
        return (self.exported.rule if self.exported else None) or MANUAL


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def compare(exported: Sequence[Span], gold: Sequence[Span]) -> list[Change]:
    """Pair one document's exported spans with its gold spans; return one Change per span."""
    left = sorted(exported, key=lambda s: s.key)
    right = sorted(gold, key=lambda s: s.key)
    changes: list[Change] = []

    def pair(kind: str, match) -> None:  # type: ignore[no-untyped-def]
        for e in list(left):
            candidates = [g for g in right if match(e, g)]
            if candidates:
                g = max(candidates, key=lambda g: (_overlap(e, g), -abs(g.start - e.start)))
                changes.append(Change(kind, e, g))
                left.remove(e)
                right.remove(g)

    pair(ACCEPTED, lambda e, g: e.key == g.key)
    pair(RELABELLED, lambda e, g: (e.start, e.end) == (g.start, g.end))
    pair(BOUNDARY, lambda e, g: e.label == g.label and _overlap(e, g) > 0)
    pair(RELABELLED, lambda e, g: e.label in ENTITY_LABELS and g.label in ENTITY_LABELS and _overlap(e, g) > 0)
    changes.extend(Change(DELETED, e, None) for e in left)
    changes.extend(Change(ADDED, None, g) for g in right)
    return changes


def tally(changes: Iterable[Change]) -> list[dict]:
    """Rows of counts, first per label (in LABELS order), then per rule id, then the total."""
    by_label: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    by_rule: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    total = dict.fromkeys(KINDS, 0)
    for change in changes:
        by_label[change.label][change.kind] += 1
        by_rule[change.rule][change.kind] += 1
        total[change.kind] += 1
    rows = [_row("label", label, by_label[label]) for label in LABELS if label in by_label]
    rows += [_row("label", label, counts) for label, counts in sorted(by_label.items()) if label not in LABELS]
    rows += [_row("rule", rule, counts) for rule, counts in sorted(by_rule.items())]
    rows.append(_row("total", "all", total))
    return rows


def _row(by: str, key: str, counts: dict[str, int]) -> dict:
    exported = sum(counts[k] for k in KINDS if k != ADDED)
    precision = round(counts[ACCEPTED] / exported, 4) if exported else None
    return {"by": by, "key": key, "exported": exported, **counts, "precision": precision}


def to_csv(rows: Sequence[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in CSV_FIELDS})
    return buffer.getvalue()
