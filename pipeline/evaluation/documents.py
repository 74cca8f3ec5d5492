"""Read gold and predicted documents (the predictions JSONL schema) and pair them by ``doc_id``.

Both sides use one schema, one JSON object per line::

    {"doc_id", "text", "sha256", "meta", "spans": [{"start", "end", "label", "text",
     "kb_id", "value", "rule"}], "pipeline"}

Reading is strict: a line that is not JSON, a span outside its text, an unknown label or a text
whose ``sha256`` does not match fails with the file and line. Pairing refuses a gold and a
predicted document whose texts differ (offsets would point at different characters).
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Errors, InputError
from ..labels import LABELS

log = logging.getLogger(__name__)

#: The file a prediction folder holds (what ``archival-ner run`` writes).
PREDICTIONS_FILE = "predictions.jsonl"


@dataclass(frozen=True)
class Span:
    """One labelled span: code point offsets, end exclusive."""

    start: int
    end: int
    label: str
    kb_id: str | None = None
    value: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Document:
    """One document as read from a JSONL line, with where it came from."""

    doc_id: str
    text: str
    sha256: str
    spans: tuple[Span, ...]
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Pairing:
    """Gold documents paired with their predictions, in gold order."""

    pairs: tuple[tuple[Document, Document], ...]
    #: doc_ids of gold documents with no prediction (scored as an empty prediction).
    missing: tuple[str, ...]
    #: doc_ids of predictions with no gold document (not scored).
    unscored: tuple[str, ...]


def text_sha256(text: str) -> str:
    """The hex sha256 of a text's UTF-8 bytes, as the predictions schema defines it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _require(obj: dict, name: str, kind: type | tuple, expected: str, where: tuple[str, int]) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InputError(Errors.E005.format(path=where[0], line=where[1], field=name, expected=expected))
    return value


def _parse_span(raw: Any, text: str, where: tuple[str, int]) -> Span:
    path, line = where
    if not isinstance(raw, dict):
        raise InputError(Errors.E005.format(path=path, line=line, field="spans", expected="a list of objects"))
    start = _require(raw, "start", int, "an integer", where)
    end = _require(raw, "end", int, "an integer", where)
    label = _require(raw, "label", str, "a string", where)
    if label not in LABELS:
        raise InputError(Errors.E004.format(path=path, line=line, label=label, labels=", ".join(LABELS)))
    if not 0 <= start < end <= len(text):
        raise InputError(Errors.E052.format(path=path, line=line, start=start, end=end, length=len(text)))
    given = raw.get("text")
    if given is not None and given != text[start:end]:
        raise InputError(
            Errors.E053.format(path=path, line=line, start=start, end=end, given=given, actual=text[start:end])
        )
    optional = {}
    for name in ("kb_id", "value", "rule"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(Errors.E005.format(path=path, line=line, field=name, expected="a string or null"))
        optional[name] = value
    return Span(start=start, end=end, label=label, **optional)


def parse_document(line: str, *, path: str, line_no: int) -> Document:
    """Parse and check one JSONL line."""
    where = (path, line_no)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(Errors.E001.format(path=path, line=line_no, reason=err.msg)) from None
    if not isinstance(obj, dict):
        raise InputError(Errors.E001.format(path=path, line=line_no, reason="not an object"))
    doc_id = _require(obj, "doc_id", str, "a string", where)
    text = _require(obj, "text", str, "a string", where)
    actual = text_sha256(text)
    given = obj.get("sha256")
    if given is not None and given != actual:
        raise InputError(Errors.E051.format(path=path, line=line_no, given=given, actual=actual))
    raw_spans = obj.get("spans", [])
    if not isinstance(raw_spans, list):
        raise InputError(Errors.E005.format(path=path, line=line_no, field="spans", expected="a list"))
    spans = tuple(_parse_span(raw, text, where) for raw in raw_spans)
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    return Document(doc_id=doc_id, text=text, sha256=actual, spans=spans, source=f"{path}:{line_no}", meta=meta)


def _jsonl_files(path: Path) -> list[Path]:
    if not path.exists():
        raise InputError(Errors.E011.format(path=path))
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob("*.jsonl") if p.is_file())
    if not files:
        raise InputError(Errors.E054.format(path=path))
    return files


def read_documents(*, path: Path | str) -> dict[str, Document]:
    """Read a JSONL file, or every ``*.jsonl`` in a folder, keyed by ``doc_id`` in file order."""
    documents: dict[str, Document] = {}
    for file in _jsonl_files(Path(path)):
        with file.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                doc = parse_document(line, path=str(file), line_no=line_no)
                if doc.doc_id in documents:
                    first = documents[doc.doc_id].source
                    raise InputError(Errors.E010.format(doc_id=doc.doc_id, first=first, second=doc.source))
                documents[doc.doc_id] = doc
    return documents


def prediction_path(*, path: Path | str) -> Path:
    """A prediction folder's ``predictions.jsonl``, or the path itself if it is a file.

    A folder is not read whole: a run folder also holds ``rejected.jsonl``, in another schema.
    """
    path = Path(path)
    if path.is_dir():
        if not (path / PREDICTIONS_FILE).is_file():
            raise InputError(Errors.E056.format(path=path, name=PREDICTIONS_FILE))
        return path / PREDICTIONS_FILE
    return path


def pair_documents(*, gold: dict[str, Document], pred: dict[str, Document]) -> Pairing:
    """Pair each gold document with its prediction; a missing one becomes an empty prediction."""
    pairs = []
    missing = []
    for doc_id, gold_doc in gold.items():
        pred_doc = pred.get(doc_id)
        if pred_doc is None:
            missing.append(doc_id)
            pred_doc = Document(doc_id=doc_id, text=gold_doc.text, sha256=gold_doc.sha256, spans=())
        elif pred_doc.sha256 != gold_doc.sha256:
            raise InputError(
                Errors.E050.format(
                    doc_id=doc_id,
                    gold_sha=gold_doc.sha256[:12],
                    gold_path=gold_doc.source,
                    pred_sha=pred_doc.sha256[:12],
                    pred_path=pred_doc.source,
                )
            )
        pairs.append((gold_doc, pred_doc))
    unscored = [doc_id for doc_id in pred if doc_id not in gold]
    if missing:  # reported to the user with the scores; logged for library callers
        log.info("%d gold document(s) have no prediction, scored as all missed: %s",
                 len(missing), ", ".join(missing))
    if unscored:
        log.info("%d predicted document(s) have no gold document and are not scored", len(unscored))
    return Pairing(pairs=tuple(pairs), missing=tuple(missing), unscored=tuple(unscored))
