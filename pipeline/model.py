"""Assemble, build, save and load the archival pipeline.

The pipeline is ``spacy.blank("en")`` with the project's tokenizer and components; its rule data
comes from the package at ``initialize()`` and is saved inside the model folder.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import spacy
from spacy.language import Language

from . import PIPELINE_NAME, __version__
from .errors import ArchivalError, Errors

logger = logging.getLogger(__name__)

#: Components in pipeline order. Entity overlaps are resolved by length, ties by this order.
COMPONENTS = (
    "archival_people",
    "archival_places",
    "archival_units",
    "archival_dates",
    "archival_proposals",
    "archival_entities",
)
DEFAULT_MODEL = Path("models") / PIPELINE_NAME


def create_pipeline() -> Language:
    """A fresh, initialized pipeline built from the package's rule files."""
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "archival.tokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.initialize()
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = __version__
    nlp.meta["description"] = "Rule-based PERSON, PLACE, DATE, MILITARY_UNIT and PROPOSAL tagger for archival documents"
    nlp.meta["license"] = "MIT"
    nlp.meta["rules_sha256"] = rules_digest(nlp)
    return nlp


def rules_digest(nlp: Language) -> str:
    """A digest of every component's rules: two pipelines with the same digest tag alike."""
    digest = hashlib.sha256()
    for name, component in nlp.pipeline:
        digest.update(name.encode("utf-8"))
        if hasattr(component, "to_bytes") and hasattr(component, "rules"):
            digest.update(component.to_bytes())
    return digest.hexdigest()


def build_model(output: Path) -> Path:
    """Build the pipeline from the package's rule sources and save it to ``output``."""
    nlp = create_pipeline()
    nlp.to_disk(output)
    logger.info("saved pipeline %s %s to %s", PIPELINE_NAME, __version__, output)
    return output


def load_model(path: Path | str = DEFAULT_MODEL) -> Language:
    """Load a saved pipeline, with a clear error when it is not there."""
    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise ArchivalError(Errors.E020.format(path=path))
    return spacy.load(path)
