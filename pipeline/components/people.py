"""PERSON: named individuals, from a gazetteer, after titles and ranks, and in signatures.

Reads ``doc.text`` and tokens; appends PERSON spans to ``doc.spans["archival"]`` with the rule id
in ``span.id_`` and the canonical name in ``span.kb_id_``.

Rule sets:
- ``names`` (people.jsonl): ``{"id", "kb_id", "names", "ambiguous"?}``. ``names`` match anywhere;
  ``ambiguous`` forms (surnames shared with common words or other people) only after a title.
- ``titles`` (person_titles.jsonl): ``{"id", "cues"}``. A capitalized name right after a cue
  ("General Ridgway", "Cde. Mao Zedong", "Ambassador Kirk") is a PERSON; the title stays out.
- ``stopwords`` (person_stopwords.jsonl): ``{"id", "names"}``. Capitalized words that follow a title
  without being a name ("General Assembly", "Secretary General").
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..labels import PERSON
from .base import RuleComponent, alternation, char_span, doc_text, span_group
from .gazetteer import Gazetteer

#: A name after a title: up to four capitalized words or initials ("George F. Kennan",
#: "Chou En-lai", "Kim Il Sung", "I.V. Stalin"). Hyphenated parts may be lower-case ("En-lai").
NAME = r"(?:[A-Z]\. ?){0,3}[A-Z][a-z\u00C0-\u024F'’]+(?:-[A-Za-z\u00C0-\u024F]+)*(?: (?:[A-Z]\. ?)*[A-Z][a-z\u00C0-\u024F'’]+(?:-[A-Za-z\u00C0-\u024F]+)*){0,3}"

#: A signature: a line that holds only a name, at the end of the document or before a summary.
SIGNATURE_RE = re.compile(
    r"^(?P<name>(?:[A-Z]\. ?){0,3}[A-Z][a-z\u00C0-\u024F'’]+(?:[- ][A-Z][a-z\u00C0-\u024F'’]+){0,3})\s*$",
    re.MULTILINE,
)
#: How far from the end of the text a signature line may stand (letters end with a signature,
#: web transcriptions may add a summary after it).
SIGNATURE_WINDOW = 400
SIGNATURE_RULE = "person.signature"


class PeopleRuler(RuleComponent):
    """Tag PERSON spans from the gazetteer, title cues and signature lines."""

    rule_sets = {
        "names": ("people.jsonl", "gazetteer"),
        "titles": ("person_titles.jsonl", "cue"),
        "stopwords": ("person_stopwords.jsonl", "names"),
    }
    label = PERSON

    def compile(self) -> None:
        self.gazetteer = Gazetteer(self.nlp, self.rules["names"], label=PERSON)
        self.kb_by_name = dict(self.gazetteer.kb_by_name)
        for rule in self.rules["names"]:
            for name in rule.get("ambiguous", []):
                self.kb_by_name.setdefault(name, rule["kb_id"])
        self.not_names = {name for rule in self.rules["stopwords"] for name in rule["names"]}
        cues = [(cue, rule["id"]) for rule in self.rules["titles"] for cue in rule["cues"]]
        # Longest cue first so "Foreign Minister" wins over "Minister".
        cues.sort(key=lambda item: -len(item[0]))
        self.title_rule = {cue: rule_id for cue, rule_id in cues}
        titles = alternation(cue for cue, _ in cues)
        self.title_re = re.compile(rf"(?<![\w.])(?P<title>{titles})[ \t]+(?P<name>{NAME})")

    def __call__(self, doc: Doc) -> Doc:
        group = span_group(doc)
        spans = self.gazetteer(doc)
        spans.extend(self._after_titles(doc))
        spans.extend(self._signatures(doc))
        group.extend(spans)
        return doc

    def _after_titles(self, doc: Doc) -> list[Span]:
        spans = []
        for match in self.title_re.finditer(doc_text(doc)):
            start, end = match.span("name")
            name = self._trim_name(match.group("name"))
            if name is None:
                continue
            end = start + len(name)
            rule_id = self.title_rule[match.group("title")]
            span = char_span(doc, start, end, label=PERSON, rule_id=rule_id, kb_id=self.kb_by_name.get(name, name))
            if span is not None:
                spans.append(span)
        return spans

    def _trim_name(self, name: str) -> str | None:
        """Drop trailing words that are not part of a name ("Acheson Said" -> "Acheson")."""
        words = name.split(" ")
        while words and words[-1] in self.not_names:
            words.pop()
        if not words or words[0] in self.not_names:
            return None
        return " ".join(words)

    def _signatures(self, doc: Doc) -> list[Span]:
        text = doc_text(doc)
        window_start = max(0, len(text.rstrip()) - SIGNATURE_WINDOW)
        spans = []
        for match in SIGNATURE_RE.finditer(text, window_start):
            name = match.group("name")
            if name in self.not_names or name.split(" ")[0] in self.not_names:
                continue
            start, end = match.span("name")
            span = char_span(doc, start, end, label=PERSON, rule_id=SIGNATURE_RULE, kb_id=self.kb_by_name.get(name, name))
            if span is not None:
                spans.append(span)
        return spans


@Language.factory(
    "archival_people",
    assigns=[f"doc.spans"],
    default_config={},
)
def make_people(nlp: Language, name: str) -> PeopleRuler:
    return PeopleRuler(nlp, name)
