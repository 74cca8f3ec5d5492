"""The local engine: the pipeline in this process, or in N worker processes forked from it.

With ``n_process > 1`` the workers are forked after the model is loaded, so they share its memory
copy-on-write and nothing is pickled to start them. Each worker runs ``nlp.pipe`` over a chunk of
documents and builds the records itself (see ``worker``); the main process only reads inputs and
writes lines. At most ``IN_FLIGHT_PER_WORKER`` chunks per worker are queued at a time, so memory
stays bounded whatever the corpus size, and results are taken in submission order.
"""
from __future__ import annotations

import logging
import multiprocessing
import signal
from typing import Iterable, Iterator

from spacy.language import Language

from ..io.documents import Document
from .worker import CHUNK_SIZE, chunked, in_order, predict_lines

logger = logging.getLogger(__name__)

#: Chunks queued per worker: enough to keep every worker busy while the main process catches up.
IN_FLIGHT_PER_WORKER = 3

#: The pipeline of a worker process, inherited from the parent at fork.
_worker_nlp: Language | None = None


def _init_worker(nlp: Language) -> None:
    global _worker_nlp
    _worker_nlp = nlp
    # Ctrl-C reaches the whole process group; the parent alone decides what happens next.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _predict_chunk(documents: list[Document]) -> list[str]:
    assert _worker_nlp is not None, "worker started without a pipeline"
    return predict_lines(_worker_nlp, documents)


class LocalEngine:
    def __init__(self, nlp: Language, *, n_process: int = 1, chunk_size: int = CHUNK_SIZE) -> None:
        self.nlp = nlp
        self.n_process = max(1, n_process)
        self.chunk_size = chunk_size
        self._pool = None

    def __enter__(self) -> "LocalEngine":
        if self.n_process > 1:
            # fork: the workers inherit the loaded pipeline (and its registered extensions).
            context = multiprocessing.get_context("fork")
            self._pool = context.Pool(self.n_process, initializer=_init_worker, initargs=(self.nlp,))
            logger.info("started %d worker processes", self.n_process)
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._pool is None:
            return
        if exc_type is None:
            self._pool.close()
        else:
            self._pool.terminate()
        self._pool.join()
        self._pool = None

    def process(self, documents: Iterable[Document]) -> Iterator[tuple[Document, str]]:
        chunks = chunked(documents, self.chunk_size)
        if self._pool is None:
            for chunk in chunks:
                yield from zip(chunk, predict_lines(self.nlp, chunk))
            return
        yield from in_order(
            chunks,
            lambda chunk: self._pool.apply_async(_predict_chunk, (chunk,)),
            lambda handle: handle.get(),
            limit=self.n_process * IN_FLIGHT_PER_WORKER,
        )
