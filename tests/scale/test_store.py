"""The record store: what is committed survives, what is not is gone, the latest record wins."""
from __future__ import annotations

import json
import os

import pytest

from pipeline.io.store import RecordStore, atomic_write

PIPELINE = {"name": "archival_ner", "version": "1", "rules_sha256": "ab"}


def record(doc_id: str, text: str = "x", pipeline=PIPELINE) -> dict:
    return {"doc_id": doc_id, "text": text, "sha256": f"sha-{text}", "meta": {}, "spans": [], "pipeline": pipeline}


def test_committed_records_survive_and_uncommitted_ones_do_not(tmp_path):
    store = RecordStore(tmp_path / "s.sqlite").open()
    store.append(record("a"))
    store.commit()
    store.append(record("b"))
    meanwhile = RecordStore(tmp_path / "s.sqlite").open()
    assert len(meanwhile) == 1  # another reader sees only what is committed
    meanwhile.close()
    store.close()  # closing does not commit: a run stopped here redoes "b"
    reopened = RecordStore(tmp_path / "s.sqlite").open()
    assert len(reopened) == 1 and reopened.read("a") == record("a")
    reopened.close()


def test_is_current_needs_the_same_text_and_pipeline(tmp_path):
    store = RecordStore(tmp_path / "s.sqlite").open()
    store.append(record("a"))
    assert store.is_current("a", "sha-x", dict(reversed(list(PIPELINE.items()))))  # key order is no change
    assert not store.is_current("a", "sha-y", PIPELINE)
    assert not store.is_current("a", "sha-x", {**PIPELINE, "version": "2"})
    assert not store.is_current("b", "sha-x", PIPELINE)
    store.append(record("a", "y"))
    assert store.is_current("a", "sha-y", PIPELINE) and len(store) == 1
    store.close()


def test_lines_are_kept_byte_for_byte_and_imported_from_a_finished_run(tmp_path):
    finished = tmp_path / "predictions.jsonl"
    lines = [json.dumps(record(d, "é"), ensure_ascii=False) for d in ("a", "b")]
    finished.write_text("".join(line + "\n" for line in lines) + '{"doc_id": "torn', encoding="utf-8")
    store = RecordStore(tmp_path / "s.sqlite").open()
    store.import_lines(finished)
    assert [store.line("a"), store.line("b")] == lines and len(store) == 2
    store.close()


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old"


def test_sources_come_back_exactly_even_with_names_that_are_not_utf8(tmp_path):
    from pathlib import Path

    from pipeline.io.documents import Source

    odd = Path(os.fsdecode(b"/in/M\xfcller.txt"))
    sources = [Source("a", Path("/in/a.txt")), Source(odd.stem, odd), Source("locked", Path("/in/locked"), problem="cannot list")]
    store = RecordStore(tmp_path / "s.sqlite").open()
    assert store.set_sources(sources) == 3
    assert list(store.sources()) == sources
    assert store.set_sources(sources[:1]) == 1 and list(store.sources()) == sources[:1]
    store.close()
