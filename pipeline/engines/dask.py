"""The Dask engine: partitions of documents processed on a Dask distributed cluster.

The pipeline is shipped to every worker once, as a worker plugin carrying its config and bytes
(workers need the ``archival-ner`` package installed, not the model folder); a worker that joins
later gets it too. Each task runs ``nlp.pipe`` over one partition and returns its predictions
lines; at most ``IN_FLIGHT_PER_WORKER`` partitions per worker are out at a time, and results are
taken in submission order, so the run's outputs equal the local engine's, document for document.

Without ``scheduler`` a LocalCluster is started on 127.0.0.1 only (``n_workers`` processes, one
thread each, its web server on a free port) and closed at the end. Dask is an optional extra: ``archival-ner[dask]``.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Iterator

from spacy.language import Language

from ..errors import ArchivalError
from ..io.documents import Document
from ..io.records import pipeline_info
from .worker import CHUNK_SIZE, chunked, in_order, predict_lines

try:
    from distributed import Client, LocalCluster, WorkerPlugin, get_worker
except ImportError:  # the optional extra is not installed; DaskEngine says so in one line
    HAVE_DASK = False
    WorkerPlugin = object
else:
    HAVE_DASK = True

logger = logging.getLogger(__name__)

MISSING_DASK = "the dask engine needs Dask: pip install 'archival-ner[dask]'"
MISMATCH = "Dask worker {worker} runs another pipeline ({found}) than this run ({expected}): install the same archival-ner there"
IN_FLIGHT_PER_WORKER = 3
#: The worker plugin's name, one per pipeline version, so that two runs never mix pipelines.
PLUGIN_PREFIX = "archival-ner-pipeline-"


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline on a worker when the worker starts (or when the plugin is registered)."""

    #: Registering it again under the same name (same pipeline version) changes nothing.
    idempotent = True

    def __init__(self, config: dict[str, Any], data: bytes, pipeline: dict[str, str]) -> None:
        self.config = config
        self.data = data
        self.pipeline = pipeline
        self.nlp: Language | None = None
        self.problem = "the pipeline was not loaded on this worker"

    def setup(self, worker: Any) -> None:
        from spacy import util

        lang_cls = util.get_lang_class(self.config["nlp"]["lang"])
        nlp = lang_cls.from_config(self.config)
        nlp.from_bytes(self.data)
        found = pipeline_info(nlp)
        if found == self.pipeline:
            self.nlp = nlp
        else:  # a worker with other code would make records the client's store takes for its own
            self.problem = MISMATCH.format(worker=getattr(worker, "address", "?"), found=found, expected=self.pipeline)


def _predict_partition(documents: list[Document], plugin_name: str) -> list[str]:
    """Runs on a worker: the partition's predictions lines, with the worker's copy of the pipeline."""
    plugin = get_worker().plugins[plugin_name]
    if plugin.nlp is None:
        raise ArchivalError(plugin.problem)
    return predict_lines(plugin.nlp, documents)


def plugin_name(nlp: Language) -> str:
    info = pipeline_info(nlp)
    return PLUGIN_PREFIX + "-".join([info["name"], info["version"], info.get("rules_sha256", "")[:12], info.get("code_sha256", "")[:12]])


class DaskEngine:
    def __init__(
        self, nlp: Language, *, scheduler: str | None = None, n_workers: int = 2, partition_size: int = CHUNK_SIZE
    ) -> None:
        if not HAVE_DASK:
            raise ArchivalError(MISSING_DASK)
        self.nlp = nlp
        self.scheduler = scheduler
        self.n_workers = max(1, n_workers)
        self.partition_size = partition_size
        self.plugin = plugin_name(nlp)
        self._cluster = None
        self._client = None

    def __enter__(self) -> "DaskEngine":
        try:
            if self.scheduler:
                self._client = Client(self.scheduler)
            else:
                self._cluster = LocalCluster(
                    n_workers=self.n_workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                )
                self._client = Client(self._cluster)
            self._client.register_plugin(PipelinePlugin(self.nlp.config, self.nlp.to_bytes(), pipeline_info(self.nlp)), name=self.plugin)
        except OSError as err:
            self.__exit__(None, None, None)
            raise ArchivalError(f"cannot reach the Dask scheduler at {self.scheduler or 'a LocalCluster'}: {err}") from None
        logger.info("dask engine on %s", self._client.scheduler.address)
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def process(self, documents: Iterable[Document]) -> Iterator[tuple[Document, str]]:
        assert self._client is not None, "use the engine in a with-block"
        workers = max(1, len(self._client.scheduler_info().get("workers", {}))) if self.scheduler else self.n_workers
        limit = workers * IN_FLIGHT_PER_WORKER
        yield from in_order(
            chunked(documents, self.partition_size),
            lambda partition: self._client.submit(_predict_partition, partition, self.plugin, pure=False),
            lambda future: future.result(),
            limit=limit,
        )
