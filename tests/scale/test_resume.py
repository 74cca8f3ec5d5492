"""Interrupted runs finish on re-run, with the outputs of one clean run, byte for byte.

The interrupted runs are real ``archival-ner run`` processes, signalled once their store holds a
few hundred finished documents; clean runs and re-runs go through ``run_batch`` in this process
(same code, same model folder), which keeps the suite quick.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import time

import pytest

from pipeline.batch import run_batch
from pipeline.model import load_model

from .conftest import OUTPUTS, cli, outputs, write_corpus

DOCUMENTS = 2000
#: Kill once this many documents are committed (and well before all of them are).
KILL_AFTER = 256


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("many") / "in", DOCUMENTS)


@pytest.fixture(scope="module")
def saved_nlp(model_copy):
    return load_model(model_copy)


def run(inputs, out, nlp):
    summary = run_batch(inputs=[inputs], out_dir=out, nlp=nlp)
    assert not summary.rejected
    return summary


@pytest.fixture(scope="module")
def clean(corpus, saved_nlp, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "out"
    assert run(corpus, out, saved_nlp).documents == DOCUMENTS
    return outputs(out)


def committed(out) -> int:
    store = out / ".partial" / "records.sqlite"
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
            return db.execute("SELECT count(*) FROM records").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not created yet
        return 0


def interrupt(process, out, sig) -> str:
    """Wait until the run has committed KILL_AFTER documents, signal its process group, and
    return what it wrote on stderr."""
    deadline = time.monotonic() + 120
    while committed(out) < KILL_AFTER and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if process.poll() is None:
        os.killpg(process.pid, sig)
    _, stderr = process.communicate(timeout=60)
    assert committed(out) >= KILL_AFTER, f"the run committed too little in time: {stderr}"
    return stderr


@pytest.mark.parametrize("n_process", [1, 2])
def test_kill_9_then_rerun_equals_one_clean_run(corpus, clean, model_copy, saved_nlp, tmp_path, n_process):
    out = tmp_path / "out"
    process = cli("run", corpus, "--out", out, "--model", model_copy, "--n-process", n_process)
    stderr = interrupt(process, out, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL, f"the run ended before it was killed: {stderr}"
    # Nothing is written until the end, and what is written is renamed into place whole.
    assert not any((out / name).exists() for name in OUTPUTS)
    done = committed(out)
    assert KILL_AFTER <= done < DOCUMENTS
    again = run(corpus, out, saved_nlp)
    assert again.reused >= done and again.reused + again.processed == DOCUMENTS
    assert outputs(out) == clean
    assert not (out / ".partial").exists()


def test_ctrl_c_is_one_line_and_rerun_finishes(corpus, clean, model_copy, saved_nlp, tmp_path):
    out = tmp_path / "out"
    process = cli("run", corpus, "--out", out, "--model", model_copy, "--n-process", 2)
    stderr = interrupt(process, out, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["archival-ner: interrupted; re-run the same command to finish the job"]
    assert run(corpus, out, saved_nlp).reused >= KILL_AFTER
    assert outputs(out) == clean


def test_changed_and_new_documents_are_redone(saved_nlp, tmp_path):
    out = tmp_path / "out"
    small = write_corpus(tmp_path / "in", 150)
    run(small, out, saved_nlp)
    (small / "part000" / "doc00003.txt").write_text("General Ridgway met Kim Il Sung at Kaesong.\n", encoding="utf-8")
    (small / "part001" / "extra.txt").write_text("Peking, 13 June 1951.\n", encoding="utf-8")
    again = run(small, out, saved_nlp)
    assert (again.documents, again.reused, again.processed) == (151, 149, 2)
    fresh = tmp_path / "fresh"
    run(small, fresh, saved_nlp)
    assert outputs(out) == outputs(fresh)


def test_a_changed_pipeline_redoes_everything(saved_nlp, tmp_path, monkeypatch):
    out = tmp_path / "out"
    small = write_corpus(tmp_path / "in", 20)
    run(small, out, saved_nlp)
    monkeypatch.setitem(saved_nlp.meta, "rules_sha256", "0" * 64)
    again = run(small, out, saved_nlp)
    assert (again.reused, again.processed) == (0, 20)
