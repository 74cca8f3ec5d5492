"""Throughput of the full pipeline against spaCy's tokenizer alone, and of `archival-ner run`'s engines.

The bundled corpus is repeated until it holds at least --words words. In one run, each after a
warm-up, this measures words per second (whitespace-separated words of the same text) of:

- ``spacy.blank("en")`` tokenization, and the full archival pipeline with ``nlp.pipe`` in one
  process, and their ratio (target >= 0.33: the pipeline costs at most 3x tokenization);
- ``nlp.pipe(n_process=N)``, spaCy's own multiprocessing, for reference (``speedup``);
- ``run_batch`` end to end (reading files, the store, all four output files) on that corpus
  written to disk with distinct doc_ids: the local engine with 1 and N processes (target: N=2
  at least 1.6x of 1 process) and the Dask engine on a LocalCluster of N worker processes
  (started before the clock starts; its start-up time is reported on its own).

--repeats runs the tokenizer and pipeline measurements several times, interleaved, and the
run_batch measurements several times, alternating engines; the JSON holds every figure and the
median. Run it when the machine is otherwise idle (the load average is in
the output).

    .venv/bin/python benchmarks/throughput.py [--words 1000000] [--n-process 2] [--repeats 3] [--json FILE]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import spacy

from corpus import make_corpus
from output import emit
from pipeline.batch import run_batch
from pipeline.io.documents import find_sources, read_document
from pipeline.model import load_model

REPO = Path(__file__).resolve().parent.parent


def corpus_texts(min_words: int) -> tuple[list[str], int]:
    texts = [read_document(source).text for source in find_sources([REPO / "corpus"])]
    words_once = sum(len(text.split()) for text in texts)
    repeats = -(-min_words // words_once)
    return texts * repeats, words_once * repeats


def words_per_second(nlp, texts: list[str], words: int, *, n_process: int = 1) -> float:
    for _ in nlp.pipe(texts[:50]):
        pass  # warm-up
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=64):
        pass
    return words / (time.perf_counter() - started)


def run_words_per_second(nlp, corpus: Path, out: Path, words: int, **engine) -> float:
    started = time.perf_counter()
    summary = run_batch(inputs=[corpus], out_dir=out, nlp=nlp, **engine)
    seconds = time.perf_counter() - started
    assert summary.processed == summary.documents and not summary.rejected, summary.line()
    return words / seconds


def measure_runs(nlp, texts: list[str], words: int, *, n_process: int, repeats: int, workdir: Path) -> dict:
    """run_batch words/s per engine, ``repeats`` times each, engines interleaved."""
    from distributed import LocalCluster

    corpus = make_corpus(workdir / "corpus", len(texts))
    engines = {
        "run_words_per_s_1_process": dict(engine="local", n_process=1),
        f"run_words_per_s_{n_process}_processes": dict(engine="local", n_process=n_process),
    }
    started = time.perf_counter()
    with LocalCluster(n_workers=n_process, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster:
        startup = time.perf_counter() - started
        engines[f"run_words_per_s_dask_{n_process}_workers"] = dict(engine="dask", scheduler=cluster.scheduler_address)
        figures: dict[str, list[float]] = {name: [] for name in engines}
        run_words_per_second(nlp, corpus, workdir / "warm-up", words, engine="dask", scheduler=cluster.scheduler_address)
        for repeat in range(repeats):
            for name, engine in engines.items():
                out = workdir / f"{name}-{repeat}"
                figures[name].append(round(run_words_per_second(nlp, corpus, out, words, **engine)))
    result: dict = {name: round(statistics.median(values)) for name, values in figures.items()}
    one = figures["run_words_per_s_1_process"]
    many = figures[f"run_words_per_s_{n_process}_processes"]
    result[f"run_speedup_{n_process}_processes"] = round(statistics.median(many) / statistics.median(one), 2)
    result[f"run_speedup_dask_{n_process}_workers"] = round(
        statistics.median(figures[f"run_words_per_s_dask_{n_process}_workers"]) / statistics.median(one), 2
    )
    result["run_repeats"] = figures
    result["dask_local_cluster_startup_s"] = round(startup, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--model", type=Path, default=REPO / "models" / "archival_ner")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-runs", action="store_true", help="Only the nlp.pipe figures (no run_batch, no Dask)")
    parser.add_argument("--json", type=Path, help="Also write the result here")
    args = parser.parse_args()
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # read when Dask is imported
    load_before = [round(x, 2) for x in os.getloadavg()]
    texts, words = corpus_texts(args.words)
    blank, nlp = spacy.blank("en"), load_model(args.model)
    # Interleaved and repeated: on a shared machine one measurement of each can be 30% off.
    tokenizer_samples, pipeline_samples = [], []
    for _ in range(args.repeats):
        tokenizer_samples.append(words_per_second(blank, texts, words))
        pipeline_samples.append(words_per_second(nlp, texts, words))
    tokenizer_only, full = statistics.median(tokenizer_samples), statistics.median(pipeline_samples)
    result = {
        "documents": len(texts),
        "words": words,
        "tokenizer_words_per_s": round(tokenizer_only),
        "pipeline_words_per_s": round(full),
        "ratio_pipeline_to_tokenizer": round(full / tokenizer_only, 3),
        "tokenizer_words_per_s_samples": [round(x) for x in tokenizer_samples],
        "pipeline_words_per_s_samples": [round(x) for x in pipeline_samples],
        "python": platform.python_version(),
        "spacy": spacy.__version__,
    }
    if args.n_process > 1:
        parallel = words_per_second(nlp, texts, words, n_process=args.n_process)
        result[f"pipeline_words_per_s_{args.n_process}_processes"] = round(parallel)
        result["speedup"] = round(parallel / full, 2)
    if not args.no_runs:
        with tempfile.TemporaryDirectory() as workdir:
            result.update(measure_runs(nlp, texts, words, n_process=args.n_process, repeats=args.repeats, workdir=Path(workdir)))
    result["machine"] = {"cpus": os.cpu_count(), "load_average_before": load_before, "load_average_after": [round(x, 2) for x in os.getloadavg()]}
    emit(result, args.json)


if __name__ == "__main__":
    main()
