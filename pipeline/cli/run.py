"""`archival-ner run`: tag documents in batch and write predictions."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..batch import REJECTED, run_batch
from ..model import DEFAULT_MODEL, load_model
from . import EXIT_REJECTED, app


@app.command("run")
def run_command(
    inputs: List[Path] = typer.Argument(..., help=".txt files, or directories searched recursively for *.txt"),
    out: Path = typer.Option(..., "--out", help="Folder for predictions.jsonl, spans.csv, rejected.jsonl, preview.html"),
    model: Path = typer.Option(DEFAULT_MODEL, "--model", help="The saved pipeline to use"),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes (spaCy multiprocessing)"),
) -> None:
    """Tag PERSON, PLACE, DATE, MILITARY_UNIT and PROPOSAL spans in documents."""
    nlp = load_model(model)
    progress = _progress_bar()
    try:
        summary = run_batch(inputs=inputs, out_dir=out, nlp=nlp, n_process=n_process, on_progress=progress.update if progress else None)
    finally:
        if progress:
            progress.close()
    for item in summary.rejected:
        typer.echo(f"archival-ner: rejected {item.source}: {item.reason}", err=True)
    typer.echo(summary.line())
    if summary.rejected:
        typer.echo(f"archival-ner: {len(summary.rejected)} input(s) rejected, listed in {out / REJECTED}", err=True)
        raise typer.Exit(EXIT_REJECTED)


def _progress_bar():
    """A progress bar on a terminal; nothing when output goes to a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit="doc", desc="archival-ner", leave=False)
