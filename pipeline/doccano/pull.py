"""Pull reviewed documents back from doccano as gold: JSONL, a DocBin, problems, and the ledger.

By default only examples a reviewer confirmed count (``include_unconfirmed`` takes all). Spans are
read from doccano's own JSONL export (format pinned by ``tests/doccano/fixtures``): one record
per example with ``id``, ``text``, ``label`` (``[start, end, label]`` lists), ``Comments`` and the
example's meta keys merged in (``doc_id``, ``sha256``, ... as export wrote them).

Everything from the server is untrusted. The output files are named after the project name (held
to a safe alphabet), never after a ``doc_id``, so no server value can choose a path. A span or
document that cannot be taken as gold is reported, never dropped silently:

- left out of the gold: a document with a missing, duplicate or unsafe doc_id, or whose text no
  longer matches its sha256; a span that is empty, out of range, malformed or has an unknown label;
- kept in the gold JSONL but flagged: a span that cuts a token (it is also left out of the DocBin),
  an entity span overlapping another (left out of ``doc.ents``, kept in the span group), a span
  starting or ending on whitespace.

Gold spans carry the exported rule id when the reviewer left the span unchanged, else ``manual``;
``pipeline`` is ``{"name": "gold", "version": "doccano-1", "project": ..., "predicted_by": ...}``.
All files are written through temp files and renames, after everything was read from the server.
Outputs in ``OUT``: ``<project>.jsonl`` (gold), ``<project>.spacy`` (DocBin: ``doc.spans["archival"]``
and ``doc.ents``), ``<project>.problems.csv`` and ``<project>.ledger.csv``.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

from ..errors import InputError
from ..labels import ENTITY_LABELS, LABELS, SPAN_GROUP
from . import ledger
from .client import Doccano
from .documents import Document, Span, check_name, doc_id_problem, text_sha256, write_atomic, write_bytes_atomic
from .errors import DoccanoError
from .record import DEFAULT_RECORD_DIR, ExportRecord

logger = logging.getLogger(__name__)

GOLD_PIPELINE = {"name": "gold", "version": "doccano-1"}
PROBLEM_FIELDS = ("doc_id", "example_id", "start", "end", "label", "reason", "kept")
#: Keys doccano's export puts in every record besides the example's meta.
EXPORT_KEYS = ("id", "text", "label", "Comments")


@dataclasses.dataclass(frozen=True)
class Problem:
    doc_id: str
    example_id: int | None
    start: int | None
    end: int | None
    label: str | None
    reason: str
    kept: bool  # still in the gold JSONL (flagged), or left out


@dataclasses.dataclass
class PullResult:
    project: str
    gold: Path
    docbin: Path
    problems_path: Path
    ledger_path: Path
    documents: int = 0
    spans: int = 0
    problems: list[Problem] = dataclasses.field(default_factory=list)
    ledger: list[dict] = dataclasses.field(default_factory=list)
    confirmed: int = 0
    unrecorded: list[str] = dataclasses.field(default_factory=list)  # confirmed, but not in the export record


def output_paths(out_dir: Path, project: str) -> dict[str, Path]:
    name = check_name(project)
    return {
        "gold": out_dir / f"{name}.jsonl",
        "docbin": out_dir / f"{name}.spacy",
        "problems": out_dir / f"{name}.problems.csv",
        "ledger": out_dir / f"{name}.ledger.csv",
    }


def pull_gold(
    *,
    doccano: Doccano,
    project: str,
    out_dir: Path,
    nlp: Language,
    record_dir: Path = DEFAULT_RECORD_DIR,
    include_unconfirmed: bool = False,
    timeout: float = 600.0,
) -> PullResult:
    """Download the project's reviewed documents and write gold, DocBin, problems and ledger."""
    paths = output_paths(out_dir, project)
    _refuse_foreign_gold(paths["gold"], project)
    found = doccano.find_project(project)
    if found is None:
        raise DoccanoError(f"doccano at {doccano.url} has no project named {project!r}")
    project_id = found["id"]
    records = doccano.export_jsonl(project_id, confirmed_only=not include_unconfirmed, timeout=timeout)
    confirmed_ids = {e["id"] for e in doccano.examples(project_id) if e["is_confirmed"]}
    exported = ExportRecord(record_dir, project=project, url=doccano.url, project_id=project_id).read()

    result = PullResult(project, paths["gold"], paths["docbin"], paths["problems"], paths["ledger"])
    gold_docs = []
    changes: list[ledger.Change] = []
    seen: dict[str, int] = {}
    for record in sorted(records, key=lambda r: r.get("id", 0)):
        doc = _gold_document(record, project, exported, confirmed_ids, seen, result.problems)
        if doc is None:
            continue
        gold_docs.append(doc)
        if record["id"] in confirmed_ids and doc.doc_id in exported:
            sent = [Span.from_json(s) for s in exported[doc.doc_id]["spans"]]
            changes.extend(ledger.compare(sent, doc.spans))
        elif record["id"] in confirmed_ids:
            result.unrecorded.append(doc.doc_id)
    if result.unrecorded:
        logger.warning(
            "%d confirmed document(s) are not in the export record %s (exported elsewhere?): their spans count "
            "as manual and they are not in the ledger", len(result.unrecorded), record_dir,
        )
    result.confirmed = sum(1 for d in gold_docs if d.meta["doccano"]["confirmed"])
    docbin = _docbin(nlp, gold_docs, result.problems)
    result.documents = len(gold_docs)
    result.spans = sum(len(d.spans) for d in gold_docs)
    result.ledger = ledger.tally(changes)

    write_atomic(paths["gold"], (_json_line(d.to_json()) for d in gold_docs))
    write_atomic(paths["problems"], [_problems_csv(result.problems)])
    write_atomic(paths["ledger"], [ledger.to_csv(result.ledger)])
    write_bytes_atomic(paths["docbin"], docbin.to_bytes())
    return result


