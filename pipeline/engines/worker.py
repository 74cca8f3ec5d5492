"""What runs where the pipeline runs: a chunk of documents in, their predictions lines out.

Engines call this in their workers, so the costly parts (the pipeline, and turning each Doc into
its record) happen in parallel and only small JSON strings travel back. Sending Docs back is what
keeps ``nlp.pipe(n_process=N)`` from scaling here: serializing a Doc and reading it back costs
about as much as running the whole pipeline on it.
"""
from __future__ import annotations

import json
from collections import deque
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

from spacy.language import Language

from ..io.documents import Document
from ..io.records import doc_to_record

T = TypeVar("T")

#: Documents per ``nlp.pipe`` batch, and per chunk sent to a worker.
CHUNK_SIZE = 32


def record_line(record: dict) -> str:
    """A record as one predictions line (without the newline): the one JSON form of the run."""
    return json.dumps(record, ensure_ascii=False)


def predict_lines(nlp: Language, documents: Sequence[Document]) -> list[str]:
    """The predictions line of each document, in order.

    The chunk runs in a memory zone: strings the documents add to the vocab are dropped at the
    end, so a worker's memory does not grow with the number of distinct words it has seen.
    """
    with nlp.memory_zone():
        docs = nlp.pipe((document.text for document in documents), batch_size=CHUNK_SIZE)
        return [record_line(doc_to_record(doc, document, nlp=nlp)) for doc, document in zip(docs, documents)]


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def in_order(
    chunks: Iterable[list[Document]],
    submit: Callable[[list[Document]], Any],
    result: Callable[[Any], list[str]],
    *,
    limit: int,
) -> Iterator[tuple[Document, str]]:
    """Hand chunks to workers (``submit``), keep at most ``limit`` of them out at a time, and yield
    each document with its output line in input order (``result`` waits for a chunk)."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= limit:
            done, handle = pending.popleft()
            yield from zip(done, result(handle))
    while pending:
        done, handle = pending.popleft()
        yield from zip(done, result(handle))
