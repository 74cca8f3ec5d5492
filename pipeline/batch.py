"""Batch extraction: run the pipeline over many documents and write the run's outputs.

``run_batch`` reads every input (rejecting what cannot be read, with the reason), streams the
rest through ``nlp.pipe``, and writes into the output folder:

- ``predictions.jsonl``: one record per processed document, in input order;
- ``spans.csv``: one row per span;
- ``rejected.jsonl``: one line per input that could not be processed, with its reason;
- ``preview.html``: the first documents rendered with displaCy.

Runs are resumable: finished documents are committed to a store (``io.store``) as they are done,
and a re-run into the same folder skips every document whose doc_id, sha256 and pipeline are
already there, so an interrupted run finishes without duplicates and an unchanged corpus costs
nothing. Where the pipeline runs is the engine's business (``engines``: this machine's processes,
or a Dask cluster); the outputs are the same whichever runs it.

Memory is bounded: documents are read one at a time and at most a few chunks per worker are in
flight; the store keeps the list of sources and the finished records on disk; outputs are
written from the store record by record. What grows with the corpus is the list of rejected
inputs, and for a moment at the start the list of sources that ``find_sources`` returns.
"""
from __future__ import annotations

import json
import logging
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.language import Language

from .engines import open_engine
from .errors import Errors, InputError
from .io.documents import Document, Rejected, find_sources, read_document
from .io.preview import PREVIEW_DOCS, preview_doc, render_preview
from .io.records import pipeline_info
from .io.store import PARTIAL_DIR, STORE_FILE, RecordStore, atomic_write
from .labels import LABELS
from .report.spans_table import write_spans_csv

logger = logging.getLogger(__name__)

PREDICTIONS = "predictions.jsonl"
SPANS = "spans.csv"
REJECTED = "rejected.jsonl"
PREVIEW = "preview.html"
#: Documents per commit of the store, and per write of spans.csv.
BATCH_SIZE = 64
#: Longest document accepted, in characters (spaCy's default limit is 1,000,000).
MAX_CHARS = 100_000_000


@dataclass
class RunSummary:
    documents: int = 0
    processed: int = 0
    reused: int = 0
    words: int = 0
    spans: Counter = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        labels = ", ".join(f"{label} {self.spans.get(label, 0)}" for label in LABELS)
        reused = f" ({self.reused} unchanged, skipped)" if self.reused else ""
        return (
            f"{self.documents} documents{reused}, {self.words} words; spans: {labels}; "
            f"{len(self.rejected)} rejected; {self.seconds:.1f} s"
        )


def run_batch(
    *,
    inputs: Iterable[Path],
    out_dir: Path,
    nlp: Language,
    n_process: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process ``inputs`` with ``nlp`` into ``out_dir``; see the module docstring.

    ``engine`` is ``"local"`` (``n_process`` processes on this machine) or ``"dask"`` (the cluster
    at ``scheduler``, or a LocalCluster of ``n_process`` workers when no scheduler is given).
    """
    started = time.perf_counter()
    sources = find_sources(inputs)  # refuses duplicate ids and missing inputs before any work
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(Errors.E014.format(path=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.max_length = max(nlp.max_length, MAX_CHARS)
    summary = RunSummary()
    pipeline = pipeline_info(nlp)
    store = RecordStore(out_dir / PARTIAL_DIR / STORE_FILE).open()
    try:
        store.set_sources(sources)
        del sources  # from here on they are read back from the store, a page at a time
        if not len(store) and (out_dir / PREDICTIONS).is_file():
            store.import_lines(out_dir / PREDICTIONS)
        todo = _documents_to_process(store, pipeline, summary, on_progress)
        with open_engine(engine, nlp=nlp, n_process=n_process, scheduler=scheduler) as runner:
            for count, (document, line) in enumerate(runner.process(todo), start=1):
                store.add(document.doc_id, document.sha256, pipeline, line)
                summary.processed += 1
                if on_progress:
                    on_progress(1)
                if count % BATCH_SIZE == 0:
                    store.commit()
        store.commit()
        logger.info("processed %d documents, %d unchanged", summary.processed, summary.reused)
        _write_outputs(out_dir, store, summary, nlp)
    finally:
        store.close()
    shutil.rmtree(out_dir / PARTIAL_DIR, ignore_errors=True)
    summary.seconds = time.perf_counter() - started
    return summary


def _documents_to_process(
    store: RecordStore,
    pipeline: dict,
    summary: RunSummary,
    on_progress: Callable[[int], None] | None,
) -> Iterator[Document]:
    """Read each source in turn; yield the documents the store has no current record of."""
    for source in store.sources():
        document = read_document(source)
        if isinstance(document, Rejected):
            logger.info("rejected %s: %s", document.source, document.reason)  # the CLI reports it
            summary.rejected.append(document)
        elif store.is_current(document.doc_id, document.sha256, pipeline):
            summary.reused += 1
        else:
            yield document
            continue
        if on_progress:
            on_progress(1)


def _write_outputs(out_dir: Path, store: RecordStore, summary: RunSummary, nlp: Language) -> None:
    """Write every output file in input order, each atomically, reading records one at a time."""
    rejected_ids = {item.doc_id for item in summary.rejected}
    preview_docs = []
    batch: list[dict] = []
    spans_tmp = out_dir / f".{SPANS}.tmp"
    spans_tmp.unlink(missing_ok=True)
    with atomic_write(out_dir / PREDICTIONS) as predictions:
        for source in store.sources():
            if source.doc_id in rejected_ids:
                continue
            line = store.line(source.doc_id)
            predictions.write(line + "\n")
            record = json.loads(line)
            summary.documents += 1
            summary.words += record["meta"].get("words", 0)
            summary.spans.update(span["label"] for span in record["spans"])
            if len(preview_docs) < PREVIEW_DOCS:
                preview_docs.append((source.doc_id, preview_doc(record, nlp)))
            batch.append(record)
            if len(batch) >= BATCH_SIZE:
                write_spans_csv(batch, spans_tmp, append=True)
                batch = []
    write_spans_csv(batch, spans_tmp, append=True)
    spans_tmp.replace(out_dir / SPANS)
    with atomic_write(out_dir / REJECTED) as rejected:
        for item in summary.rejected:
            rejected.write(json.dumps({"source": item.source, "doc_id": item.doc_id, "reason": item.reason}, ensure_ascii=False) + "\n")
    with atomic_write(out_dir / PREVIEW) as preview:
        preview.write(render_preview(preview_docs))
