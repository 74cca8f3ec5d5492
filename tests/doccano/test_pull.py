"""Pull: problems are reported and never dropped, server data never picks a path, format pinned."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from doccano_client import DoccanoClient
from spacy.tokens import DocBin

from pipeline.doccano.documents import text_sha256
from pipeline.doccano.errors import DoccanoError
from pipeline.doccano.export import ensure_project, export_predictions
from pipeline.doccano.pull import _gold_document, output_paths, pull_gold
from pipeline.errors import InputError
from pipeline.labels import SPAN_GROUP

from .helpers import prediction, read_jsonl, write_predictions

FIXTURE = Path(__file__).parent / "fixtures" / "doccano-1.8.4-export.jsonl"
TEXT = "Comrade Filippov met Mao Zedong in Peking on 13 June 1951."


@pytest.fixture
def reviewer(credentials):
    client = DoccanoClient(credentials.url)
    client.login(credentials.username, credentials.password)
    return client


@pytest.mark.doccano
def test_problems_are_reported_with_doc_offsets_and_reason(tmp_path, doccano, reviewer, project_name):
    docs = [
        prediction("flawed", TEXT, [("Filippov", "PERSON", "person.stalin"), ("Peking", "PLACE", "place.beijing")]),
        prediction("edited", "Mao Zedong in Peking.", [("Peking", "PLACE", "place.beijing")]),
    ]
    write_predictions(tmp_path / "pred", docs)
    result = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    pid = result.project_id
    other = doccano.create_span_type(pid, text="OTHER", color="#cccccc", key=None)
    labels = {t["text"]: t["id"] for t in doccano.span_types(pid)}
    examples = {e["meta"]["doc_id"]: e["id"] for e in doccano.examples(pid)}
    flawed = examples["flawed"]
    cut = TEXT.index("Zedong") + 3
    doccano.create_span(pid, flawed, label_id=labels["PERSON"], start=TEXT.index("Mao"), end=cut)  # "Mao Zed"
    doccano.create_span(pid, flawed, label_id=labels["DATE"], start=TEXT.index("13"), end=len(TEXT) + 5)
    doccano.create_span(pid, flawed, label_id=other["id"], start=0, end=7)
    space = TEXT.index(" on 13")
    doccano.create_span(pid, flawed, label_id=labels["PLACE"], start=space, end=space + 3)  # " on"
    reviewer.update_example(pid, examples["edited"], text="Mao Zedong in Peiping.")
    for example_id in examples.values():
        doccano.confirm(pid, example_id)

    out = tmp_path / "gold"
    pulled = pull_gold(doccano=doccano, project=project_name, out_dir=out, nlp=spacy.blank("en"), record_dir=tmp_path / "rec")
    problems = {(p.doc_id, p.start, p.end, p.label, p.reason, p.kept) for p in pulled.problems}
    mao = TEXT.index("Mao")
    assert problems == {
        ("flawed", TEXT.index("13"), len(TEXT) + 5, "DATE", f"out of range (text has {len(TEXT)} characters); left out", False),
        ("flawed", 0, 7, "OTHER", "unknown label 'OTHER'; left out", False),
        ("flawed", space, space + 3, "PLACE", "starts or ends on whitespace; kept", True),
        ("flawed", space, space + 3, "PLACE", "cuts a token; kept in the JSONL, left out of the DocBin", True),
        ("flawed", mao, cut, "PERSON", "cuts a token; kept in the JSONL, left out of the DocBin", True),
        ("edited", None, None, None, "text no longer matches sha256; document left out", False),
    }
    assert len(pulled.problems) == len(problems)
    gold = read_jsonl(out / f"{project_name}.jsonl")
    assert [d["doc_id"] for d in gold] == ["flawed"]
    kept = {(s["start"], s["end"], s["label"]) for s in gold[0]["spans"]}
    assert (mao, cut, "PERSON") in kept and (space, space + 3, "PLACE") in kept
    assert len(kept) == 4  # the two exported spans, the cut one and the one on whitespace
    report = (out / f"{project_name}.problems.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "doc_id,example_id,start,end,label,reason,kept" and len(report) == 1 + len(problems)
    doc = next(DocBin().from_disk(out / f"{project_name}.spacy").get_docs(spacy.blank("en").vocab))
    assert (mao, cut) not in {(s.start_char, s.end_char) for s in doc.spans[SPAN_GROUP]}


@pytest.mark.doccano
def test_doc_ids_from_the_server_never_choose_a_path(tmp_path, doccano, project_name):
    project_id = ensure_project(doccano, project_name)
    hostile = ["../../etc/x", "/tmp/absolute-x", "a\u0000b", "..", "ok"]
    text = "Mao Zedong in Peking."
    lines = [json.dumps({"text": text, "label": [[14, 20, "PLACE"]], "doc_id": d, "sha256": text_sha256(text)}) for d in hostile]
    upload = tmp_path / "upload.jsonl"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doccano.wait_task(doccano.upload_jsonl(project_id, upload))
    for example in doccano.examples(project_id):
        doccano.confirm(project_id, example["id"])

    work = tmp_path / "work"
    out = work / "annotations" / "gold"
    pulled = pull_gold(doccano=doccano, project=project_name, out_dir=out, nlp=spacy.blank("en"), record_dir=work / "rec")
    written = sorted(str(p.relative_to(work)) for p in work.rglob("*") if p.is_file())
    assert written == sorted(str(p.relative_to(work)) for p in output_paths(out, project_name).values())
    assert not Path("/tmp/absolute-x").exists()
    gold_ids = [d["doc_id"] for d in read_jsonl(out / f"{project_name}.jsonl")]
    assert sorted(gold_ids) == sorted(["../../etc/x", "/tmp/absolute-x", "..", "ok"])  # data, not paths
    assert sorted(pulled.unrecorded) == sorted(gold_ids)  # uploaded by hand, not by export
    assert [(p.doc_id, p.reason) for p in pulled.problems] == [
        (repr("a\u0000b"), "doc_id contains control characters; document left out")
    ]


@pytest.mark.parametrize("name", ["../x", "..", "/etc/passwd", "a/b", "a\u0000b", ".hidden", "", "a..b", "x" * 101])
def test_project_names_that_could_leave_the_folder_are_refused_before_any_request(tmp_path, name):
    with pytest.raises(InputError, match="is not allowed"):
        pull_gold(doccano=None, project=name, out_dir=tmp_path, nlp=spacy.blank("en"))  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_never_overwrites_gold_it_did_not_write(tmp_path):
    handmade = tmp_path / "dev.jsonl"
    handmade.write_text(json.dumps({"doc_id": "d", "meta": {"split": "dev"}, "pipeline": {"name": "gold"}}) + "\n")
    with pytest.raises(InputError, match="was not written by `pull --project dev`"):
        pull_gold(doccano=None, project="dev", out_dir=tmp_path, nlp=spacy.blank("en"))  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.jsonl"]


def test_unknown_project_is_an_error(tmp_path):
    class NoProjects:
        url = "http://127.0.0.1:9"

        def find_project(self, name):
            return None

    with pytest.raises(DoccanoError, match="has no project named 'missing'"):
        pull_gold(doccano=NoProjects(), project="missing", out_dir=tmp_path / "out", nlp=spacy.blank("en"))  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_pinned_export_line_reads_as_gold():
    """The fixture is a line doccano 1.8.4 exported (see test_export_format_is_still_the_pinned_one)."""
    record = json.loads(FIXTURE.read_text(encoding="utf-8"))
    problems = []
    doc = _gold_document(record, "format-pin", {}, {record["id"]}, {}, problems)
    assert problems == [] and doc is not None
    assert doc.doc_id == "fixture-1" and doc.sha256 == record["sha256"]
    assert [(s.start, s.end, s.label, s.rule) for s in doc.spans] == [
        (0, 8, "PERSON", "manual"), (10, 16, "PERSON", "manual"), (30, 40, "PERSON", "manual"),
        (44, 56, "DATE", "manual"), (57, 92, "PROPOSAL", "manual"), (79, 92, "PLACE", "manual"),
    ]
    assert doc.meta["doccano"] == {"project": "format-pin", "example_id": record["id"], "confirmed": True}


@pytest.mark.doccano
def test_export_format_is_still_the_pinned_one(tmp_path, doccano, project_name):
    pinned = json.loads(FIXTURE.read_text(encoding="utf-8"))
    text, spans = pinned["text"], pinned["label"]
    doc = prediction("fixture-1", text, [])
    doc["spans"] = [{"start": s, "end": e, "label": label, "text": text[s:e], "rule": "r"} for s, e, label in spans]
    write_predictions(tmp_path / "pred", [doc])
    result = export_predictions(doccano=doccano, predictions=tmp_path / "pred", project=project_name, record_dir=tmp_path / "rec")
    (example,) = doccano.examples(result.project_id)
    doccano.confirm(result.project_id, example["id"])
    (exported,) = doccano.export_jsonl(result.project_id, confirmed_only=True)
    assert list(exported) == list(pinned)  # same keys, same order
    assert {**exported, "id": 0} == {**pinned, "id": 0}
