"""`archival-ner doccano up|down|status`: a local doccano server, and how commands reach doccano."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from ..doccano import server
from ..doccano.client import Doccano, credentials_from_env
from ..errors import ArchivalError
from . import app, fail

doccano_app = typer.Typer(
    help="Run a local doccano (installed once in its own environment, bound to 127.0.0.1).",
    no_args_is_help=True,
)
app.add_typer(doccano_app, name="doccano")

HOME_HELP = "Folder for the server's database, logs and pid record [default: ~/.local/share/archival-ner/doccano]"


@doccano_app.command("up")
def up_command(
    port: int = typer.Option(server.DEFAULT_PORT, "--port", min=1, max=65535, help="Port on 127.0.0.1"),
    home: Optional[Path] = typer.Option(None, "--home", help=HOME_HELP),
    workers: int = typer.Option(2, "--workers", min=1, help="Web server worker processes"),
) -> None:
    """Start doccano with the admin DOCCANO_USERNAME / DOCCANO_PASSWORD (both required)."""
    if os.environ.get("DOCCANO_PASSWORD") and not server.is_installed():
        typer.echo(f"installing doccano {server.DOCCANO_VERSION} into {server.venv_dir()} (once; a few minutes)", err=True)
    try:
        state = server.up(
            home=home or server.default_home(), port=port, workers=workers,
            username=os.environ.get("DOCCANO_USERNAME"), password=os.environ.get("DOCCANO_PASSWORD"),
        )
    except ArchivalError as err:
        raise fail(str(err))
    typer.echo(f"doccano is running at {state.url} (home {state.home}); stop it with `archival-ner doccano down`")


@doccano_app.command("down")
def down_command(home: Optional[Path] = typer.Option(None, "--home", help=HOME_HELP)) -> None:
    """Stop the doccano that `up` started from this home (web server and task worker)."""
    try:
        stopped = server.down(home=home or server.default_home())
    except ArchivalError as err:
        raise fail(str(err))
    typer.echo(f"stopped doccano ({', '.join(stopped)})" if stopped else "doccano was not running")


@doccano_app.command("status")
def status_command(home: Optional[Path] = typer.Option(None, "--home", help=HOME_HELP)) -> None:
    """Tell whether the local doccano runs; exit 0 only when it runs and answers."""
    try:
        state = server.status(home=home or server.default_home())
    except ArchivalError as err:
        raise fail(str(err))
    processes = ", ".join(f"{name} {'up' if alive else 'down'}" for name, alive in state.processes.items())
    parts = [f"doccano: {state.state}", state.url or "", processes, state.detail]
    typer.echo("; ".join(p for p in parts if p))
    if state.state != "running":
        raise typer.Exit(1)


def connect(*, url: Optional[str], insecure: bool) -> Doccano:
    """Log in to doccano: URL from --url, DOCCANO_URL or the local server; credentials from the
    environment, or asked for on a terminal. Never from the command line."""
    # urllib3 logs each retry as a warning; the adapter reports the outcome in one line instead
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    if insecure:
        typer.echo("archival-ner: warning: TLS certificate verification is off (--insecure)", err=True)
    url = url or os.environ.get("DOCCANO_URL") or server.recorded_url()
    prompt = _prompt if sys.stdin.isatty() else None
    return Doccano(credentials_from_env(url=url, prompt=prompt), verify=not insecure)


def _prompt(label: str, hide: bool) -> str:
    return typer.prompt(label, hide_input=hide)
