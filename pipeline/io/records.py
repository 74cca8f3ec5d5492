"""The predictions schema: one JSON object per document, and its spans.

``{"doc_id", "text", "sha256", "meta": {"source", "encoding", "document_date", ...},
"spans": [{"start", "end", "label", "text", "kb_id", "value", "rule"}], "pipeline": {"name", "version"}}``

Offsets index ``text`` in code points, end exclusive, and ``text[start:end] == span["text"]``.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..components.dates import DOCUMENT_DATE_ATTR
from ..labels import KB_LABELS, SPAN_GROUP, VALUE_LABELS
from .documents import Document

SPAN_FIELDS = ("start", "end", "label", "text", "kb_id", "value", "rule")


def doc_to_record(doc: Doc, document: Document, *, nlp: Language) -> dict[str, Any]:
    """The predictions record of one processed document."""
    spans = []
    for span in doc.spans.get(SPAN_GROUP, []):
        normalized = span.kb_id_ or None
        spans.append(
            {
                "start": span.start_char,
                "end": span.end_char,
                "label": span.label_,
                "text": span.text,
                "kb_id": normalized if span.label_ in KB_LABELS else None,
                "value": normalized if span.label_ in VALUE_LABELS else None,
                "rule": span.id_,
            }
        )
    meta = {
        "source": document.source,
        "encoding": document.encoding,
        "document_date": doc._.get(DOCUMENT_DATE_ATTR) if doc.has_extension(DOCUMENT_DATE_ATTR) else None,
        "words": sum(1 for token in doc if not (token.is_space or token.is_punct)),
    }
    return {
        "doc_id": document.doc_id,
        "text": document.text,
        "sha256": document.sha256,
        "meta": meta,
        "spans": spans,
        "pipeline": pipeline_info(nlp),
    }


def pipeline_info(nlp: Language) -> dict[str, str]:
    """What produced a record: the model's name, version and rules, and the components' code.

    A re-run reuses a finished record only when all of these are unchanged.
    """
    info = {"name": nlp.meta.get("name", ""), "version": nlp.meta.get("version", "")}
    if "rules_sha256" in nlp.meta:
        info["rules_sha256"] = nlp.meta["rules_sha256"]
    info["code_sha256"] = components_code_digest()
    return info


@lru_cache(maxsize=1)
def components_code_digest() -> str:
    """A digest of the components' source: rules behave as the code that applies them."""
    digest = hashlib.sha256()
    package = resources.files("pipeline.components")
    for name in sorted(entry.name for entry in package.iterdir() if entry.name.endswith(".py")):
        digest.update(name.encode("utf-8"))
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()
