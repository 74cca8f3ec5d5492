"""The ``archival-ner`` command line: thin Typer commands over plain functions.

Each command lives in its own module and registers itself on ``app``. Commands parse
arguments, call a keyword-only function that returns data, and print; errors the user can act
on (``ArchivalError``) become one line on stderr and a non-zero exit code.
"""
from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import typer

from ..errors import ArchivalError

app = typer.Typer(
    name="archival-ner",
    help="Tag people, places, dates, military units and proposals in archival transcriptions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Exit codes, documented in README.md ("What happens when things go wrong").
EXIT_OK = 0
EXIT_FAILURE = 1  # the command could not do its job (bad arguments, server errors, ...)
EXIT_REJECTED = 3  # the run finished, but some inputs were rejected (see rejected.jsonl)


def fail(message: str, code: int = EXIT_FAILURE) -> "typer.Exit":
    """Print one error line and return the Exit to raise."""
    typer.echo(f"archival-ner: error: {message}", err=True)
    return typer.Exit(code)


def register_commands() -> None:
    """Import every command module of this package; importing one registers its commands."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def main() -> None:
    """Console entry point: run the app, turning known errors into one line and an exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    register_commands()
    try:
        app()
    except ArchivalError as err:
        typer.echo(f"archival-ner: error: {err}", err=True)
        sys.exit(EXIT_FAILURE)
    except KeyboardInterrupt:
        typer.echo("archival-ner: interrupted; re-run the same command to finish the job", err=True)
        sys.exit(130)
