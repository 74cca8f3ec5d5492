"""Very large documents: a 20 MB document, and a 5 MB one without sentence punctuation.

Both go through the real CLI in every run of the suite (about two minutes together on an idle
2-core machine): the components must stay linear in the length of a document and of a sentence.
"""
from __future__ import annotations

import re
import resource
import time

import pytest

from pipeline.io.documents import Document, find_sources, normalize_text, read_document

from ..conftest import REPO
from .conftest import check_clean_stderr, check_record, read_jsonl, run_cli

MB = 1_000_000
#: Budgets for one 20 MB document (measured: about 175 s of CPU and 1.2 GB at its peak).
SECONDS_20MB = 600
PEAK_BYTES_20MB = 4_000 * MB


def corpus_text(size: int, *, punctuation: bool = True) -> str:
    """The bundled corpus repeated to ``size`` characters; without sentence punctuation, one
    line with no ".", "!", "?", ";", ":" or ",", the worst case for clause finding."""
    corpus = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "corpus").glob("*.txt")))
    if not punctuation:
        corpus = re.sub(r"\s+", " ", re.sub(r"[.!?;:,]", "", corpus))
    return (corpus * (size // len(corpus) + 1))[:size]


def test_reading_a_20_mb_document_is_quick_and_exact(tmp_path):
    text = corpus_text(20 * MB)
    (tmp_path / "big.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (source,) = find_sources([tmp_path])
    started = time.perf_counter()
    document = read_document(source)
    assert time.perf_counter() - started < 30
    assert isinstance(document, Document) and document.text == normalize_text(text)


def _run_one(tmp_path, model, text: str):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    result = run_cli(tmp_path / "in", "--out", tmp_path / "out", model=model, timeout=SECONDS_20MB)
    seconds = time.perf_counter() - started
    # The largest peak of any child this test process has waited for: an upper bound for this run.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert result.returncode == 0, result.stderr
    check_clean_stderr(result.stderr)
    (record,) = read_jsonl(tmp_path / "out" / "predictions.jsonl")
    assert record["text"] == text
    check_record(record)
    return seconds, peak


@pytest.mark.slow
def test_a_20_mb_document(tmp_path, model):
    seconds, peak = _run_one(tmp_path, model, corpus_text(20 * MB))
    assert seconds < SECONDS_20MB and peak < PEAK_BYTES_20MB, (seconds, peak)


@pytest.mark.slow
def test_a_5_mb_document_without_sentence_punctuation(tmp_path, model):
    # Before the components looked for clauses in a window around each cue, this never finished.
    seconds, _ = _run_one(tmp_path, model, corpus_text(5 * MB, punctuation=False))
    assert seconds < SECONDS_20MB / 2, seconds
