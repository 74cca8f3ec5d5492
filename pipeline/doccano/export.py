"""Export predictions to a doccano project for review: idempotent, verified, resumable.

- The project is created when missing (sequence labeling, collaborative annotation so reviewers
  see the pre-annotations, overlapping spans allowed because a PROPOSAL contains other spans, the
  five labels with fixed colours and shortcut keys, the bundled annotator guideline).
- Documents are uploaded through doccano's importer as JSONL, sent as UTF-8 and declared so. The
  importer reports errors in its task result and silently drops malformed or unknown spans, so
  the task result is checked and every uploaded document is read back (text and spans).
- A ``doc_id`` already in the project is never uploaded again, and an example in the project is
  never changed except to finish an interrupted upload of an unconfirmed example.
- doccano spans carry no metadata, so what was exported (spans with their rule ids) is kept in
  our own record, ``RECORD_DIR/<project>.jsonl`` (one line per document, appended after the read
  back verified it). ``pull`` reads it for the correction ledger. An upload in flight is noted in
  ``RECORD_DIR/<project>.pending.json``; a re-run waits for it before looking at the project.
- Texts with characters outside the Basic Multilingual Plane are refused: doccano's editor counts
  offsets in UTF-16 code units (doccano issues #2264, #2484) and would shift every later span.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import tempfile
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Callable

from ..labels import COLORS, LABELS, SHORTCUTS
from .client import SEQUENCE_LABELING, Doccano
from .documents import Document, check_name, doc_id_problem, first_astral, read_documents, span_problems, text_sha256
from .errors import ExportError
from .record import DEFAULT_RECORD_DIR, ExportRecord, record_line

logger = logging.getLogger(__name__)

PREDICTIONS_FILE = "predictions.jsonl"


@dataclasses.dataclass
class ExportResult:
    project: str
    project_id: int
    uploaded: list[str] = dataclasses.field(default_factory=list)
    already_there: list[str] = dataclasses.field(default_factory=list)
    resumed: list[str] = dataclasses.field(default_factory=list)
    changed_since_export: list[str] = dataclasses.field(default_factory=list)
    duplicates_removed: int = 0
    record: Path | None = None


def guideline_text() -> str:
    # stripped, as doccano stores it (its API trims surrounding whitespace)
    return resources.files(__package__).joinpath("guideline.md").read_text(encoding="utf-8").strip()


def predictions_path(pred: Path) -> Path:
    return pred / PREDICTIONS_FILE if pred.is_dir() else pred


def load_for_export(path: Path) -> list[Document]:
    """Read predictions and refuse, before any upload, what doccano could not show faithfully."""
    documents = read_documents(path)
    problems: list[str] = []
    seen: set[str] = set()
    for doc in documents:
        reason = doc_id_problem(doc.doc_id)
        if reason:
            problems.append(f"{path}: document {doc.doc_id!r}: {reason}")
            continue
        where = f"document {doc.doc_id!r}"
        if doc.doc_id in seen:
            problems.append(f"{where}: duplicate doc_id")
        seen.add(doc.doc_id)
        if not doc.text:
            problems.append(f"{where}: empty text (doccano refuses it)")
        if text_sha256(doc.text) != doc.sha256:
            problems.append(f"{where}: sha256 does not match its text")
        astral = first_astral(doc.text)
        if astral is not None:
            problems.append(
                f"{where}: character U+{ord(doc.text[astral]):04X} at offset {astral} is outside the Basic "
                "Multilingual Plane; doccano's editor counts UTF-16 units and would shift later spans"
            )
        keys = set()
        for span in doc.spans:
            for reason in span_problems(doc.text, span):
                problems.append(f"{where}: span {span.start}-{span.end} {span.label}: {reason}")
            if span.key in keys:
                problems.append(f"{where}: span {span.start}-{span.end} {span.label} appears twice")
            keys.add(span.key)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise ExportError(f"{len(problems)} problem(s) in {path}, nothing exported: {shown}")
    return documents


def export_predictions(
    *,
    doccano: Doccano,
    predictions: Path,
    project: str,
    record_dir: Path = DEFAULT_RECORD_DIR,
    batch_size: int = 200,
    task_timeout: float = 600.0,
    on_progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Upload the documents of ``predictions`` that are not yet in ``project``; verify them.

    ``on_progress(done, total)`` is called after each verified batch of new documents.
    """
    check_name(project)
    documents = load_for_export(predictions_path(predictions))
    project_id = ensure_project(doccano, project)
    result = ExportResult(project=project, project_id=project_id)
    store = ExportRecord(record_dir, project=project, url=doccano.url, project_id=project_id)
    result.record = store.path
    store.finish_pending(doccano, timeout=task_timeout)

    recorded = store.read()
    on_server = _examples_by_doc(doccano, project_id, result)
    label_ids = {t["text"]: t["id"] for t in doccano.span_types(project_id)}
    to_upload = []
    for doc in documents:
        examples = on_server.get(doc.doc_id)
        if not examples:
            to_upload.append(doc)
        elif doc.doc_id in recorded:
            result.already_there.append(doc.doc_id)
            if recorded[doc.doc_id]["sha256"] != doc.sha256:
                result.changed_since_export.append(doc.doc_id)
        else:
            _resume(doccano, project_id, doc, examples[0], label_ids)
            store.append([record_line(doc, examples[0]["id"])])
            result.resumed.append(doc.doc_id)
    if result.changed_since_export:
        logger.warning(
            "%d document(s) changed since they were exported and were not sent again (a reviewer may be "
            "working on them): %s", len(result.changed_since_export), ", ".join(result.changed_since_export[:10]),
        )

    for start in range(0, len(to_upload), batch_size):
        batch = to_upload[start : start + batch_size]
        _upload_batch(doccano, project_id, batch, store, timeout=task_timeout, result=result)
        result.uploaded.extend(doc.doc_id for doc in batch)
        logger.info("exported %d/%d new document(s)", len(result.uploaded), len(to_upload))
        if on_progress:
            on_progress(len(result.uploaded), len(to_upload))
    return result


