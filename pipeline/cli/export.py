"""`archival-ner export PRED_DIR --project NAME`: send predictions to doccano for review."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from ..doccano.export import export_predictions
from ..doccano.record import DEFAULT_RECORD_DIR
from ..errors import ArchivalError
from . import app, fail
from .doccano import connect


@app.command("export")
def export_command(
    predictions: Path = typer.Argument(..., help="Folder with predictions.jsonl (from `archival-ner run`), or the file"),
    project: str = typer.Option(..., "--project", help="doccano project name (created when missing)"),
    record_dir: Path = typer.Option(DEFAULT_RECORD_DIR, "--record-dir", help="Where the record of exported spans is kept"),
    batch_size: int = typer.Option(200, "--batch-size", min=1, help="Documents per upload"),
    url: Optional[str] = typer.Option(None, "--url", help="doccano URL [default: $DOCCANO_URL, else the local server]"),
    insecure: bool = typer.Option(False, "--insecure", help="Do not verify the server's TLS certificate"),
) -> None:
    """Upload documents not yet in the project, with their predicted spans; safe to re-run."""
    try:
        result = export_predictions(
            doccano=connect(url=url, insecure=insecure), predictions=predictions, project=project,
            record_dir=record_dir, batch_size=batch_size, on_progress=_progress if sys.stderr.isatty() else None,
        )
    except ArchivalError as err:
        raise fail(str(err))
    typer.echo(
        f"project {result.project!r} (id {result.project_id}): {len(result.uploaded)} uploaded, "
        f"{len(result.already_there)} already there, {len(result.resumed)} finished from an interrupted run; "
        f"record: {result.record}"
    )
    if result.changed_since_export:
        typer.echo(f"archival-ner: warning: {len(result.changed_since_export)} document(s) changed since their export "
                   "and were not sent again", err=True)


def _progress(done: int, total: int) -> None:
    typer.echo(f"\rexported {done}/{total} new document(s)", err=True, nl=done == total)
