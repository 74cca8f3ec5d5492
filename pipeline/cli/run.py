"""`archival-ner run`: tag documents in batch and write predictions."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..batch import REJECTED, run_batch
from ..engines import ENGINES
from ..model import DEFAULT_MODEL, load_model
from . import EXIT_REJECTED, app, fail

INTERRUPTED = "archival-ner: interrupted; re-run the same command to finish the job"


@app.command("run")
def run_command(
    inputs: List[Path] = typer.Argument(..., help=".txt files, or directories searched recursively for *.txt"),
    out: Path = typer.Option(..., "--out", help="Folder for predictions.jsonl, spans.csv, rejected.jsonl, preview.html"),
    model: Path = typer.Option(DEFAULT_MODEL, "--model", help="The saved pipeline to use"),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes; with --engine dask and no --scheduler, LocalCluster workers"),
    engine: str = typer.Option("local", "--engine", help="Where the pipeline runs: local (this machine) or dask (a Dask cluster)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler (tcp://HOST:PORT); without it --engine dask starts a LocalCluster"),
) -> None:
    """Tag PERSON, PLACE, DATE, MILITARY_UNIT and PROPOSAL spans in documents.

    Re-running into the same --out skips documents already done with the same pipeline, so an
    interrupted run finishes where it stopped.
    """
    if engine not in ENGINES:
        raise fail(f"unknown engine '{engine}' (expected one of {', '.join(ENGINES)})")
    if scheduler and engine != "dask":
        raise fail("--scheduler needs --engine dask")
    if engine == "dask":
        # Dask reads this when it is imported, in this process and in the workers it starts:
        # its INFO chatter (scheduler and worker life cycle) is not the user's business.
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    nlp = load_model(model)
    progress = _progress_bar()
    try:
        summary = run_batch(
            inputs=inputs, out_dir=out, nlp=nlp, n_process=n_process, engine=engine, scheduler=scheduler,
            on_progress=progress.update if progress else None,
        )
    except KeyboardInterrupt:
        # Typer turns Ctrl-C into a bare exit 130 before main() sees it; say what to do here.
        typer.echo(INTERRUPTED, err=True)
        raise typer.Exit(130) from None
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
