"""Our own record of what ``export`` sent to doccano, which doccano cannot keep for us.

doccano spans carry no metadata, so the rule id behind each exported span lives here:
``RECORD_DIR/<project>.jsonl``, one line per exported document (doc_id, sha256, doccano example
id and project id, the spans as sent with their rule ids, meta and pipeline), appended only after
reading the document back from doccano proved it arrived intact. The latest line for a doc_id
wins. ``pull`` reads it to attach rule ids to unchanged spans and to count corrections.

``RECORD_DIR/<project>.pending.json`` notes an upload in flight (its doc ids and doccano task id),
so that a run after an interruption waits for that upload before looking at the project.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any, Iterable

from .client import Doccano
from .documents import Document, check_name
from .errors import DoccanoError, ExportError

logger = logging.getLogger(__name__)

DEFAULT_RECORD_DIR = Path("annotations") / "exported"


class ExportRecord:
    """Our own record of exported documents (with rule ids), and of an upload in flight."""

    def __init__(self, folder: Path, *, project: str, url: str, project_id: int) -> None:
        self.path = folder / f"{check_name(project)}.jsonl"
        self.pending_path = folder / f"{project}.pending.json"
        self.project = project
        self.url = url
        self.project_id = project_id

    def read(self) -> dict[str, dict[str, Any]]:
        """doc_id -> the latest record line for this project. Lines are matched by project id, not
        URL, so that http://localhost:8000 and http://127.0.0.1:8000 are one server; a re-created
        project has a new id, and a document uploaded again gets a newer line."""
        return {
            line["doc_id"]: line for line in read_record_lines(self.path) if line.get("project_id") == self.project_id
        }

    def append(self, lines: Iterable[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            for line in lines:
                out.write(json.dumps({**line, "url": self.url, "project_id": self.project_id}, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())

    def set_pending(self, doc_ids: list[str], task_id: str | None) -> None:
        self.pending_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.pending_path.with_suffix(".tmp")
        state = {"url": self.url, "project_id": self.project_id, "doc_ids": doc_ids, "task_id": task_id}
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.pending_path)

    def clear_pending(self) -> None:
        self.pending_path.unlink(missing_ok=True)

    def finish_pending(self, doccano: Doccano, *, timeout: float) -> None:
        """Wait for an upload an interrupted run left in doccano's task queue."""
        try:
            state = json.loads(self.pending_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except ValueError:
            state = {}
        if state.get("project_id") == self.project_id:
            if state.get("task_id"):
                logger.info("waiting for the upload an interrupted export left running (task %s)", state["task_id"])
                try:
                    # A server restart can lose the task altogether: wait a little, not forever.
                    doccano.wait_task(state["task_id"], timeout=min(timeout, PENDING_TASK_WAIT))
                except DoccanoError as err:  # its documents are checked below either way
                    logger.warning("the interrupted upload did not finish cleanly: %s", err)
            else:
                logger.warning("an interrupted export may have left an upload without a task id; duplicates are removed")
        self.clear_pending()


#: How long a re-run waits for a task that an interrupted export left in doccano's queue. Its
#: documents are checked (and sent again if missing) afterwards either way.
PENDING_TASK_WAIT = 60.0


def read_record_lines(path: Path) -> list[dict[str, Any]]:
    """Lines of an export record. A torn last line (killed while writing) is ignored with a warning."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    lines = raw.split("\n")
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            if number == len(lines):  # no newline after it: the write was interrupted
                logger.warning("%s:%d: ignoring a torn last line", path, number)
                continue
            raise ExportError(f"{path}:{number}: not valid JSON; the export record is damaged") from None
    return out


def record_line(doc: Document, example_id: int) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "sha256": doc.sha256, "example_id": example_id,
        "spans": [s.to_json() for s in doc.spans], "meta": doc.meta, "pipeline": doc.pipeline,
    }
