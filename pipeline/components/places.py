"""PLACE: named geographic and geopolitical locations, with canonical names.

Reads ``doc.text`` and tokens; appends PLACE spans to ``doc.spans["archival"]`` (rule id in
``span.id_``, the canonical place in ``span.kb_id_``: "Formosa" -> "Taiwan", "Peiping" -> "Beijing").

Rule sets:
- ``names`` (places.jsonl): ``{"id", "kb_id", "names"}``, matched as whole tokens and
  case-sensitively, so the adjective "Korean" never yields "Korea"; "Kaesong area" yields "Kaesong".
- ``cues`` (place_cues.jsonl): ``{"id", "cues", "kind"}`` for places no list can hold:
  ``compass``: a direction before a known place is part of it ("South Burma", "East China");
  ``before_name``: a capitalized name after "town of", "province of" ... is a place;
  ``after_name``: a capitalized name before "Province", "River", "Island" ... is a place, the
  feature word included ("Yalu River");
  ``prefix``: a word that begins place names of a region, with the name ("Mong Yawng", "Mae Sai");
  ``after_preposition``: a telegram's abbreviation of a country where it stands as a noun ("in
  Chi", "to Tib", not "Chi Govt" or "Chi Commies"); the rule's ``kb_id`` names the place.
A name found by a naming cue (not an abbreviation) is then tagged wherever else it occurs in the
document (``place.propagated``).
"""
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..labels import PLACE
from .base import RuleComponent, alternation, char_span, doc_text, span_group
from .gazetteer import Gazetteer

#: A place name not in the gazetteer: one to three capitalized words ("Mong Hsat", "Tachilek").
PLACE_NAME = r"[A-Z][a-z\u00C0-\u024F'’]+(?:[- ][A-Z][a-z\u00C0-\u024F'’]+){0,2}"
PROPAGATED_RULE = "place.propagated"
KINDS = ("compass", "before_name", "after_name", "prefix", "after_preposition")
#: Words after which a noun follows (or a comma, inside a list): where a telegram's country
#: abbreviation names the place.
PREPOSITIONS = r"(?:in|to|of|from|with|into|at|toward|towards|for|by|against|on|over|within|inside|throughout|and|via)"
#: What stands right before an abbreviation used as a noun.
NOUN_BEFORE_RE = re.compile(rf"(?:(?<![\w]){PREPOSITIONS}[ \t]+|,[ \t]*)$")
#: What may follow an abbreviation used as a noun: punctuation, the end, or a function word.
NOUN_END = (
    r"(?=[ \t]*(?:[.,;:)!?]|$)|[ \t]+(?:and|or|but|of|to|in|on|for|with|from|by|is|are|was|were|will|wld|would|"
    r"has|had|have|since|as|at|if|which|that|who|cannot|cld|could|shld|should|must|may)\b)"
)


class PlaceRuler(RuleComponent):
    """Tag PLACE spans from the gazetteer and from naming cues."""

    rule_sets = {"names": ("places.jsonl", "gazetteer"), "cues": ("place_cues.jsonl", "cue")}
    label = PLACE

    def compile(self) -> None:
        self.gazetteer = Gazetteer(self.nlp, self.rules["names"], label=PLACE)
        self.by_kind: dict[str, list[tuple[str, re.Pattern]]] = {kind: [] for kind in KINDS}
        self.abbreviations: dict[str, dict] = {}  # cue -> its after_preposition rule
        for rule in self.rules["cues"]:
            kind = rule.get("kind")
            if kind not in KINDS:
                raise ValueError(f"place rule {rule['id']}: unknown kind '{kind}' (expected one of {KINDS})")
            cues = alternation(rule["cues"])
            if kind == "compass":
                pattern = re.compile(rf"(?<![\w])(?:{cues})[ -]$")
            elif kind == "before_name":
                pattern = re.compile(rf"(?<![\w])(?:{cues})[ \t]+(?P<name>{PLACE_NAME})(?![\w])")
            elif kind == "after_name":
                pattern = re.compile(rf"(?<![\w])(?P<name>{PLACE_NAME}[ \t]+(?:{cues}))(?![\w])")
            elif kind == "prefix":
                pattern = re.compile(rf"(?<![\w])(?P<name>(?:{cues})[ \t]+[A-Z][a-z\u00C0-\u024F]+)(?![\w])")
            else:
                if not rule.get("kb_id"):
                    raise ValueError(f"place rule {rule['id']}: an after_preposition rule needs the kb_id of its place")
                self.abbreviations.update({cue: rule for cue in rule["cues"]})
                continue
            self.by_kind[kind].append((rule["id"], pattern))
        # One scan for every abbreviation; what stands before one is checked where it is found.
        self.abbreviation_re = re.compile(rf"(?<![\w])(?P<name>{alternation(self.abbreviations)})(?![\w]){NOUN_END}", re.MULTILINE)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans = self.gazetteer(doc)
        spans.extend(self._with_compass(doc, text, spans))
        found = self._named_by_cues(doc, text)
        spans.extend(found)
        spans.extend(self._propagate(doc, text, found))
        spans.extend(self._abbreviations(doc, text))
        span_group(doc).extend(spans)
        return doc

    def _with_compass(self, doc: Doc, text: str, known: list[Span]) -> list[Span]:
        spans = []
        for span in known:
            before = text[max(0, span.start_char - 12):span.start_char]
            for rule_id, pattern in self.by_kind["compass"]:
                match = pattern.search(before)
                if match is None:
                    continue
                start = span.start_char - len(before) + match.start()
                extended = char_span(doc, start, span.end_char, label=PLACE, rule_id=rule_id, kb_id=text[start:span.end_char])
                if extended is not None:
                    spans.append(extended)
        return spans

    def _named_by_cues(self, doc: Doc, text: str) -> list[Span]:
        spans = []
        for kind in ("before_name", "after_name", "prefix"):
            for rule_id, pattern in self.by_kind[kind]:
                for match in pattern.finditer(text):
                    start, end = match.span("name")
                    span = char_span(doc, start, end, label=PLACE, rule_id=rule_id, kb_id=match.group("name"))
                    if span is not None:
                        spans.append(span)
        return spans

    def _abbreviations(self, doc: Doc, text: str) -> list[Span]:
        spans = []
        for match in self.abbreviation_re.finditer(text) if self.abbreviations else ():
            start, end = match.span("name")
            if NOUN_BEFORE_RE.search(text, max(0, start - 16), start) is None:
                continue
            rule = self.abbreviations[match.group("name")]
            span = char_span(doc, start, end, label=PLACE, rule_id=rule["id"], kb_id=rule["kb_id"])
            if span is not None:
                spans.append(span)
        return spans

    def _propagate(self, doc: Doc, text: str, found: list[Span]) -> list[Span]:
        surfaces = {span.text for span in found}
        if not surfaces:
            return []
        spans = []
        for match in re.finditer(rf"(?<![\w]){alternation(surfaces)}(?![\w])", text):
            span = char_span(doc, *match.span(), label=PLACE, rule_id=PROPAGATED_RULE, kb_id=match.group(0))
            if span is not None:
                spans.append(span)
        return spans


@Language.factory("archival_places", assigns=["doc.spans"], default_config={})
def make_places(nlp: Language, name: str) -> PlaceRuler:
    return PlaceRuler(nlp, name)
