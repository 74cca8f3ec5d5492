"""Documents and spans in the predictions schema, as export reads them and pull writes them.

One JSON object per line: ``doc_id``, ``text``, ``sha256`` (of the UTF-8 text), ``meta``,
``spans`` (``start``/``end`` in code points, end exclusive, ``label``, ``text``, ``kb_id``,
``value``, ``rule``) and ``pipeline`` (``name``, ``version``). Gold written by pull uses the same
schema.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from ..labels import LABELS

#: A project name becomes part of file names, so it is held to a safe alphabet.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
#: Characters that must never occur in an identifier: controls (NUL included) and separators.
UNSAFE_ID = re.compile(r"[\x00-\x1f\x7f]")


@dataclasses.dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str = ""
    kb_id: str | None = None
    value: str | None = None
    rule: str | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Span":
        return cls(
            start=data["start"], end=data["end"], label=data["label"], text=data.get("text", ""),
            kb_id=data.get("kb_id"), value=data.get("value"), rule=data.get("rule"),
        )


@dataclasses.dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    sha256: str
    meta: dict[str, Any]
    spans: tuple[Span, ...]
    pipeline: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "text": self.text, "sha256": self.sha256, "meta": self.meta,
            "spans": [span.to_json() for span in self.spans], "pipeline": self.pipeline,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Document":
        return cls(
            doc_id=data["doc_id"], text=data["text"], sha256=data["sha256"], meta=data.get("meta") or {},
            spans=tuple(Span.from_json(s) for s in data.get("spans") or []), pipeline=data.get("pipeline") or {},
        )


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_name(name: str, what: str = "project name") -> str:
    """Return ``name`` if it is safe as part of a file name, else raise InputError."""
    if not isinstance(name, str) or not SAFE_NAME.match(name) or ".." in name:
        raise InputError(f"{what} {name!r} is not allowed: use letters, digits, '_', '-' and '.' (no '..')")
    return name


def doc_id_problem(doc_id: Any) -> str | None:
    """Why ``doc_id`` cannot identify a document, or None. It is data, never part of a path."""
    if not isinstance(doc_id, str) or not doc_id.strip():
        return "missing or empty doc_id"
    if UNSAFE_ID.search(doc_id):
        return "doc_id contains control characters"
    return None


def read_documents(path: Path) -> list[Document]:
    """Read a predictions or gold JSONL file; a malformed line fails with its file and line."""
    documents = []
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"input not found: {path}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                documents.append(Document.from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as err:
                raise InputError(f"{path}:{number}: not a document in the predictions schema ({err!r})") from None
    return documents


def span_problems(text: str, span: Span) -> list[str]:
    """What is wrong with a span of ``text``: empty, out of range, unknown label, wrong text."""
    if not isinstance(span.start, int) or not isinstance(span.end, int):
        return ["offsets are not integers"]
    if span.start >= span.end:
        return ["empty span"]
    if span.start < 0 or span.end > len(text):
        return [f"out of range (text has {len(text)} characters)"]
    problems = []
    if span.label not in LABELS:
        problems.append(f"unknown label {span.label!r}")
    if span.text and text[span.start : span.end] != span.text:
        problems.append(f"span text {span.text!r} does not match the document text")
    return problems


def first_astral(text: str) -> int | None:
    """Offset of the first character outside the Basic Multilingual Plane, or None."""
    for offset, char in enumerate(text):
        if ord(char) > 0xFFFF:
            return offset
    return None


def write_atomic(path: Path, lines: Iterable[str]) -> None:
    """Write ``lines`` to ``path`` through a temp file in the same folder and a rename."""
    write_bytes_atomic(path, "".join(lines).encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
