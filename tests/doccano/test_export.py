"""Export against a real doccano: project set-up, idempotence, interrupted runs, verification."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline.doccano.errors import ExportError
from pipeline.doccano.export import ensure_project, export_predictions, guideline_text, load_for_export, upload_line
from pipeline.labels import COLORS, LABELS, SHORTCUTS

from .helpers import prediction, read_jsonl, write_predictions

TEXT = "Comrade Filippov met Mao Zedong in Peking on 13 June 1951."
SPANS = [("Filippov", "PERSON", "person.stalin"), ("Mao Zedong", "PERSON", "person.mao"),
         ("Peking", "PLACE", "place.beijing"), ("13 June 1951", "DATE", "date.dmy")]


# --- refused before anything is sent (no server) -------------------------------------------------


@pytest.mark.parametrize(
    "doc, reason",
    [
        (prediction("emoji", "Stalin \U0001F600 met Mao.", [("Mao", "PERSON", "r")]), "outside the Basic Multilingual Plane"),
        (prediction("gothic", "\U00010330 Kim Il Sung", []), "U+10330 at offset 0"),
        ({**prediction("sha", "Mao", [("Mao", "PERSON", "r")]), "sha256": "0" * 64}, "sha256 does not match"),
        (prediction("label", "Mao", [("Mao", "NAME", "r")]), "unknown label 'NAME'"),
        ({**prediction("range", "Mao", []), "spans": [{"start": 1, "end": 9, "label": "PERSON"}]}, "out of range"),
        ({**prediction("empty", "Mao", []), "spans": [{"start": 2, "end": 2, "label": "PERSON"}]}, "empty span"),
        ({**prediction("twice", "Mao", []), "spans": [{"start": 0, "end": 3, "label": "PERSON"}] * 2}, "appears twice"),
        ({**prediction("", "Mao", [])}, "missing or empty doc_id"),
    ],
)
def test_refuses_what_doccano_would_not_show_faithfully(tmp_path, doc, reason):
    write_predictions(tmp_path, [prediction("fine", TEXT, SPANS), doc])
    with pytest.raises(ExportError) as caught:
        load_for_export(tmp_path / "predictions.jsonl")
    assert reason in str(caught.value)
    if doc["doc_id"]:
        assert repr(doc["doc_id"]) in str(caught.value)  # the document is named


def test_upload_line_is_ascii_and_keeps_text_and_spans(tmp_path):
    write_predictions(tmp_path, [prediction("u", "Café Zhou — 周恩来, Peking", [("Peking", "PLACE", "p")])])
    doc = load_for_export(tmp_path / "predictions.jsonl")[0]
    line = upload_line(doc)
    assert line.isascii() and line.endswith("\n")
    data = json.loads(line)
    assert data["text"] == doc.text and data["label"] == [[doc.spans[0].start, doc.spans[0].end, "PLACE"]]
    assert set(data) == {"text", "label", "doc_id", "sha256", "pipeline", "source"}


# --- against the server --------------------------------------------------------------------------

@pytest.mark.doccano
def test_creates_the_project_as_reviewers_need_it(tmp_path, doccano, project_name):
    write_predictions(tmp_path / "pred", [prediction("a", TEXT, SPANS)])
    result = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    project = doccano.find_project(project_name)
    assert project["id"] == result.project_id
    assert project["project_type"] == "SequenceLabeling"
    assert project["collaborative_annotation"] is True and project["allow_overlapping"] is True
    assert project["guideline"] == guideline_text()
    types = {t["text"]: t for t in doccano.span_types(result.project_id)}
    assert set(types) == set(LABELS)
    assert {k: (t["background_color"], t["suffix_key"]) for k, t in types.items()} == {
        label: (COLORS[label], SHORTCUTS[label]) for label in LABELS
    }


@pytest.mark.doccano
def test_export_twice_leaves_the_project_as_after_once(tmp_path, doccano, project_name):
    docs = [
        prediction("accents", "Café in Peking, Zhou Enlai — 周恩来 — said «yes» on 13 June 1951.", [
            ("Peking", "PLACE", "place.beijing"), ("Zhou Enlai", "PERSON", "person.zhou"), ("13 June 1951", "DATE", "d")]),
        prediction("crlf", "Line one, Peking.\r\nLine two,\tMao Zedong.\n", [("Peking", "PLACE", "p"), ("Mao Zedong", "PERSON", "m")]),
        prediction("overlap", "We propose a neutral zone at the 38th parallel.", [
            ("a neutral zone at the 38th parallel", "PROPOSAL", "proposal.terms"), ("38th parallel", "PLACE", "place.38")]),
        prediction("nospans", "Nothing to see here.", []),
    ]
    write_predictions(tmp_path / "pred", docs)
    first = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    after_once = _snapshot(doccano, first.project_id)
    second = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    assert sorted(first.uploaded) == sorted(d["doc_id"] for d in docs) and second.uploaded == []
    assert sorted(second.already_there) == sorted(d["doc_id"] for d in docs)
    assert _snapshot(doccano, first.project_id) == after_once
    texts = {doc_id: text for doc_id, (text, _) in after_once.items()}
    assert texts == {d["doc_id"]: d["text"] for d in docs}  # UTF-8, CR LF and tabs survive
    assert len(read_jsonl(tmp_path / "rec" / f"{project_name}.jsonl")) == len(docs)


@pytest.mark.doccano
def test_never_changes_a_confirmed_example(tmp_path, doccano, project_name):
    write_predictions(tmp_path / "pred", [prediction("a", TEXT, SPANS)])
    first = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    example = doccano.examples(first.project_id)[0]
    span = doccano.spans(first.project_id, example["id"])[0]
    doccano.delete_span(first.project_id, example["id"], span["id"])
    doccano.confirm(first.project_id, example["id"])
    reviewed = _snapshot(doccano, first.project_id)
    # the pipeline changed its mind since: new spans for the same document
    write_predictions(tmp_path / "pred", [prediction("a", TEXT, SPANS[:1])])
    again = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    assert again.uploaded == [] and again.already_there == ["a"]
    assert _snapshot(doccano, first.project_id) == reviewed


@pytest.mark.doccano
def test_finishes_examples_whose_spans_never_arrived_and_removes_duplicates(tmp_path, doccano, project_name):
    """What an interrupted import leaves: an example without its spans, or an example twice."""
    docs = [prediction("halfway", TEXT, SPANS), prediction("twice", "Mao Zedong in Peking.", [("Peking", "PLACE", "p")])]
    write_predictions(tmp_path / "pred", docs)
    project_id = ensure_project(doccano, project_name)
    loaded = {d.doc_id: d for d in load_for_export(tmp_path / "pred" / "predictions.jsonl")}
    half = json.loads(upload_line(loaded["halfway"]))
    half["label"] = []
    lines = [json.dumps(half), upload_line(loaded["twice"]).strip(), upload_line(loaded["twice"]).strip()]
    raw = tmp_path / "raw.jsonl"
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doccano.wait_task(doccano.upload_jsonl(project_id, raw))
    assert len(doccano.examples(project_id)) == 3

    result = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    assert sorted(result.resumed) == ["halfway", "twice"] and result.uploaded == []
    assert result.duplicates_removed == 1
    snapshot = _snapshot(doccano, project_id)
    assert sorted(snapshot) == ["halfway", "twice"]
    assert snapshot["halfway"][1] == sorted((s.start, s.end, s.label) for s in loaded["halfway"].spans)


@pytest.mark.doccano
@pytest.mark.slow
def test_killed_export_completes_on_rerun_without_duplicates(tmp_path, doccano_env, doccano, project_name):
    docs = [prediction(f"doc{i:02d}", f"Letter {i}: Mao Zedong met Filippov in Peking.", [
        ("Mao Zedong", "PERSON", "person.mao"), ("Peking", "PLACE", "place.beijing")]) for i in range(8)]
    write_predictions(tmp_path / "pred", docs)
    record = tmp_path / "rec" / f"{project_name}.jsonl"
    command = [sys.executable, "-m", "pipeline.cli", "export", str(tmp_path / "pred"), "--project", project_name,
               "--record-dir", str(tmp_path / "rec"), "--batch-size", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if record.is_file() and len(record.read_text(encoding="utf-8").splitlines()) >= 2:
            break
        time.sleep(0.05)
    assert process.poll() is None, "export finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    interrupted = len(read_jsonl(record))
    assert 2 <= interrupted < len(docs)

    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    project_id = doccano.find_project(project_name)["id"]
    examples = doccano.examples(project_id)
    doc_ids = [e["meta"]["doc_id"] for e in examples]
    assert sorted(doc_ids) == [d["doc_id"] for d in docs]  # complete, and each once
    assert sorted({line["doc_id"] for line in read_jsonl(record)}) == [d["doc_id"] for d in docs]
    for example in examples:
        assert len(doccano.spans(project_id, example["id"])) == 2


def _snapshot(doccano, project_id) -> dict:
    """doc_id -> (text, sorted spans) for every example in the project."""
    names = {t["id"]: t["text"] for t in doccano.span_types(project_id)}
    out = {}
    for example in doccano.examples(project_id):
        spans = sorted((s["start_offset"], s["end_offset"], names[s["label"]]) for s in doccano.spans(project_id, example["id"]))
        assert example["meta"]["doc_id"] not in out, "duplicate example"
        out[example["meta"]["doc_id"]] = (example["text"], spans)
    return out
