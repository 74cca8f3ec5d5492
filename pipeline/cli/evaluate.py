"""``archival-ner evaluate``: score predictions against gold annotations and write a report."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import ArchivalError
from . import app, fail


@app.command()
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Gold JSONL file, or a folder of them (predictions schema)."),
    pred: Path = typer.Option(..., "--pred", help="Prediction folder holding predictions.jsonl, or a JSONL file."),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Report folder: report.html, report.md, scores.csv and a CSV per table."
    ),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", help="A second prediction set to compare with (per-label F1 deltas, paired bootstrap)."
    ),
    resamples: int = typer.Option(1000, "--resamples", min=100, help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed; the same seed gives the same intervals."),
) -> None:
    """Precision, recall and F1 per label (strict and overlap matching) with bootstrap intervals."""
    # Imported here: pandas and matplotlib are slow to import and only this command needs them.
    from ..evaluation import evaluate as run_evaluation
    from ..evaluation.report import write_report
    from ..evaluation.tables import terminal_text

    try:
        result = run_evaluation(gold=gold, pred=pred, baseline=baseline, n_resamples=resamples, seed=seed)
        typer.echo(terminal_text(evaluation=result))
        if out is not None:
            write_report(evaluation=result, out_dir=out)
            typer.echo(f"\nreport: {out / 'report.html'} (and report.md, scores.csv, more CSV files)")
    except ArchivalError as err:
        raise fail(str(err)) from None
