"""Find input documents, give them stable ids, and read them as normalized text.

A document's ``doc_id`` is its path relative to the directory it was found under (POSIX
separators, without ``.txt``); for a file given directly, its stem. Text is decoded (UTF-8, a
BOM dropped; other encodings detected and recorded), normalized to NFC with CRLF and CR turned
into LF, and otherwise left exactly as it was. A file that cannot be read as text is not an
error of the run: it becomes a ``Rejected`` record with a one-line reason, and the run goes on.
File names only ever name records; nothing here builds an output path from them.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..errors import Errors, InputError

SUFFIX = ".txt"
#: Largest file read as one document. The pipeline needs about 15 s and 60 MB of memory per MB
#: of text, so a bigger file is refused before it is read, with the advice to split it.
MAX_BYTES = 100_000_000
#: Bytes that start common binary formats (images, PDFs, archives, office files).
BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"BM", b"II*\x00", b"MM\x00*")
#: Byte order marks: the encoding recorded, and the codec for the bytes after the mark.
#: UTF-32 comes first because its little-endian mark begins with UTF-16's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)
#: Share of control characters above which decoded "text" is taken to be binary.
MAX_CONTROL_SHARE = 0.01
#: Control characters other than tab, line feed, vertical tab, form feed and carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: Characters that would break a path shown on one line (a newline in a file name).
UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Share of UTF-16 code units whose high byte is NUL above which NUL-bearing bytes without a BOM
#: are read as UTF-16 (Latin text in UTF-16 is about half NULs; binary data has them anywhere).
UTF16_NUL_SHARE = 0.3
#: Legacy 8-bit and CJK text only now and then forms well-formed UTF-8 sequences (GBK, Big5 and
#: EUC-KR text: one for every 2.5 to 8 invalid bytes). Bytes with at least this many well-formed
#: multi-byte characters per invalid sequence are a damaged UTF-8 file, not another encoding.
BROKEN_UTF8_RATIO = 1.0
#: Among charset detection's equally good guesses, the one to take: legacy files in this domain
#: are mostly Western European, and cp1252 is latin-1 with printable quotes and dashes at 0x80-0x9f.
PREFERRED_LEGACY = ("cp1252",)
FILE_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


@dataclass(frozen=True)
class Source:
    """An input the run gives an id; ``problem`` says why it cannot be read, when that is known
    before reading (a directory that cannot be listed)."""

    doc_id: str
    path: Path
    problem: str | None = None


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


def display_path(path: Path | str) -> str:
    """``path`` as one line that JSON and UTF-8 can carry: bytes of a file name that are not
    UTF-8 as ``\\xNN``, control characters (a newline in a name) as escapes."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return UNPRINTABLE_RE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def find_sources(inputs: Iterable[Path]) -> list[Source]:
    """Every document the inputs name, in input order, with duplicate ids refused up front."""
    inputs = [Path(path) for path in inputs]
    sources: list[Source] = []
    for path in inputs:
        if path.is_dir():
            sources.extend(sorted(map(_checked_name, _walk_txt(path)), key=lambda source: source.doc_id))
        elif os.path.lexists(path):  # a broken link or a FIFO is still an input, rejected when read
            if path.suffix.lower() != SUFFIX:
                raise InputError(Errors.E013.format(path=display_path(path)))
            sources.append(_checked_name(Source(path.stem, path)))
        else:
            raise InputError(Errors.E011.format(path=display_path(path)))
    if not sources:
        raise InputError(Errors.E012.format(paths=", ".join(map(display_path, inputs))))
    seen: dict[str, Path] = {}
    for source in sources:
        if source.doc_id in seen:
            first, second = display_path(seen[source.doc_id]), display_path(source.path)
            raise InputError(Errors.E010.format(doc_id=display_path(source.doc_id), first=first, second=second))
        seen[source.doc_id] = source.path
    return sources


def _checked_name(source: Source) -> Source:
    """``source``, or, when its file name is not UTF-8 (its id would hold surrogates that no JSON
    writer takes), a source with the name escaped and the problem noted."""
    try:
        source.doc_id.encode("utf-8")
    except UnicodeEncodeError:
        doc_id = os.fsencode(source.doc_id).decode("utf-8", "backslashreplace")
        return Source(doc_id, source.path, source.problem or Errors.E038)
    return source


def _relative_id(file: Path, root: Path) -> str:
    relative = file.relative_to(root).as_posix()
    return relative[: -len(SUFFIX)] if relative.lower().endswith(SUFFIX) else relative


def _walk_txt(root: Path) -> list[Source]:
    """``*.txt`` files below ``root``, following directory links once (no loops). A directory
    that cannot be listed is a source too (its id ends in ``/``), so the run reports it."""
    found: list[Source] = []

    def unreadable(err: OSError) -> None:
        where = Path(err.filename)
        relative = where.relative_to(root).as_posix() if where != root else root.name
        found.append(Source(f"{relative}/", where, Errors.E039.format(why=_why(err, where))))

    seen_dirs: set[tuple[int, int]] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True, onerror=unreadable):
        subdirs.sort()  # when two links lead to one directory, the same one wins every time
        try:
            info = os.stat(directory)
        except OSError as err:
            unreadable(err)
            subdirs[:] = []
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            subdirs[:] = []
            continue
        seen_dirs.add(key)
        for name in files:
            if name.lower().endswith(SUFFIX):
                file = Path(directory) / name
                found.append(Source(_relative_id(file, root), file))
    return found


