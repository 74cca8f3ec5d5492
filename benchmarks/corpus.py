"""Generate a large corpus by repeating the bundled one: the same texts under distinct doc_ids.

Copy ``r`` of document ``name`` is written to ``OUT/rNNNNN/name.txt`` (doc_id ``rNNNNN/name``),
until ``--documents`` files exist. Reused by the throughput and memory benchmarks.

    .venv/bin/python benchmarks/corpus.py --documents 50000 --out /tmp/corpus-50k
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_corpus(out: Path, documents: int, *, source: Path = REPO / "corpus") -> Path:
    """Write ``documents`` files under ``out`` (replacing what was there) and return ``out``."""
    originals = sorted(source.glob("*.txt"))
    if out.exists():
        shutil.rmtree(out)
    written = 0
    copy = 0
    while written < documents:
        folder = out / f"r{copy:05d}"
        folder.mkdir(parents=True)
        for original in originals[: documents - written]:
            shutil.copyfile(original, folder / original.name)
            written += 1
        copy += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    make_corpus(args.out, args.documents)


if __name__ == "__main__":
    main()
