"""Find input documents, give them stable ids, and read them as normalized text.

A document's ``doc_id`` is its path relative to the directory it was found under (POSIX
separators, without ``.txt``); for a file given directly, its stem. Text is decoded (UTF-8, a
BOM dropped; other encodings detected and recorded), normalized to NFC with CRLF and CR turned
into LF, and otherwise left exactly as it was. A file that cannot be read as text is not an
error of the run: it becomes a ``Rejected`` record with the reason, and the run goes on.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import Errors, InputError

SUFFIX = ".txt"
#: Bytes that start common binary formats (images, PDFs, archives, office files).
BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BM", b"II*\x00", b"MM\x00*")
#: Share of control characters above which decoded "text" is taken to be binary.
MAX_CONTROL_SHARE = 0.01
#: Control characters other than tab, line feed, vertical tab, form feed and carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Source:
    """An input file and the id the run gives it."""

    doc_id: str
    path: Path


@dataclass
class Document:
    doc_id: str
    text: str
    source: str
    encoding: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = text_sha256(self.text)


@dataclass
class Rejected:
    source: str
    reason: str
    doc_id: str | None = None


@dataclass(frozen=True)
class Rejection:
    reason: str


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_text(text: str) -> str:
    """NFC, and CRLF/CR turned into LF; nothing else changes."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def find_sources(inputs: Iterable[Path]) -> list[Source]:
    """Every document the inputs name, in input order, with duplicate ids refused up front."""
    sources: list[Source] = []
    for path in inputs:
        path = Path(path)
        if path.is_dir():
            found = [Source(_relative_id(file, path), file) for file in _walk_txt(path)]
            sources.extend(sorted(found, key=lambda source: source.doc_id))
        elif path.is_file() or path.is_symlink():
            if path.suffix.lower() != SUFFIX:
                raise InputError(Errors.E013.format(path=path))
            sources.append(Source(path.stem, path))
        else:
            raise InputError(Errors.E011.format(path=path))
    seen: dict[str, Path] = {}
    for source in sources:
        if source.doc_id in seen:
            raise InputError(Errors.E010.format(doc_id=source.doc_id, first=seen[source.doc_id], second=source.path))
        seen[source.doc_id] = source.path
    return sources


def _relative_id(file: Path, root: Path) -> str:
    relative = file.relative_to(root).as_posix()
    return relative[: -len(SUFFIX)] if relative.lower().endswith(SUFFIX) else relative


def _walk_txt(root: Path) -> Iterator[Path]:
    """``*.txt`` files below ``root``, following directory links once (no loops)."""
    seen_dirs: set[tuple[int, int]] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True):
        stat = os.stat(directory)
        key = (stat.st_dev, stat.st_ino)
        if key in seen_dirs:
            subdirs[:] = []
            continue
        seen_dirs.add(key)
        for name in files:
            if name.lower().endswith(SUFFIX):
                yield Path(directory) / name


def read_document(source: Source) -> Document | Rejected:
    """Read and decode one source, or say why it cannot be used."""
    where = str(source.path)
    try:
        data = source.path.read_bytes()
    except OSError as err:
        return Rejected(where, f"unreadable file ({err.strerror or err.__class__.__name__})", source.doc_id)
    text_or_reason = decode(data)
    if isinstance(text_or_reason, Rejection):
        return Rejected(where, text_or_reason.reason, source.doc_id)
    text, encoding = text_or_reason
    text = normalize_text(text)
    if not text.strip():
        return Rejected(where, "no text (whitespace only)", source.doc_id)
    return Document(doc_id=source.doc_id, text=text, source=where, encoding=encoding)


def decode(data: bytes) -> tuple[str, str] | Rejection:
    """Decode bytes to text and name the encoding, or say why they are not text."""
    if not data:
        return Rejection("empty file")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError as err:
                return Rejection(f"undecodable text (invalid {encoding} at byte {err.start})")
    if data.startswith(BINARY_MAGIC) or b"\x00" in data:
        return Rejection("binary content (not a text file)")
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return Rejection("undecodable text (not UTF-8, and no other encoding fits)")
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> tuple[str, str] | Rejection:
    controls = len(CONTROL_RE.findall(text))
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        return Rejection("binary content (control characters in the text)")
    return text, encoding
