"""A crash-safe store of finished prediction records, for resumable runs.

Finished documents are committed to ``DIR/.partial/records.sqlite`` batch by batch, each as the
exact predictions line the run will write, keyed by doc_id with the text's sha256 and the
pipeline that made it. SQLite commits are atomic: a run killed at any point (Ctrl-C, kill -9)
leaves every committed document in place and nothing half-written, and the next run skips them.
The run's list of sources (doc_id and path of every input, in input order) is kept there too.
Both live on disk, not in memory, so a run's memory does not grow with the corpus.

Outputs are written from the store in input order, each to a temporary file that is renamed
into place (``atomic_write``), so no output file is ever seen half-written.
"""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .documents import Source

PARTIAL_DIR = ".partial"
STORE_FILE = "records.sqlite"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS records (doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, pipeline TEXT NOT NULL, line TEXT NOT NULL)",
)
#: Rewritten by every run. Texts are stored as bytes: a file name need not be UTF-8, and a doc_id
#: or path that holds its undecodable bytes as surrogates must come back exactly as it was.
_SOURCES = "CREATE TABLE sources (position INTEGER PRIMARY KEY, doc_id BLOB NOT NULL, path BLOB NOT NULL, problem BLOB)"
#: Sources read back from disk per query.
SOURCES_PAGE = 1000


def pipeline_key(pipeline: dict[str, Any]) -> str:
    """One canonical string per pipeline identity (name, version, rules digest)."""
    return json.dumps(pipeline, sort_keys=True, ensure_ascii=False)


class RecordStore:
    """doc_id -> (sha256, pipeline, predictions line), on disk; the latest record of a doc_id wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def open(self) -> "RecordStore":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        # WAL + NORMAL: a commit survives a killed process (not a power cut, which a re-run repairs).
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._db.commit()
        return self

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "open the store first"
        return self._db

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM records").fetchone()[0]

    def set_sources(self, sources: Iterable[Source]) -> int:
        """Keep this run's sources, in order, replacing an earlier run's; return how many."""
        self.db.execute("DROP TABLE IF EXISTS sources")
        self.db.execute(_SOURCES)
        rows = (
            (position, _encode(source.doc_id), os.fsencode(source.path), None if source.problem is None else _encode(source.problem))
            for position, source in enumerate(sources)
        )
        self.db.executemany("INSERT INTO sources VALUES (?, ?, ?, ?)", rows)
        self.commit()
        return self.db.execute("SELECT count(*) FROM sources").fetchone()[0]

    def sources(self) -> Iterator[Source]:
        """This run's sources in input order, read a page at a time (no cursor stays open)."""
        position = 0
        query = "SELECT position, doc_id, path, problem FROM sources WHERE position >= ? ORDER BY position LIMIT ?"
        while rows := self.db.execute(query, (position, SOURCES_PAGE)).fetchall():
            for _, doc_id, path, problem in rows:
                yield Source(_decode(doc_id), Path(os.fsdecode(path)), None if problem is None else _decode(problem))
            position = rows[-1][0] + 1

    def import_lines(self, source: Path) -> None:
        """Seed the store with the records of a finished earlier run (incremental re-runs)."""
        with open(source, encoding="utf-8") as lines:
            for line in lines:
                if line.endswith("\n"):
                    record = json.loads(line)
                    self.add(record["doc_id"], record["sha256"], record["pipeline"], line[:-1])
        self.commit()

    def is_current(self, doc_id: str, sha256: str, pipeline: dict[str, Any]) -> bool:
        row = self.db.execute("SELECT sha256, pipeline FROM records WHERE doc_id = ?", (doc_id,)).fetchone()
        return row is not None and row == (sha256, pipeline_key(pipeline))

    def add(self, doc_id: str, sha256: str, pipeline: dict[str, Any], line: str) -> None:
        """Stage one record (its predictions line, without the newline); ``commit`` makes it stick."""
        self.db.execute(
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)", (doc_id, sha256, pipeline_key(pipeline), line)
        )

    def append(self, record: dict[str, Any]) -> None:
        self.add(record["doc_id"], record["sha256"], record["pipeline"], json.dumps(record, ensure_ascii=False))

    def commit(self) -> None:
        self.db.commit()

    def line(self, doc_id: str) -> str:
        """The predictions line of ``doc_id`` (without the newline)."""
        row = self.db.execute("SELECT line FROM records WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def read(self, doc_id: str) -> dict[str, Any]:
        return json.loads(self.line(doc_id))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


@contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Write to a temporary file beside ``path`` and rename it into place when done."""
    tmp = path.with_name(f".{path.name}.tmp")
    encoding = None if "b" in mode else "utf-8"
    with open(tmp, mode, encoding=encoding) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
