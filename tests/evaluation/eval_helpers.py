"""Builders for tiny gold and predicted documents, written inline in each test."""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.evaluation.documents import Document, Span, text_sha256


def S(start: int, end: int, label: str, *, kb_id: str | None = None, value: str | None = None,
      rule: str | None = None) -> Span:
    """A span."""
    return Span(start=start, end=end, label=label, kb_id=kb_id, value=value, rule=rule)


def D(doc_id: str, text: str, spans: list[Span] = ()) -> Document:
    """A document."""
    return Document(doc_id=doc_id, text=text, sha256=text_sha256(text), spans=tuple(spans))


def as_record(doc: Document) -> dict:
    """A document as one line of the predictions schema."""
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "sha256": doc.sha256,
        "meta": {},
        "spans": [
            {"start": s.start, "end": s.end, "label": s.label, "text": doc.text[s.start : s.end],
             "kb_id": s.kb_id, "value": s.value, "rule": s.rule or "manual"}
            for s in doc.spans
        ],
        "pipeline": {"name": "test", "version": "0"},
    }


def write_jsonl(path: Path, docs: list) -> Path:
    """Write documents (or raw dicts) as JSONL, one per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(d if isinstance(d, dict) else as_record(d)) for d in docs]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def at(text: str, piece: str, label: str, *, nth: int = 0, **fields) -> Span:
    """The span of the ``nth`` occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return S(start, start + len(piece), label, **fields)


TEXT = "Filippov met Mao Zedong in Peking on 13 June 1951. Send two divisions to Kaesong."


def worked_example() -> tuple[Document, Document]:
    """The hand-scored document of test_eval_scores.py: (gold, prediction)."""
    gold = D("d1", TEXT, [
        at(TEXT, "Filippov", "PERSON", kb_id="Joseph Stalin"),
        at(TEXT, "Mao Zedong", "PERSON", kb_id="Mao Zedong"),
        at(TEXT, "Peking", "PLACE", kb_id="Beijing"),
        at(TEXT, "13 June 1951", "DATE", value="1951-06-13"),
        at(TEXT, "Send two divisions to Kaesong", "PROPOSAL"),
        at(TEXT, "Kaesong", "PLACE", kb_id="Kaesong"),
    ])
    pred = D("d1", TEXT, [
        at(TEXT, "Filippov", "PERSON", kb_id="Joseph Stalin", rule="p1"),  # right
        at(TEXT, "Zedong", "PERSON", kb_id="Mao Zedong", rule="p1"),  # boundary
        at(TEXT, "Peking", "DATE", rule="d9"),  # wrong label
        at(TEXT, "13 June 1951", "DATE", value="1951-06", rule="d1"),  # right, wrong value
        at(TEXT, "two divisions to Kaesong", "PROPOSAL", rule="r1"),  # boundary
        at(TEXT, "Kaesong", "PLACE", kb_id="Kaesong", rule="l1"),  # right
        at(TEXT, "Kaesong", "PLACE", kb_id="Kaesong", rule="l2"),  # duplicate
    ])
    return gold, pred
