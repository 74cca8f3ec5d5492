"""The full loop on a real doccano: run -> export -> a scripted reviewer -> pull -> gold and ledger."""
from __future__ import annotations

import pytest
from doccano_client import DoccanoClient
from spacy.tokens import DocBin

from pipeline.batch import run_batch
from pipeline.doccano.export import export_predictions
from pipeline.doccano.pull import pull_gold
from pipeline.labels import ENTITY_LABELS, SPAN_GROUP

from .helpers import read_jsonl

pytestmark = [pytest.mark.doccano, pytest.mark.slow]

ORDER = (
    "We have ordered Deng Hua and the commander of the armies of the 13th army group immediately to "
    "return to the front. Comrade Filippov met Mao Zedong in Peking on 13 June 1951.\n"
)
LETTER = (
    "Conditions for the armistice: restoration of the border at the 38th parallel; to apportion from "
    "both North Korea and South Korea an insignificant strip [to serve] as a neutral zone.\n"
)


def _key(span) -> tuple[int, int, str]:
    return (span["start"], span["end"], span["label"])


def test_full_loop_gold_is_what_the_reviewer_left(tmp_path, nlp, doccano, credentials, project_name):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "order.txt").write_text(ORDER, encoding="utf-8")
    (corpus / "letter.txt").write_text(LETTER, encoding="utf-8")
    run_batch(inputs=[corpus], out_dir=tmp_path / "run", nlp=nlp)
    predicted = {d["doc_id"]: d for d in read_jsonl(tmp_path / "run" / "predictions.jsonl")}
    records = tmp_path / "exported"
    result = export_predictions(doccano=doccano, predictions=tmp_path / "run", project=project_name, record_dir=records)
    assert sorted(result.uploaded) == ["letter", "order"]

    # --- the reviewer, using doccano-client as a person's script would ---------------------------
    sent = sorted(predicted["order"]["spans"], key=_key)
    entities = [s for s in sent if s["label"] in ENTITY_LABELS]
    multiword = [s for s in entities if " " in s["text"]]
    assert len(entities) >= 4 and multiword, f"the pipeline no longer finds enough in the test text: {sent}"
    moved = multiword[-1]
    deleted, relabelled = [s for s in entities if s is not moved][:2]
    new_label = next(label for label in ENTITY_LABELS if label != relabelled["label"])
    added_start = ORDER.index("front")
    added = {"start": added_start, "end": added_start + len("front"), "label": "PLACE"}
    assert not any(s["start"] <= added_start < s["end"] for s in entities)

    reviewer = DoccanoClient(credentials.url)
    reviewer.login(credentials.username, credentials.password)
    project = next(p for p in reviewer.list_projects() if p.name == project_name)
    label_id = {t.text: t.id for t in reviewer.list_label_types(project.id, "span")}
    example = next(e for e in reviewer.list_examples(project.id) if e.meta["doc_id"] == "order")
    on_server = {(s.start_offset, s.end_offset, s.label): s for s in reviewer.list_spans(project.id, example.id)}

    def server_span(span):
        return on_server[(span["start"], span["end"], label_id[span["label"]])]

    reviewer.delete_span(project.id, example.id, server_span(deleted).id)
    reviewer.update_span(project.id, example.id, server_span(relabelled).id, label=label_id[new_label])
    moved_end = moved["start"] + moved["text"].index(" ")
    reviewer.update_span(project.id, example.id, server_span(moved).id, end_offset=moved_end)
    reviewer.create_span(project.id, example.id, added["start"], added["end"], label_id["PLACE"])
    reviewer.update_example_state(project.id, example.id)  # confirm; "letter" stays unconfirmed

    # --- pull ------------------------------------------------------------------------------------
    out = tmp_path / "annotations" / "gold"
    pulled = pull_gold(doccano=doccano, project=project_name, out_dir=out, nlp=nlp, record_dir=records)

    expected = {_key(s): s["rule"] for s in sent if s not in (deleted, relabelled, moved)}
    expected[(relabelled["start"], relabelled["end"], new_label)] = "manual"
    expected[(moved["start"], moved_end, moved["label"])] = "manual"
    expected[(added["start"], added["end"], "PLACE")] = "manual"
    gold = read_jsonl(out / f"{project_name}.jsonl")
    assert [d["doc_id"] for d in gold] == ["order"]
    assert {_key(s): s["rule"] for s in gold[0]["spans"]} == expected
    names = {v: k for k, v in label_id.items()}
    left = {(s.start_offset, s.end_offset, names[s.label]) for s in reviewer.list_spans(project.id, example.id)}
    assert {_key(s) for s in gold[0]["spans"]} == left  # exactly what the reviewer left in doccano
    assert all(s["text"] == ORDER[s["start"] : s["end"]] for s in gold[0]["spans"])
    assert gold[0]["text"] == ORDER and gold[0]["sha256"] == predicted["order"]["sha256"]
    assert gold[0]["meta"]["doccano"]["confirmed"] is True
    assert gold[0]["pipeline"]["name"] == "gold"
    assert pulled.problems == [] and pulled.unrecorded == []

    totals = next(row for row in pulled.ledger if row["by"] == "total")
    assert {k: totals[k] for k in ("accepted", "boundary", "relabelled", "deleted", "added")} == {
        "accepted": len(sent) - 3, "boundary": 1, "relabelled": 1, "deleted": 1, "added": 1,
    }
    by_rule = {row["key"]: row for row in pulled.ledger if row["by"] == "rule"}
    assert by_rule["manual"]["added"] == 1
    assert by_rule[deleted["rule"]]["deleted"] >= 1
    assert (out / f"{project_name}.ledger.csv").read_text().startswith("by,key,exported,accepted")

    docs = list(DocBin().from_disk(out / f"{project_name}.spacy").get_docs(nlp.vocab))
    assert len(docs) == 1 and docs[0].user_data["doc_id"] == "order"
    assert {(s.start_char, s.end_char, s.label_) for s in docs[0].spans[SPAN_GROUP]} == set(expected)
    assert {(e.start_char, e.end_char, e.label_) for e in docs[0].ents} == {k for k in expected if k[2] in ENTITY_LABELS}

    everything = pull_gold(
        doccano=doccano, project=project_name, out_dir=tmp_path / "all", nlp=nlp, record_dir=records,
        include_unconfirmed=True,
    )
    assert everything.documents == 2 and everything.confirmed == 1
