"""preview.html: the first documents of a run rendered with displaCy, all five labels."""
from __future__ import annotations

import html
from typing import Any, Iterable

from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from ..labels import COLORS, LABELS, SPAN_GROUP

#: How many documents, and how many characters of each, the preview shows.
PREVIEW_DOCS = 10
PREVIEW_CHARS = 20_000


def preview_doc(record: dict[str, Any], nlp: Language) -> Doc:
    """A tokenized Doc of the record's first ``PREVIEW_CHARS`` characters, carrying its spans."""
    text = record["text"][:PREVIEW_CHARS]
    doc = nlp.make_doc(text)
    spans = [
        doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
        for s in record["spans"]
        if s["end"] <= len(text)
    ]
    doc.spans[SPAN_GROUP] = [span for span in spans if span is not None]
    return doc


def render_preview(docs: Iterable[tuple[str, Doc]]) -> str:
    """A self-contained HTML page showing each document's spans (displaCy "span" style)."""
    parts = []
    for doc_id, doc in docs:
        parts.append(f"<h2>{html.escape(doc_id)}</h2>")
        parts.append(_render(doc))
    legend = " ".join(
        f'<span style="background:{COLORS[label]};padding:2px 6px;border-radius:3px">{label}</span>' for label in LABELS
    )
    body = "\n".join(parts) or "<p>No documents were processed.</p>"
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>archival-ner preview</title></head>"
        "<body style='font-family:sans-serif;max-width:60em;margin:auto'><h1>archival-ner preview</h1>"
        f"<p>{legend}</p>{body}</body></html>"
    )


def _render(doc: Doc) -> str:
    return displacy.render(doc, style="span", page=False, options={"spans_key": SPAN_GROUP, "colors": dict(COLORS)})
