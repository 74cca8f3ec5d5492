"""What every rule component shares: its rules arrive at ``initialize()`` and travel with the model.

A component's rules are a list of validated JSON objects. ``initialize()`` takes them from the
caller or, by default, from the package's rule file; ``to_disk()`` writes them into the model
folder and ``from_disk()`` reads them back, so a saved pipeline never depends on a source path.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import ensure_path

from ..labels import SPAN_GROUP
from ..rules import parse_rules, read_package_rules

class RuleComponent:
    """Base for components whose behaviour is given by JSONL rule files.

    Subclasses set ``rule_sets`` (set name -> (package file, schema)) and ``label``, and implement
    ``compile()`` (turn ``self.rules`` into matchers) and ``__call__``.
    """

    rule_sets: dict[str, tuple[str, str]] = {}
    label: str | None = None

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.rules: dict[str, list[dict[str, Any]]] = {}

    # -- rules -------------------------------------------------------------------------------
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        rules: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        """Load rules: the given sets, and the package's own rule files for any set not given."""
        rules = dict(rules or {})
        loaded = {}
        for set_name, (filename, schema) in self.rule_sets.items():
            if set_name in rules:
                loaded[set_name] = parse_rules(
                    (srsly.json_dumps(rule) for rule in rules[set_name]),
                    source=f"{self.name} {set_name} rules",
                    schema=schema,
                    label=self.label,
                )
            else:
                loaded[set_name] = read_package_rules(filename, schema=schema, label=self.label)
        self.set_rules(loaded)

    def set_rules(self, rules: dict[str, list[dict[str, Any]]]) -> None:
        self.rules = rules
        self.compile()

    def compile(self) -> None:  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    # -- serialization -----------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        for set_name in self.rule_sets:
            srsly.write_jsonl(path / f"{set_name}.jsonl", self.rules[set_name])

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "RuleComponent":
        path = ensure_path(path)
        loaded = {}
        for set_name, (_, schema) in self.rule_sets.items():
            file = path / f"{set_name}.jsonl"
            with file.open(encoding="utf-8") as lines:
                loaded[set_name] = parse_rules(lines, source=str(file), schema=schema, label=self.label)
        self.set_rules(loaded)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.rules)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "RuleComponent":
        self.set_rules(srsly.msgpack_loads(data))
        return self


#: Where the document's text is kept while the pipeline runs: ``doc.text`` rebuilds the string
#: from every token on each access, which costs as much as tokenizing again.
TEXT_KEY = "archival.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document and shared by the components."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def alternation(phrases: Iterable[str], *, ignore_case: bool = False) -> str:
    """A regex matching any of ``phrases`` (longest first), led by a lookahead on their first
    characters: Python's regex engine would otherwise try every phrase at every position."""
    phrases = sorted(set(phrases), key=len, reverse=True)
    if not phrases:
        return r"(?!x)x"
    firsts = {phrase[0] for phrase in phrases}
    if ignore_case:
        firsts |= {char.swapcase() for char in firsts}
    first_class = "".join(sorted(re.escape(char) for char in firsts))
    return rf"(?=[{first_class}])(?:{'|'.join(re.escape(phrase) for phrase in phrases)})"


def span_group(doc: Doc) -> SpanGroup:
    """The document's one span group for rule output, created on first use."""
    if SPAN_GROUP not in doc.spans:
        doc.spans[SPAN_GROUP] = []
    return doc.spans[SPAN_GROUP]


def char_span(
    doc: Doc, start: int, end: int, *, label: str, rule_id: str, kb_id: str = ""
) -> Span | None:
    """A span over characters ``start:end``, shrunk to whole tokens; ``None`` if nothing is left."""
    span = doc.char_span(start, end, label=label, kb_id=kb_id, span_id=rule_id, alignment_mode="strict")
    if span is not None:
        return span
    # The characters cut a token: keep the whole tokens inside them, but never let a whitespace
    # token ("\n") become the edge of a span.
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    first, last = span.start, span.end
    while first < last and doc[first].is_space:
        first += 1
    while last > first and doc[last - 1].is_space:
        last -= 1
    if first == last:
        return None
    return Span(doc, first, last, label=label, kb_id=kb_id, span_id=rule_id)
