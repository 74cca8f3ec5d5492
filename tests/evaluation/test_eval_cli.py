"""`archival-ner evaluate` end to end on tiny files: printed table, scores.csv, a self-contained HTML."""
from __future__ import annotations

import re

import click
import pandas as pd
import pytest
import typer
from click.testing import CliRunner

import pipeline.cli.evaluate  # noqa: F401  (registers the command)
from pipeline.cli import app
from pipeline.evaluation import SCORE_COLUMNS

from .eval_helpers import D, S, worked_example, write_jsonl


def invoke(*args: str):
    command = typer.main.get_command(app)
    if isinstance(command, click.Group):  # more than one command registered
        command = command.commands["evaluate"]
    return CliRunner().invoke(command, [str(a) for a in args])


@pytest.fixture
def files(tmp_path):
    gold, pred = worked_example()
    army = D("d2", "The Eighth Army.", [S(4, 15, "MILITARY_UNIT")])
    write_jsonl(tmp_path / "gold" / "test.jsonl", [gold, army])
    write_jsonl(tmp_path / "run" / "predictions.jsonl", [pred])  # d2 has no prediction
    write_jsonl(tmp_path / "base.jsonl", [D("d1", gold.text, gold.spans[:2]), D("d2", army.text)])
    return tmp_path


def test_evaluate_writes_the_report(files):
    out = files / "report"
    result = invoke("--gold", files / "gold", "--pred", files / "run", "--out", out)
    assert result.exit_code == 0, result.output
    assert "MILITARY_UNIT" in result.output and "d2" in result.output  # the table; the missing document

    scores = pd.read_csv(out / "scores.csv")
    assert tuple(scores.columns) == SCORE_COLUMNS
    assert list(zip(scores.matching, scores.label)) == [
        (m, label) for m in ("strict", "overlap")
        for label in ("PERSON", "PLACE", "DATE", "MILITARY_UNIT", "PROPOSAL", "ALL")
    ]
    micro = scores.set_index(["matching", "label"]).loc[("strict", "ALL")]
    # The worked example (3 of 6 right, 7 predicted) plus one missed Eighth Army.
    assert (micro.tp, micro.gold, micro.pred) == (3, 7, 7)
    assert micro.f1 == pytest.approx(6 / 14)
    assert micro.f1_low <= micro.f1 <= micro.f1_high

    for name in ("report.md", "macro.csv", "documents.csv", "rules.csv", "values.csv", "confusion.csv",
                 "errors.csv", "missing.csv"):
        assert (out / name).is_file(), name
    assert pd.read_csv(out / "missing.csv").doc_id.tolist() == ["d2"]


def test_the_html_report_is_self_contained(files):
    out = files / "report"
    assert invoke("--gold", files / "gold", "--pred", files / "run", "--out", out).exit_code == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, flags=re.I)
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", html, flags=re.I)
    assert references and all(ref.startswith("data:image/png;base64,") or ref.startswith("#") for ref in references)
    assert "<link" not in html and "<script" not in html and "@import" not in html
    assert html.count("data:image/png;base64,") == 2  # F1 chart and confusion heatmap
    assert "Worst documents" in html and "Eighth Army" in html


def test_baseline_adds_deltas(files):
    out = files / "report"
    result = invoke("--gold", files / "gold", "--pred", files / "run", "--out", out, "--baseline", files / "base.jsonl")
    assert result.exit_code == 0, result.output
    deltas = pd.read_csv(out / "deltas.csv")
    assert set(deltas.label) == {"PERSON", "PLACE", "DATE", "MILITARY_UNIT", "PROPOSAL", "ALL", "MACRO"}
    assert {"delta", "delta_low", "delta_high", "p_value", "significant"} <= set(deltas.columns)
    assert (out / "baseline_scores.csv").is_file()
    assert "baseline" in result.output


def test_a_rerun_gives_the_same_numbers(files):
    for name in ("a", "b"):
        assert invoke("--gold", files / "gold", "--pred", files / "run", "--out", files / name).exit_code == 0
    assert (files / "a" / "scores.csv").read_text() == (files / "b" / "scores.csv").read_text()


def test_a_changed_text_is_one_error_line(files):
    gold, _ = worked_example()
    write_jsonl(files / "run" / "predictions.jsonl", [D("d1", gold.text + " Added.")])
    result = invoke("--gold", files / "gold", "--pred", files / "run")
    assert result.exit_code == 1
    assert re.search(r"error: doc_id 'd1': text differs", result.output)


@pytest.mark.parametrize("gold_spans, pred_spans", [([S(4, 15, "MILITARY_UNIT")], []), ([], []), ([], [S(0, 3, "PERSON")])])
def test_degenerate_sets_still_make_a_report(tmp_path, gold_spans, pred_spans):
    text = "The Eighth Army."
    write_jsonl(tmp_path / "gold.jsonl", [D("x", text, gold_spans)])
    write_jsonl(tmp_path / "pred.jsonl", [D("x", text, pred_spans)])
    result = invoke("--gold", tmp_path / "gold.jsonl", "--pred", tmp_path / "pred.jsonl", "--out", tmp_path / "r")
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "r" / "scores.csv")) == 12
    assert (tmp_path / "r" / "report.html").stat().st_size > 0


def test_an_empty_gold_file_is_refused(tmp_path):
    (tmp_path / "gold.jsonl").write_text("\n", encoding="utf-8")
    write_jsonl(tmp_path / "pred.jsonl", [D("x", "t")])
    result = invoke("--gold", tmp_path / "gold.jsonl", "--pred", tmp_path / "pred.jsonl")
    assert result.exit_code == 1 and "no gold documents" in result.output
