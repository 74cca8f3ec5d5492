"""Reading and pairing gold and predicted JSONL: strict, with errors naming file and line."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import InputError
from pipeline.evaluation.documents import pair_documents, prediction_path, read_documents, text_sha256

from .eval_helpers import D, S, as_record, write_jsonl


def test_reads_a_file_and_a_folder_in_order(tmp_path):
    write_jsonl(tmp_path / "gold" / "a.jsonl", [D("x", "Kaesong.", [S(0, 7, "PLACE", kb_id="Kaesong")])])
    write_jsonl(tmp_path / "gold" / "b.jsonl", [D("y", "Peking."), D("z", "Quemoy.")])
    docs = read_documents(path=tmp_path / "gold")
    assert list(docs) == ["x", "y", "z"]
    assert docs["x"].spans[0].kb_id == "Kaesong"
    assert list(read_documents(path=tmp_path / "gold" / "b.jsonl")) == ["y", "z"]


def test_prediction_folder_means_its_predictions_jsonl(tmp_path):
    write_jsonl(tmp_path / "run" / "predictions.jsonl", [D("x", "t")])
    assert prediction_path(path=tmp_path / "run") == tmp_path / "run" / "predictions.jsonl"
    assert prediction_path(path=tmp_path / "other.jsonl") == tmp_path / "other.jsonl"
    with pytest.raises(InputError, match="no predictions.jsonl in this folder"):
        prediction_path(path=tmp_path)


def test_malformed_json_names_file_and_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(as_record(D("x", "t"))) + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{path}:3: not valid JSON"):
        read_documents(path=path)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda r: r.update(sha256="0" * 64), r":1: sha256 0{64} does not match"),
        (lambda r: r["spans"].append({"start": 0, "end": 99, "label": "PLACE"}), r":1: span 0-99 is outside"),
        (lambda r: r["spans"].append({"start": 0, "end": 3, "label": "ORG"}), r":1: unknown label 'ORG'"),
        (lambda r: r["spans"].append({"start": 0, "end": 3, "label": "PLACE", "text": "Pek"[::-1]}),
         r":1: span 0-3 has text 'keP'"),
        (lambda r: r["spans"].append({"start": "0", "end": 3, "label": "PLACE"}), r":1: field 'start' must be"),
        (lambda r: r.pop("text"), r":1: field 'text' must be a string"),
    ],
)
def test_bad_documents_are_refused_with_file_and_line(tmp_path, change, message):
    record = as_record(D("x", "Peking."))
    change(record)
    path = write_jsonl(tmp_path / "gold.jsonl", [record])
    with pytest.raises(InputError, match=message):
        read_documents(path=path)


def test_duplicate_doc_ids_are_refused(tmp_path):
    path = write_jsonl(tmp_path / "gold.jsonl", [D("x", "a"), D("x", "b")])
    with pytest.raises(InputError, match=r"duplicate doc_id 'x'.*gold.jsonl:1 and .*gold.jsonl:2"):
        read_documents(path=path)


def test_missing_input_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="input not found"):
        read_documents(path=tmp_path / "nowhere.jsonl")
    with pytest.raises(InputError, match="no .jsonl files"):
        read_documents(path=tmp_path)


def test_pairing_refuses_a_changed_text_naming_doc_and_files(tmp_path):
    gold = read_documents(path=write_jsonl(tmp_path / "gold.jsonl", [D("x", "Peking.")]))
    pred = read_documents(path=write_jsonl(tmp_path / "pred.jsonl", [D("x", "Peiping.")]))
    with pytest.raises(InputError, match=r"doc_id 'x': text differs.*gold.jsonl:1.*pred.jsonl:1"):
        pair_documents(gold=gold, pred=pred)


def test_pairing_lists_missing_and_unscored_documents():
    gold = {"a": D("a", "A", [S(0, 1, "PLACE")]), "b": D("b", "B", [S(0, 1, "PLACE")])}
    pred = {"b": D("b", "B"), "c": D("c", "C")}
    pairing = pair_documents(gold=gold, pred=pred)
    assert pairing.missing == ("a",)
    assert pairing.unscored == ("c",)
    assert [(g.doc_id, p.doc_id, len(p.spans)) for g, p in pairing.pairs] == [("a", "a", 0), ("b", "b", 0)]
    assert text_sha256("A") == pairing.pairs[0][1].sha256
