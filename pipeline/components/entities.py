"""The last component: resolve overlaps and derive ``doc.ents`` from the span group.

Reads ``doc.spans["archival"]``; writes ``doc.ents`` and rewrites the group so that it holds
exactly what the pipeline predicts: PERSON, PLACE, DATE and MILITARY_UNIT spans that never overlap
each other (longest wins, the earlier component on a tie), plus every PROPOSAL, which may contain
them. PERSON and PLACE spans inside a blocking name (an organization, newspaper or office:
"Baltimore Sun", "Bureau of Far Eastern Affairs") are dropped.

Rule set ``blockers`` (entity_blockers.jsonl): ``{"id", "names"}``.
"""

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry

from ..labels import ENTITY_LABELS, KB_LABELS, PROPOSAL, SPAN_GROUP
from .base import TEXT_KEY, RuleComponent, span_group


#: Rules whose spans lose to any other span of the same extent: they guess from context alone
#: (a heading's "(Philippines)" or a last line "Tokyo" is the place the gazetteer knows).
WEAK_RULE_SUFFIXES = (".speaker", ".propagated", ".surname", ".role_parenthesis", ".signature")


@registry.misc("archival.filter_entities.v1")
def make_entity_filter():
    """The one named filter that turns overlapping candidates into non-overlapping entities:
    the longest span wins; on equal length a span from a gazetteer or cue rule beats a weak one,
    then the earlier component wins."""

    def filter_entities(spans: list[Span]) -> list[Span]:
        candidates = [s for s in spans if s.label_ in ENTITY_LABELS]
        # Stable sort: among equal keys the pipeline's order is kept.
        candidates.sort(key=lambda s: (-(s.end - s.start), s.id_.endswith(WEAK_RULE_SUFFIXES)))
        return sorted(filter_spans(candidates))

    return filter_entities


class EntityResolver(RuleComponent):
    """Drop blocked and overlapping entity candidates; set ``doc.ents``."""

    rule_sets = {"blockers": ("entity_blockers.jsonl", "names")}

    def __init__(self, nlp: Language, name: str, *, filter_entities) -> None:
        super().__init__(nlp, name)
        self.filter_entities = filter_entities

    def compile(self) -> None:
        self.blockers = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for rule in self.rules["blockers"]:
            self.blockers.add(rule["id"], list(self.nlp.tokenizer.pipe(rule["names"])))

    def __call__(self, doc: Doc) -> Doc:
        candidates = list(span_group(doc))
        blocked = self.blockers(doc)
        if blocked:
            cover = _blocker_cover(blocked)
            candidates = [s for s in candidates if not _inside_blocker(s, cover)]
        entities = self.filter_entities(candidates)
        doc.ents = entities
        proposals = [s for s in candidates if s.label_ == PROPOSAL]
        doc.spans[SPAN_GROUP] = sorted(entities + proposals, key=lambda s: (s.start_char, s.end_char, s.label_))
        doc.user_data.pop(TEXT_KEY, None)  # a cache, not an output: keep it out of saved docs
        return doc


def _blocker_cover(blocked: list[tuple[int, int, int]]) -> dict[int, tuple[int, int]]:
    """For each token inside a blocking name, the (start, end) of the longest such name."""
    cover: dict[int, tuple[int, int]] = {}
    for _, start, end in sorted(blocked, key=lambda match: match[1] - match[2]):
        for i in range(start, end):
            cover.setdefault(i, (start, end))
    return cover


def _inside_blocker(span: Span, cover: dict[int, tuple[int, int]]) -> bool:
    """A PERSON or PLACE strictly inside a blocking name ("Korea" in "Bank of Korea")."""
    if span.label_ not in KB_LABELS or span.start not in cover:
        return False
    start, end = cover[span.start]
    return start <= span.start and span.end <= end and (start, end) != (span.start, span.end)


@Language.factory(
    "archival_entities",
    assigns=["doc.ents", "doc.spans"],
    default_config={"filter_entities": {"@misc": "archival.filter_entities.v1"}},
)
def make_entities(nlp: Language, name: str, filter_entities) -> EntityResolver:
    return EntityResolver(nlp, name, filter_entities=filter_entities)
