"""Helpers for the robustness tests: the real CLI in a subprocess, and checks of its outputs."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.labels import LABELS
from pipeline.model import build_model

from ..conftest import REPO

OUTPUTS = {"predictions.jsonl", "spans.csv", "rejected.jsonl", "preview.html"}
#: Longest line the CLI may print on stderr: a rejection names a path and a short reason.
MAX_STDERR_LINE = 500


@pytest.fixture(scope="session")
def model(tmp_path_factory) -> Path:
    """The pipeline built from the package's rules, so these tests do not depend on the state of
    the committed model folder."""
    return build_model(tmp_path_factory.mktemp("model") / "archival_ner")


def run_cli(*args, model: Path, prefix: tuple[str, ...] = (), cwd: Path = REPO, timeout: float = 600):
    """``archival-ner run --model MODEL ARGS`` in a fresh interpreter (the model first, so that
    ARGS may end with ``-- FILE...``)."""
    command = [*prefix, sys.executable, "-m", "pipeline.cli", "run", "--model", str(model), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_clean_stderr(stderr: str) -> None:
    """No traceback, and every line short and printable (no raw bytes, no document text)."""
    assert "Traceback" not in stderr, stderr
    for line in stderr.splitlines():
        assert len(line) <= MAX_STDERR_LINE, line[:200]
        assert line.isprintable(), repr(line[:200])


def check_record(record: dict) -> None:
    """The predictions schema, offsets included."""
    text = record["text"]
    assert record["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert "\r" not in text
    for span in record["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(text), span
        assert text[span["start"]:span["end"]] == span["text"], span
        assert span["label"] in LABELS and span["rule"]
