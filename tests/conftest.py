"""Shared fixtures: the project's pipeline, and single components on inline rules."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.model import create_pipeline

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def nlp():
    """The whole pipeline, built from the package's rule files."""
    return create_pipeline()


@pytest.fixture
def make_nlp():
    """A blank pipeline with one archival component, initialized with the given rule sets,
    followed by the entity resolver (which turns overlapping candidates into ``doc.ents``)."""

    def make(factory: str, rules: dict | None = None):
        nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "archival.tokenizer.v1"}}})
        nlp.add_pipe(factory)
        if factory != "archival_entities":
            nlp.add_pipe("archival_entities")
        nlp.initialize()
        if rules:
            nlp.get_pipe(factory).initialize(rules=rules)
        return nlp

    return make


def spans_of(doc, label: str | None = None) -> list[tuple[str, str]]:
    """(label, text) of the document's predicted spans, in text order."""
    return [(s.label_, s.text) for s in doc.spans["archival"] if label is None or s.label_ == label]