def ensure_project(doccano: Doccano, name: str) -> int:
    """Find or create the review project and its five labels; return its id."""
    project = doccano.find_project(name)
    if project is None:
        project = doccano.create_project(
            name=name, description="archival-ner predictions for review", guideline=guideline_text()
        )
        logger.info("created doccano project %r (id %d)", name, project["id"])
    wrong = []
    if project.get("project_type") != SEQUENCE_LABELING:
        wrong.append(f"type {project.get('project_type')} (need {SEQUENCE_LABELING})")
    if not project.get("collaborative_annotation"):
        wrong.append("collaborative annotation is off (reviewers would not see the predictions)")
    if not project.get("allow_overlapping"):
        wrong.append("overlapping spans are not allowed (PROPOSAL contains other spans)")
    if wrong:
        raise ExportError(f"doccano project {name!r} exists but cannot be used: {'; '.join(wrong)}")
    existing = {t["text"]: t for t in doccano.span_types(project["id"])}
    for label in LABELS:
        found = existing.get(label)
        if found is None:
            doccano.create_span_type(project["id"], text=label, color=COLORS[label], key=SHORTCUTS[label])
        elif found.get("background_color") != COLORS[label] or found.get("suffix_key") != SHORTCUTS[label]:
            doccano.update_span_type(
                project["id"], found["id"], background_color=COLORS[label], suffix_key=SHORTCUTS[label], prefix_key=None
            )
    return project["id"]


def upload_line(doc: Document) -> str:
    """One line of doccano's JSONL import format for ``doc`` (ASCII-only JSON: no encoding guess).

    The example's meta is kept to flat strings (doc_id, sha256, pipeline, source): doccano's export
    merges meta into the top level of each record, next to its own id, text, label and Comments.
    """
    meta = {
        "doc_id": doc.doc_id,
        "sha256": doc.sha256,
        "pipeline": f"{doc.pipeline.get('name', '')} {doc.pipeline.get('version', '')}".strip(),
        "source": str(doc.meta.get("source") or ""),
    }
    line = {"text": doc.text, "label": [[s.start, s.end, s.label] for s in doc.spans], **meta}
    return json.dumps(line, ensure_ascii=True) + "\n"


# --- talking to the project ----------------------------------------------------------------------