def _refuse_foreign_gold(path: Path, project: str) -> None:
    """Never overwrite a gold file that an earlier pull of this project did not write
    (``annotations/gold`` also holds hand-made gold such as ``dev.jsonl``)."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
    except FileNotFoundError:
        return
    try:
        owner = json.loads(first)["meta"]["doccano"]["project"] if first.strip() else project
    except (ValueError, KeyError, TypeError):
        owner = None
    if owner != project:
        raise InputError(f"{path} exists and was not written by `pull --project {project}`; use another --out or project name")


def _gold_document(
    record: dict[str, Any],
    project: str,
    exported: dict[str, dict],
    confirmed_ids: set[int],
    seen: dict[str, int],
    problems: list[Problem],
) -> Document | None:
    missing = [k for k in ("id", "text", "label") if k not in record]
    if missing:
        raise DoccanoError(f"doccano's export has no {missing} in a record; its format changed (keys: {sorted(record)})")
    example_id, text = record["id"], record["text"]
    doc_id = record.get("doc_id")
    reason = doc_id_problem(doc_id)
    if reason:
        problems.append(Problem(repr(doc_id), example_id, None, None, None, f"{reason}; document left out", False))
        return None
    if doc_id in seen:
        problems.append(Problem(doc_id, example_id, None, None, None, f"duplicate doc_id (also example {seen[doc_id]}); left out", False))
        return None
    seen[doc_id] = example_id
    if not isinstance(text, str) or record.get("sha256") != text_sha256(text):
        problems.append(Problem(doc_id, example_id, None, None, None, "text no longer matches sha256; document left out", False))
        return None
    sent = {(s["start"], s["end"], s["label"]): s for s in exported.get(doc_id, {}).get("spans", [])}
    spans = []
    for raw in record["label"] or []:
        if not (isinstance(raw, list) and len(raw) == 3 and all(isinstance(x, int) for x in raw[:2]) and isinstance(raw[2], str)):
            problems.append(Problem(doc_id, example_id, None, None, None, f"malformed span {raw!r}; left out", False))
            continue
        start, end, label = raw
        reason = _span_problem(text, start, end, label)
        if reason:
            problems.append(Problem(doc_id, example_id, start, end, label, f"{reason}; left out", False))
            continue
        before = sent.get((start, end, label))
        spans.append(
            Span(
                start=start, end=end, label=label, text=text[start:end],
                kb_id=before.get("kb_id") if before else None, value=before.get("value") if before else None,
                rule=(before.get("rule") or ledger.MANUAL) if before else ledger.MANUAL,
            )
        )
        if text[start:end] != text[start:end].strip():
            problems.append(Problem(doc_id, example_id, start, end, label, "starts or ends on whitespace; kept", True))
    spans.sort(key=lambda s: s.key)
    record_before = exported.get(doc_id, {})
    meta = dict(record_before.get("meta") or {"source": record.get("source") or None})
    meta["doccano"] = {"project": project, "example_id": example_id, "confirmed": example_id in confirmed_ids}
    pipeline = {**GOLD_PIPELINE, "project": project, "predicted_by": record_before.get("pipeline") or record.get("pipeline")}
    return Document(doc_id=doc_id, text=text, sha256=text_sha256(text), meta=meta, spans=tuple(spans), pipeline=pipeline)


def _span_problem(text: str, start: int, end: int, label: str) -> str | None:
    if start >= end:
        return "empty span"
    if start < 0 or end > len(text):
        return f"out of range (text has {len(text)} characters)"
    if label not in LABELS:
        return f"unknown label {label!r}"
    return None


def _docbin(nlp: Language, documents: list[Document], problems: list[Problem]) -> DocBin:
    """Tokenize with ``nlp`` and align spans strictly; what does not align is reported."""
    docbin = DocBin(store_user_data=True)
    for gold in documents:
        doc: Doc = nlp.make_doc(gold.text)
        example_id = gold.meta["doccano"]["example_id"]
        group, entities = [], []
        for span in gold.spans:
            aligned = doc.char_span(span.start, span.end, label=span.label, kb_id=span.kb_id or "", alignment_mode="strict")
            if aligned is None:
                problems.append(Problem(gold.doc_id, example_id, span.start, span.end, span.label,
                                        "cuts a token; kept in the JSONL, left out of the DocBin", True))
                continue
            aligned.id_ = span.rule or ""
            group.append(aligned)
            if span.label in ENTITY_LABELS:
                entities.append(aligned)
        doc.spans[SPAN_GROUP] = group
        ents, taken = [], set()
        for span in sorted(entities, key=lambda s: (s.start, -s.end)):
            tokens = set(range(span.start, span.end))
            if tokens & taken:
                problems.append(Problem(gold.doc_id, example_id, span.start_char, span.end_char, span.label_,
                                        "overlaps another entity span; kept, but left out of doc.ents", True))
                continue
            taken |= tokens
            ents.append(span)
        doc.ents = ents
        doc.user_data["doc_id"] = gold.doc_id
        docbin.add(doc)
    return docbin


def _problems_csv(problems: list[Problem]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PROBLEM_FIELDS, lineterminator="\n")
    writer.writeheader()
    for problem in problems:
        row = dataclasses.asdict(problem)
        writer.writerow({k: "" if row[k] is None else row[k] for k in PROBLEM_FIELDS})
    return buffer.getvalue()


def _json_line(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False) + "\n"
