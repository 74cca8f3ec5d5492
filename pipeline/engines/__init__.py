"""Engines: where the pipeline runs. Documents go in, predictions lines come out, in input order.

``run_batch`` reads documents and keeps the run's books (store, outputs); an engine only turns
documents into predictions lines, one per document, in the order it was given them:

- ``local`` (default): this machine; ``n_process`` worker processes forked from this one, each
  running ``nlp.pipe`` over chunks of documents and building the records itself;
- ``dask``: a Dask distributed cluster (an existing one at ``scheduler``, or a LocalCluster on
  127.0.0.1), the model shipped to every worker once, partitions of documents sent as tasks.

Both keep a bounded number of chunks in flight, so memory does not grow with the corpus.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator, Protocol

from spacy.language import Language

from ..errors import ArchivalError
from ..io.documents import Document

ENGINES = ("local", "dask")


class Engine(Protocol):
    def process(self, documents: Iterable[Document]) -> Iterator[tuple[Document, str]]:
        """Each document with its predictions line (JSON, no newline), in input order."""


@contextmanager
def open_engine(name: str, *, nlp: Language, n_process: int = 1, scheduler: str | None = None) -> Iterator[Engine]:
    """The engine called ``name``, ready to process, and shut down (workers, cluster) afterwards."""
    if name == "local":
        if scheduler:
            raise ArchivalError("--scheduler needs --engine dask")
        from .local import LocalEngine

        with LocalEngine(nlp, n_process=n_process) as engine:
            yield engine
    elif name == "dask":
        from .dask import DaskEngine

        with DaskEngine(nlp, scheduler=scheduler, n_workers=n_process) as engine:
            yield engine
    else:
        raise ArchivalError(f"unknown engine '{name}' (expected one of {', '.join(ENGINES)})")
