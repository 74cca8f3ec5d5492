"""A crash-safe, append-only store of prediction records, for resumable runs.

Records are appended one JSON line each to ``DIR/.partial/predictions.jsonl`` and flushed to disk
batch by batch. A run that is killed leaves at most one torn last line, which the next run cuts
off; every complete line is a finished document that the next run need not process again.
Outputs are then written in input order from the store, each to a temporary file that is renamed
into place, so no output file is ever seen half-written.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

PARTIAL_DIR = ".partial"


class RecordStore:
    """Append-only JSONL with an index of where each doc_id's latest record starts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.index: dict[str, tuple[int, str, dict[str, Any]]] = {}
        self._file: IO[bytes] | None = None

    def open(self) -> "RecordStore":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+b")
        self._recover()
        return self

    def _recover(self) -> None:
        """Index every complete record; cut off a torn last line left by a killed run."""
        assert self._file is not None
        self._file.seek(0)
        offset = 0
        good_end = 0
        for line in self._file:
            if not line.endswith(b"\n"):
                break
            try:
                record = json.loads(line)
                self.index[record["doc_id"]] = (offset, record["sha256"], record["pipeline"])
            except (ValueError, KeyError, TypeError):
                break
            offset += len(line)
            good_end = offset
        self._file.truncate(good_end)
        self._file.seek(0, os.SEEK_END)

    def import_lines(self, source: Path) -> None:
        """Seed the store with the records of a finished earlier run (incremental re-runs)."""
        with open(source, "rb") as lines:
            for line in lines:
                if line.endswith(b"\n"):
                    self._append_line(line, json.loads(line))
        self.flush()

    def is_current(self, doc_id: str, sha256: str, pipeline: dict[str, Any]) -> bool:
        entry = self.index.get(doc_id)
        return entry is not None and entry[1] == sha256 and entry[2] == pipeline

    def append(self, record: dict[str, Any]) -> None:
        self._append_line((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"), record)

    def _append_line(self, line: bytes, record: dict[str, Any]) -> None:
        assert self._file is not None
        offset = self._file.tell()
        self._file.write(line)
        self.index[record["doc_id"]] = (offset, record["sha256"], record["pipeline"])

    def flush(self) -> None:
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())

    def read(self, doc_id: str) -> dict[str, Any]:
        assert self._file is not None
        self._file.seek(self.index[doc_id][0])
        record = json.loads(self._file.readline())
        self._file.seek(0, os.SEEK_END)
        return record

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


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
