"""`archival-ner pull --project NAME --out DIR`: take reviewed documents back as gold."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import spacy
import typer

from ..doccano.record import DEFAULT_RECORD_DIR
from ..doccano.pull import pull_gold
from ..errors import ArchivalError
from ..model import DEFAULT_MODEL, load_model
from . import app, fail
from .doccano import connect


@app.command("pull")
def pull_command(
    project: str = typer.Option(..., "--project", help="doccano project name"),
    out: Path = typer.Option(Path("annotations") / "gold", "--out", help="Folder for <project>.jsonl, .spacy, .problems.csv, .ledger.csv"),
    include_unconfirmed: bool = typer.Option(False, "--include-unconfirmed", help="Also take examples no reviewer confirmed"),
    model: str = typer.Option(str(DEFAULT_MODEL), "--model", help="Pipeline whose tokenizer aligns the DocBin, or blank:LANG"),
    record_dir: Path = typer.Option(DEFAULT_RECORD_DIR, "--record-dir", help="The record `export` kept of exported spans"),
    url: Optional[str] = typer.Option(None, "--url", help="doccano URL [default: $DOCCANO_URL, else the local server]"),
    insecure: bool = typer.Option(False, "--insecure", help="Do not verify the server's TLS certificate"),
) -> None:
    """Write gold JSONL, a DocBin, a problems report and the correction ledger."""
    try:
        nlp = spacy.blank(model.split(":", 1)[1]) if model.startswith("blank:") else load_model(model)
        result = pull_gold(
            doccano=connect(url=url, insecure=insecure), project=project, out_dir=out, nlp=nlp,
            record_dir=record_dir, include_unconfirmed=include_unconfirmed,
        )
    except ArchivalError as err:
        raise fail(str(err))
    typer.echo(f"{result.documents} document(s), {result.spans} span(s) -> {result.gold} and {result.docbin}")
    left_out = sum(1 for p in result.problems if not p.kept)
    typer.echo(f"{len(result.problems)} problem(s) ({left_out} left out of the gold) -> {result.problems_path}")
    if result.unrecorded:
        typer.echo(f"archival-ner: warning: {len(result.unrecorded)} confirmed document(s) are not in the export "
                   f"record in {record_dir}; they are left out of the ledger", err=True)
    if result.ledger:
        typer.echo(f"corrections in {result.confirmed} confirmed document(s) -> {result.ledger_path}")
        typer.echo(_ledger_table(result.ledger))


def _ledger_table(rows: list[dict]) -> str:
    columns = ("key", "exported", "accepted", "boundary", "relabelled", "deleted", "added", "precision")
    shown = [r for r in rows if r["by"] in ("label", "total")]
    cells = [[("" if r[c] is None else f"{r[c]:.2f}" if c == "precision" else str(r[c])) for c in columns] for r in shown]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)