def _examples_by_doc(doccano: Doccano, project_id: int, result: ExportResult | None = None) -> dict[str, list[dict]]:
    """doc_id -> its examples in the project, after removing unconfirmed duplicates."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for example in doccano.examples(project_id):
        doc_id = (example.get("meta") or {}).get("doc_id")
        if isinstance(doc_id, str):
            groups[doc_id].append(example)
    for doc_id, examples in groups.items():
        if len(examples) < 2:
            continue
        confirmed = [e for e in examples if e["is_confirmed"]]
        if len(confirmed) > 1:
            ids = [e["id"] for e in confirmed]
            raise ExportError(f"document {doc_id!r} is in the project {len(confirmed)} times, all confirmed (examples {ids})")
        keep = confirmed[0] if confirmed else min(examples, key=lambda e: e["id"])
        extra = [e["id"] for e in examples if e is not keep]
        logger.warning("document %r was uploaded %d times; removing the unconfirmed copies %s", doc_id, len(examples), extra)
        doccano.delete_examples(project_id, extra)
        groups[doc_id] = [keep]
        if result is not None:
            result.duplicates_removed += len(extra)
    return dict(groups)


def _server_spans(doccano: Doccano, project_id: int, example_id: int, label_names: dict[int, str]) -> list[tuple]:
    return sorted(
        (s["start_offset"], s["end_offset"], label_names.get(s["label"], f"#{s['label']}"))
        for s in doccano.spans(project_id, example_id)
    )


def _resume(doccano: Doccano, project_id: int, doc: Document, example: dict, label_ids: dict[str, int]) -> None:
    """Check (and if needed finish) a document an interrupted export uploaded but did not record."""
    names = {v: k for k, v in label_ids.items()}
    if (example.get("meta") or {}).get("sha256") != doc.sha256 or text_sha256(example["text"]) != doc.sha256:
        raise ExportError(f"document {doc.doc_id!r} is in the project with a different text (example {example['id']})")
    wanted = sorted(s.key for s in doc.spans)
    held = _server_spans(doccano, project_id, example["id"], names)
    if held == wanted:
        return
    if not held and not example["is_confirmed"]:
        # doccano saves an upload's examples before their spans: the spans never arrived
        for span in doc.spans:
            doccano.create_span(project_id, example["id"], label_id=label_ids[span.label], start=span.start, end=span.end)
        if _server_spans(doccano, project_id, example["id"], names) != wanted:
            raise ExportError(f"document {doc.doc_id!r}: doccano did not keep the spans sent to example {example['id']}")
        return
    logger.warning("document %r was already edited in doccano before it was recorded; recording it as exported", doc.doc_id)


def _upload_batch(
    doccano: Doccano, project_id: int, batch: list[Document], store: ExportRecord, *, timeout: float, result: ExportResult
) -> None:
    doc_ids = [doc.doc_id for doc in batch]
    with tempfile.TemporaryDirectory(prefix="archival-ner-export-") as folder:
        path = Path(folder) / f"{store.project}.jsonl"
        path.write_text("".join(upload_line(doc) for doc in batch), encoding="utf-8")
        store.set_pending(doc_ids, None)
        task_id = doccano.upload_jsonl(project_id, path)
        store.set_pending(doc_ids, task_id)
        outcome = doccano.wait_task(task_id, timeout=timeout)
    errors = outcome.get("error") or []
    if errors:
        shown = "; ".join(f"line {e.get('line')}: {e.get('message')}" for e in errors[:5])
        raise ExportError(f"doccano's import reported {len(errors)} error(s): {shown}; re-run export after fixing")

    on_server = _examples_by_doc(doccano, project_id, result)
    names = {t["id"]: t["text"] for t in doccano.span_types(project_id)}
    verified, failures = [], []
    for doc in batch:
        examples = on_server.get(doc.doc_id, [])
        if len(examples) != 1:
            failures.append(f"{doc.doc_id!r}: {len(examples)} examples after upload")
            continue
        example = examples[0]
        if example["text"] != doc.text:
            failures.append(f"{doc.doc_id!r}: doccano stored a different text (encoding?)")
            continue
        held = _server_spans(doccano, project_id, example["id"], names)
        wanted = sorted(s.key for s in doc.spans)
        if held != wanted:
            missing = sorted(set(wanted) - set(held))
            extra = sorted(set(held) - set(wanted))
            failures.append(f"{doc.doc_id!r}: doccano kept {len(held)} of {len(wanted)} spans (missing {missing[:3]}, extra {extra[:3]})")
            continue
        verified.append(record_line(doc, example["id"]))
    store.append(verified)
    store.clear_pending()
    if failures:
        raise ExportError(f"doccano did not keep {len(failures)} uploaded document(s) as sent: {'; '.join(failures[:5])}")

