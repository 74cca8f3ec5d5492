"""The engines give the same outputs, document for document, and pull documents lazily."""
from __future__ import annotations

import itertools
import json

import pytest

from pipeline.batch import run_batch
from pipeline.engines.local import LocalEngine
from pipeline.io.documents import Document

from ..conftest import REPO
from .conftest import outputs, run_cli, write_corpus

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """Two in-process Dask workers (no network at all) and the address to reach them."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0"
    ) as local:
        yield local


def test_local_cluster_listens_on_no_network(cluster):
    addresses = [cluster.scheduler_address, *(w.address for w in cluster.workers.values())]
    assert all(a.startswith(("inproc://", "tcp://127.0.0.1:")) for a in addresses), addresses


def test_every_engine_writes_the_same_outputs(nlp, cluster, tmp_path):
    runs = {
        "local, 1 process": dict(engine="local", n_process=1),
        "local, 2 processes": dict(engine="local", n_process=2),
        "dask, 2 workers": dict(engine="dask", scheduler=cluster.scheduler_address),
    }
    written = {}
    for name, options in runs.items():
        out = tmp_path / name.replace(", ", "-").replace(" ", "_")
        summary = run_batch(inputs=[REPO / "corpus"], out_dir=out, nlp=nlp, **options)
        assert summary.processed == summary.documents > 25, name
        written[name] = outputs(out)
    first = written["local, 1 process"]
    for name, files in written.items():
        assert files == first, name
    records = [json.loads(line) for line in first["predictions.jsonl"].decode("utf-8").splitlines()]
    # Values set on the Doc by the components (an extension attribute) came back from the workers.
    assert sum(r["meta"]["document_date"] is not None for r in records) > 10


def test_a_rerun_on_the_cluster_skips_what_is_done(nlp, cluster, tmp_path):
    small = write_corpus(tmp_path / "in", 40)
    out = tmp_path / "out"
    run_batch(inputs=[small], out_dir=out, nlp=nlp)
    again = run_batch(inputs=[small], out_dir=out, nlp=nlp, engine="dask", scheduler=cluster.scheduler_address)
    assert (again.processed, again.reused, again.documents) == (0, 40, 40)


def counted_documents(counter: list[int]):
    for i in itertools.count():
        counter[0] = i + 1
        yield Document(doc_id=f"d{i}", text="General Ridgway went to Kaesong on 10 July 1951.\n", source=f"d{i}.txt", encoding="utf-8")


def test_local_engine_keeps_a_bounded_number_of_documents_in_flight(nlp):
    read = [0]
    with LocalEngine(nlp, n_process=2, chunk_size=8) as engine:
        results = engine.process(counted_documents(read))
        first = list(itertools.islice(results, 20))
        results.close()
    assert [document.doc_id for document, _ in first] == [f"d{i}" for i in range(20)]
    assert read[0] <= 8 * (2 * 3 + 3)  # chunks in flight, plus the ones taken


def test_dask_engine_keeps_a_bounded_number_of_documents_in_flight(nlp, cluster):
    from pipeline.engines.dask import DaskEngine

    read = [0]
    with DaskEngine(nlp, scheduler=cluster.scheduler_address, partition_size=8) as engine:
        results = engine.process(counted_documents(read))
        first = list(itertools.islice(results, 20))
        results.close()
    assert [document.doc_id for document, _ in first] == [f"d{i}" for i in range(20)]
    assert read[0] <= 8 * (2 * 3 + 3)


def test_the_cli_dask_engine_starts_and_closes_its_own_local_cluster(model_copy, tmp_path):
    small = write_corpus(tmp_path / "in", 30)
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert run_cli("run", small, "--out", local, "--model", model_copy).returncode == 0
    result = run_cli("run", small, "--out", dask, "--model", model_copy, "--engine", "dask", "--n-process", 2)
    assert result.returncode == 0, result.stderr
    # Dask's life-cycle logging stays quiet (its warnings, e.g. a slow event loop under load, may show).
    assert "INFO" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert outputs(dask) == outputs(local)


def test_without_dask_the_dask_engine_is_one_clear_line(tmp_path):
    import subprocess
    import sys

    hide_dask = "import sys; sys.modules['distributed'] = None; from pipeline.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", hide_dask, "run", str(REPO / "corpus"), "--out", str(tmp_path / "out"), "--engine", "dask"],
        capture_output=True, text=True, cwd=REPO,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["archival-ner: error: the dask engine needs Dask: pip install 'archival-ner[dask]'"]
