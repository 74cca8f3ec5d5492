"""`archival-ner run` end to end on a temporary corpus."""
import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest

from pipeline.labels import LABELS

from .conftest import REPO

SPAN_KEYS = {"start", "end", "label", "text", "kb_id", "value", "rule"}


def run_cli(*args, cwd=REPO):
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "in"
    (root / "letters").mkdir(parents=True)
    (root / "letters" / "mao.txt").write_text(
        "To Comrades Gao Gang and Kim Il Sung:\n\nI received your telegram of 13 June.\r\n\r\n"
        "Conditions for the armistice: restoration of the border at the 38th parallel; "
        "a neutral zone.\n\nMao Zedong\n\n13.6.51\n",
        encoding="utf-8",
    )
    (root / "telegram.txt").write_bytes(
        "The Ambassador in India (Henderson) to the Secretary of State\nNew Delhi, June 3, 1951—4 p. m.\n\n"
        "UK HICOM considering advisability suggesting Foreign Office urge GOI.\n\nHenderson\n".encode("utf-8")
    )
    return root


def test_run_writes_predictions_in_the_schema(corpus, tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", corpus, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "2 documents" in result.stdout and "0 rejected" in result.stdout
    records = [json.loads(line) for line in (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == ["letters/mao", "telegram"]
    for record in records:
        assert set(record) == {"doc_id", "text", "sha256", "meta", "spans", "pipeline"}
        assert record["sha256"] == hashlib.sha256(record["text"].encode("utf-8")).hexdigest()
        assert record["meta"]["encoding"] == "utf-8" and record["meta"]["source"].endswith(".txt")
        assert record["pipeline"]["name"] == "archival_ner" and record["pipeline"]["version"]
        assert "\r" not in record["text"]
        for span in record["spans"]:
            assert set(span) == SPAN_KEYS
            assert record["text"][span["start"]:span["end"]] == span["text"]
            assert span["label"] in LABELS and span["rule"]
    mao = records[0]
    assert mao["meta"]["document_date"] == "1951-06-13"
    dates = {(s["text"], s["value"]) for s in mao["spans"] if s["label"] == "DATE"}
    assert ("13 June", "1951-06-13") in dates
    frame = pd.read_csv(out / "spans.csv", keep_default_na=False)
    assert list(frame.columns) == ["doc_id", "start", "end", "label", "text", "kb_id", "value", "rule"]
    assert len(frame) == sum(len(r["spans"]) for r in records)
    assert (out / "rejected.jsonl").read_text(encoding="utf-8") == ""
    assert "displacy" in (out / "preview.html").read_text(encoding="utf-8").lower() or "span" in (out / "preview.html").read_text(encoding="utf-8")


def test_bad_inputs_are_rejected_and_the_rest_processed(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = tmp_path / "out"
    result = run_cli("run", corpus, "--out", out)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    rejected = [json.loads(line) for line in (out / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(r["doc_id"], r["reason"].split(" (")[0]) for r in rejected} == {("empty", "empty file"), ("image", "binary content")}
    assert len((out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_missing_model_is_one_clear_line(corpus, tmp_path):
    result = run_cli("run", corpus, "--out", tmp_path / "out", "--model", tmp_path / "nowhere")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"archival-ner: error: model not found at {tmp_path / 'nowhere'} (build it with `archival-ner build`)"]


def test_rerun_skips_unchanged_documents_and_gives_the_same_output(corpus, tmp_path):
    out = tmp_path / "out"
    assert run_cli("run", corpus, "--out", out).returncode == 0
    first = (out / "predictions.jsonl").read_bytes()
    again = run_cli("run", corpus, "--out", out)
    assert "2 unchanged, skipped" in again.stdout
    assert (out / "predictions.jsonl").read_bytes() == first


def test_out_that_is_a_file_is_one_clear_line(corpus, tmp_path):
    out = tmp_path / "a-file"
    out.write_text("not a folder", encoding="utf-8")
    result = run_cli("run", corpus, "--out", out)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"archival-ner: error: --out {out} is a file, not a folder"]