def read_document(source: Source) -> Document | Rejected:
    """Read and decode one source, or say why it cannot be used."""
    where = display_path(source.path)
    doc_id = source.doc_id
    if source.problem:
        return Rejected(where, source.problem, doc_id)
    data = read_bytes(source.path)
    if isinstance(data, Rejection):
        return Rejected(where, data.reason, doc_id)
    text_or_reason = decode(data)
    if isinstance(text_or_reason, Rejection):
        return Rejected(where, text_or_reason.reason, doc_id)
    text, encoding = text_or_reason
    text = normalize_text(text)
    if not text.strip():
        return Rejected(where, Errors.E031, doc_id)
    return Document(doc_id=doc_id, text=text, source=where, encoding=encoding)


def read_bytes(path: Path) -> bytes | Rejection:
    """A regular file's bytes. Anything else is refused without waiting on it: a named pipe is
    opened non-blocking and never read."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            return _directory(path)
        if not stat.S_ISREG(info.st_mode):
            return Rejection(Errors.E036.format(kind=_kind(info.st_mode)))
        if info.st_size > MAX_BYTES:
            return Rejection(Errors.E037.format(size=info.st_size, limit=MAX_BYTES))
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())  # the path may have been swapped since it was checked
            if not stat.S_ISREG(info.st_mode):
                return Rejection(Errors.E036.format(kind=_kind(info.st_mode)))
            data = handle.read(MAX_BYTES + 1)
    except OSError as err:
        return Rejection(Errors.E035.format(why=_why(err, path)))
    if len(data) > MAX_BYTES:
        return Rejection(Errors.E037.format(size=len(data), limit=MAX_BYTES))
    return data


def _directory(path: Path) -> Rejection:
    """Why a directory is not a document: a folder that cannot be listed stands as a source for
    itself (see ``_walk_txt``), even when its ``problem`` was lost on the way."""
    try:
        with os.scandir(path):
            pass
    except OSError as err:
        return Rejection(Errors.E039.format(why=_why(err, path)))
    return Rejection(Errors.E036.format(kind="directory"))


def _kind(mode: int) -> str:
    return next((kind for test, kind in FILE_KINDS if test(mode)), "special file")


def _why(err: OSError, path: Path) -> str:
    if err.errno == errno.ENOENT and os.path.islink(path):
        return "broken symbolic link"
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    return err.strerror or err.__class__.__name__


def decode(data: bytes) -> tuple[str, str] | Rejection:
    """Decode bytes to text and name the encoding, or say why they are not text."""
    if not data:
        return Rejection(Errors.E030)
    for bom, encoding, codec in BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, codec=codec, start=len(bom))
    if data.startswith(BINARY_MAGIC):
        return Rejection(Errors.E032.format(why="not a text file"))
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        return _strict(data, encoding) if encoding else Rejection(Errors.E032.format(why="not a text file"))
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as err:
        offset = err.start
    if _broken_utf8(data):
        return Rejection(Errors.E033.format(encoding="UTF-8", offset=offset))
    return _legacy(data, offset)


def _strict(data: bytes, encoding: str, *, codec: str | None = None, start: int = 0) -> tuple[str, str] | Rejection:
    """``data[start:]`` decoded with ``codec``, recorded as ``encoding``; a bad byte is named by
    its offset in the file."""
    codec = codec or encoding
    try:
        return _checked(data[start:].decode(codec), encoding)
    except UnicodeDecodeError as err:
        name = codecs.lookup(codec).name.upper()
        return Rejection(Errors.E033.format(encoding=name, offset=start + err.start))


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when the NULs sit where UTF-16 puts them for Latin text, else None."""
    if len(data) % 2:
        return None
    units = len(data) // 2
    low_first, high_first = data[0::2].count(0), data[1::2].count(0)
    if high_first >= units * UTF16_NUL_SHARE and low_first <= units * 0.05:
        return "utf-16-le"
    if low_first >= units * UTF16_NUL_SHARE and high_first <= units * 0.05:
        return "utf-16-be"
    return None


def _broken_utf8(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are still mostly UTF-8 (a damaged file, not cp1252)."""
    text = data.decode("utf-8", "replace")  # one U+FFFD per invalid sequence
    invalid = text.count("\ufffd")
    ascii_bytes = len(data.translate(None, bytes(range(0x80, 0x100))))
    well_formed = len(text) - ascii_bytes - invalid
    return well_formed >= invalid * BROKEN_UTF8_RATIO


def _legacy(data: bytes, offset: int) -> tuple[str, str] | Rejection:
    """A legacy encoding found by charset detection, preferring cp1252 among equal guesses."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    # Without NULs or a BOM the bytes are not UTF-16/32 text, though detection may say so for a few bytes.
    best = next((match for match in matches if not match.encoding.startswith(("utf_16", "utf_32"))), None)
    if best is None:
        return Rejection(Errors.E034.format(offset=offset))
    tied = {
        name
        for match in matches
        if match.chaos <= best.chaos and match.coherence >= best.coherence
        for name in match.could_be_from_charset
    }
    for encoding in (*(name for name in PREFERRED_LEGACY if name in tied), best.encoding):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _checked(text, encoding)
    return Rejection(Errors.E034.format(offset=offset))


def _checked(text: str, encoding: str) -> tuple[str, str] | Rejection:
    controls = len(CONTROL_RE.findall(text))
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        return Rejection(Errors.E032.format(why="control characters in the text"))
    return text, encoding
