"""Exact-name matching against a gazetteer of canonical entities.

Each gazetteer rule is ``{"id", "kb_id", "names"}``: every spelling, romanization and pseudonym
of one entity, with the canonical name that all of them normalize to. Names are matched on
token text (case-sensitive: these are proper names), so "Chou's" yields "Chou" and
"Korean" never yields "Korea".
"""
from __future__ import annotations

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span


class Gazetteer:
    """A PhraseMatcher over the names of a list of gazetteer rules."""

    def __init__(self, nlp, rules, *, label: str) -> None:
        self.label = label
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.by_key: dict[int, dict] = {}
        for rule in rules:
            key = nlp.vocab.strings.add(rule["id"])
            self.by_key[key] = rule
            self.matcher.add(rule["id"], list(nlp.tokenizer.pipe(rule["names"])))
        self.kb_by_name = {name: rule["kb_id"] for rule in rules for name in rule["names"]}

    def __call__(self, doc: Doc) -> list[Span]:
        spans = []
        for key, start, end in self.matcher(doc):
            rule = self.by_key[key]
            spans.append(Span(doc, start, end, label=self.label, kb_id=rule["kb_id"], span_id=rule["id"]))
        return spans
