"""MILITARY_UNIT: formations, forces and command bodies referred to as an organized body.

Reads ``doc.text`` and tokens; appends MILITARY_UNIT spans to ``doc.spans["archival"]``.

Rule sets:
- ``names`` (units.jsonl): named forces and commands ``{"id", "kb_id", "names"}`` ("UNC",
  "Seventh Fleet", "Chinese People's Volunteers").
- ``phrases`` (unit_phrases.jsonl): ``{"id", "cues", "heads"}``: one or more modifier cues
  followed by a head noun ("Chinese volunteer troops", "UN forces", "aviation units"). The
  modifiers are part of the span; a head alone ("troops") is not a unit.
Numbered formations ("13th army group", "X Corps", "1st Marine Division") are the grammar
``NUMBERED_RE`` below, rule id ``unit.numbered``.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..labels import MILITARY_UNIT
from .base import RuleComponent, alternation, char_span, doc_text, span_group
from .gazetteer import Gazetteer

_ORDINAL_WORDS = (
    "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth|"
    "Thirteenth|Fourteenth|Fifteenth|Sixteenth|Seventeenth|Eighteenth|Nineteenth|Twentieth|"
    "Twenty-\\w+|Thirtieth|Fortieth|Fiftieth"
)
#: "13th", "1st", "Eighth", "eighth", "X", "XVI" (Roman numerals only before "Corps").
_ORDINAL = rf"(?:[0-9]{{1,3}}(?:st|nd|rd|th)|(?i:{_ORDINAL_WORDS}))"
_QUALIFIER = (
    r"(?:(?:Marine|Infantry|Cavalry|Armored|Armoured|Airborne|Field|Tank|Mechanized|Artillery|"
    r"Air|Naval|Route|Guards|Rifle|Volunteer|Motorized|Fighter|Bomber|Task|Logistical|Support|"
    r"People's|Route Army|ROK|US|U\.S\.|Chinese|Korean|North Korean|Soviet)\s+){0,2}"
)
_FORMATION = (
    r"(?:[Aa]rmy [Gg]roup|[Aa]rmy [Cc]orps|[Aa]rmies|[Aa]rmy|[Cc]orps|[Dd]ivisions?|[Ff]leet|[Rr]egiments?|"
    r"[Bb]rigades?|[Bb]attalions?|[Ff]orce|[Aa]ir [Ff]orce|[Ww]ing|[Gg]roup|[Ss]quadron|[Ff]ront|"
    # telegraphic abbreviations: "7th Flt", "13 AF", "25th Div"
    r"Flt|Div|AF|Regt|Bn|Bde|Grp|Sqdn)"
)
#: A nationality written before a numbered formation ("Amer 7th Fleet", "ROK 1st Division").
_NATION = r"(?:(?:US|U\.S\.|Amer|American|British|Brit|ROK|Chinese|Chi|Nationalist|Natl|Soviet|North Korean|Communist|UN|Turkish|Thai|French)\s+)?"
#: A numbered formation: ordinal (or a bare number before an abbreviation), up to two qualifiers,
#: a formation noun; or a Roman-numeral corps.
NUMBERED_RE = re.compile(
    rf"(?<![\w])(?:{_NATION}(?:{_ORDINAL}\s+{_QUALIFIER}{_FORMATION}|[0-9]{{1,3}}\s+(?:AF|Flt|Div))"
    rf"|[IVXL]{{1,5}}\s+(?:ROK\s+)?Corps)(?![\w])"
)
NUMBERED_RULE = "unit.numbered"


class UnitRuler(RuleComponent):
    """Tag MILITARY_UNIT spans from named forces, modifier+head phrases and numbered formations."""

    rule_sets = {
        "names": ("units.jsonl", "gazetteer"),
        "phrases": ("unit_phrases.jsonl", "phrase"),
    }
    label = MILITARY_UNIT

    def compile(self) -> None:
        self.gazetteer = Gazetteer(self.nlp, self.rules["names"], label=MILITARY_UNIT)
        self.phrase_res = []
        for rule in self.rules["phrases"]:
            cues, heads = alternation(rule["cues"]), alternation(rule["heads"])
            pattern = re.compile(rf"(?<![\w])(?:{cues}\s+)+{heads}(?![\w])")
            self.phrase_res.append((rule["id"], pattern))

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = self.gazetteer(doc)
        for rule_id, pattern in [(NUMBERED_RULE, NUMBERED_RE), *self.phrase_res]:
            for match in pattern.finditer(doc_text(doc)):
                span = char_span(doc, *match.span(), label=MILITARY_UNIT, rule_id=rule_id)
                if span is not None:
                    spans.append(span)
        span_group(doc).extend(spans)
        return doc


@Language.factory("archival_units", assigns=["doc.spans"], default_config={})
def make_units(nlp: Language, name: str) -> UnitRuler:
    return UnitRuler(nlp, name)
