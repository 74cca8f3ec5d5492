"""Fixtures for the scale tests: corpora of many small documents cut from the bundled corpus."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO


def paragraphs() -> list[str]:
    """Every paragraph of the bundled corpus with a few words in it, in a fixed order."""
    found = []
    for path in sorted((REPO / "corpus").glob("*.txt")):
        found += [p.strip() + "\n" for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 5]
    return found


def write_corpus(root: Path, documents: int) -> Path:
    """``documents`` small files (one paragraph each, cycling) under ``root``, in folders of 100."""
    texts = paragraphs()
    for i in range(documents):
        folder = root / f"part{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc{i:05d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
    return root


def cli(*args, **popen) -> subprocess.Popen:
    """``archival-ner`` in a child process of its own session (so a test can signal its group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **popen,
    )


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], cwd=REPO, capture_output=True, text=True)


OUTPUTS = ("predictions.jsonl", "spans.csv", "rejected.jsonl", "preview.html")


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="session")
def model_copy(tmp_path_factory) -> Path:
    """A snapshot of the committed model, so that a rebuild during the session changes nothing here."""
    import shutil

    target = tmp_path_factory.mktemp("model") / "archival_ner"
    shutil.copytree(REPO / "models" / "archival_ner", target)
    return target
