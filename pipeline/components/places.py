"""PLACE: named geographic and geopolitical locations, from a gazetteer with canonical names.

Reads tokens; appends PLACE spans to ``doc.spans["archival"]`` (rule id in ``span.id_``, the
canonical place in ``span.kb_id_``: "Formosa" -> "Taiwan", "Peiping" -> "Beijing").

Rule set ``names`` (places.jsonl): ``{"id", "kb_id", "names"}``. Names are matched as whole
tokens and case-sensitively, so the adjective "Korean" never yields "Korea"; "Kaesong area"
yields "Kaesong" because "area" is not part of any name.
"""

from spacy.language import Language
from spacy.tokens import Doc

from ..labels import PLACE
from .base import RuleComponent, span_group
from .gazetteer import Gazetteer


class PlaceRuler(RuleComponent):
    """Tag PLACE spans from the place gazetteer."""

    rule_sets = {"names": ("places.jsonl", "gazetteer")}
    label = PLACE

    def compile(self) -> None:
        self.gazetteer = Gazetteer(self.nlp, self.rules["names"], label=PLACE)

    def __call__(self, doc: Doc) -> Doc:
        span_group(doc).extend(self.gazetteer(doc))
        return doc


@Language.factory("archival_places", assigns=["doc.spans"], default_config={})
def make_places(nlp: Language, name: str) -> PlaceRuler:
    return PlaceRuler(nlp, name)
