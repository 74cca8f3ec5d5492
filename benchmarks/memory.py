"""Peak memory of `archival-ner run` on 2,000 and on 50,000 documents: it should not grow.

Each corpus is the bundled one repeated under distinct doc_ids (see corpus.py). The CLI runs as
a child process; its peak resident set size is read from the kernel when it ends
(``getrusage(RUSAGE_CHILDREN).ru_maxrss``; one child per measurement, so the figure is its own)
and cross-checked by polling the process tree with psutil. The target: the two peaks within 15%
of each other. Writes one JSON object to stdout (and to --json when given).

    .venv/bin/python benchmarks/memory.py [--sizes 2000 50000] [--n-process 1] [--json FILE]
"""
from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from corpus import REPO, make_corpus
from output import emit


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure(documents: int, workdir: Path, *, n_process: int, model: Path) -> dict:
    corpus = make_corpus(workdir / f"corpus-{documents}", documents)
    out = workdir / f"out-{documents}"
    command = [sys.executable, "-m", "pipeline.cli", "run", str(corpus), "--out", str(out), "--model", str(model), "--n-process", str(n_process)]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    polled = 0
    while child.poll() is None:
        try:
            polled = max(polled, tree_rss(watched))
        except psutil.NoSuchProcess:
            break
        time.sleep(0.05)
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"run failed ({child.returncode}): {stderr.strip()}")
    # ru_maxrss (KiB on Linux) is the largest of the children waited for so far; measured
    # children run one at a time and in increasing size, so it is this child's peak.
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "documents": documents,
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "peak_tree_rss_mb_polled": round(polled / 2**20, 1),
        "seconds": round(seconds, 1),
        "summary": stdout.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 50000])
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--model", type=Path, default=REPO / "models" / "archival_ner")
    parser.add_argument("--workdir", type=Path, help="Where corpora and outputs go (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="Also write the result here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as workdir:
        runs = [measure(size, Path(workdir), n_process=args.n_process, model=args.model) for size in sorted(args.sizes)]
    peaks = [run["peak_rss_mb"] for run in runs]
    result = {
        "benchmark": "memory",
        "n_process": args.n_process,
        "runs": runs,
        "growth_largest_vs_smallest": round(peaks[-1] / peaks[0] - 1, 3),
        "target": "within 0.15",
        "python": platform.python_version(),
        "machine": {"cpus": psutil.cpu_count(), "load_average_at_end": [round(x, 2) for x in psutil.getloadavg()]},
    }
    emit(result, args.json)


if __name__ == "__main__":
    main()
