"""`archival-ner build`: rebuild the saved pipeline from the package's rule sources."""
from __future__ import annotations

from pathlib import Path

import typer

from ..model import DEFAULT_MODEL, build_model
from . import app


@app.command("build")
def build_command(
    output: Path = typer.Option(DEFAULT_MODEL, "--output", "-o", help="Where to save the pipeline"),
) -> None:
    """Build the pipeline from the package's rules and save it (models/archival_ner)."""
    path = build_model(output)
    typer.echo(f"saved the pipeline to {path}")
