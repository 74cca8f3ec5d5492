"""PROPOSAL: clauses that put forward an action, arrangement or condition for someone to accept.

Reads ``doc.text``; appends PROPOSAL spans to ``doc.spans["archival"]`` (rule id in ``span.id_``).
Proposals may overlap other labels; two proposals never overlap each other.

Rule set ``cues`` (proposal_cues.jsonl): ``{"id", "cues", "kind"}``, where ``kind`` says where the
proposal's content lies relative to the cue:
- ``after_cue``: from the word after the cue to the end of the clause ("we propose that X" -> "X").
  A cue whose clause ends in ":" introduces a numbered list: each item is a proposal.
- ``object_to``: a request made of someone: "requested the Government of China, as a matter of
  urgency, to formulate X" -> "formulate X". Without "to" after the addressee nothing is found.
- ``before_cue``: a passive request closing its clause: "The views of the JCS on this maneuver are
  requested." -> "The views of the JCS on this maneuver".
- ``imperative``: an instruction at the start of a sentence; the content starts at the cue
  ("Point out that X" -> "Point out that X"). A cue used as a noun is no instruction ("Request
  for cease-fire requires ...").
In an imperative, and after a cue whose rule says ``"instructions": true`` ("You should"), a
second instruction joined by "but" or "and" is a proposal of its own ("Stress X but make clear
Y", "You should prepare X, but do not give up Y").
- ``modal``: "X should/must Y": the whole clause around the cue, unless the clause is a condition
  ("if they should ...").
- ``terms``: a cue, a colon, then terms separated by ";" ("Conditions for the armistice: A; B.").
Rules earlier in the file win when two candidate proposals overlap.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..labels import PROPOSAL
from .base import RuleComponent, alternation, char_span, doc_text, span_group
from .clauses import sentence_bounds, split_at, trim_content
from .proposal_kinds import FINDERS, KINDS, MAX_CHARS


class ProposalRuler(RuleComponent):
    """Tag PROPOSAL clauses found from the language of diplomacy."""

    rule_sets = {"cues": ("proposal_cues.jsonl", "cue")}
    label = PROPOSAL

    def compile(self) -> None:
        self.patterns = []
        for priority, rule in enumerate(self.rules["cues"]):
            kind = rule.get("kind", "after_cue")
            if kind not in KINDS:
                raise ValueError(f"proposal rule {rule['id']}: unknown kind '{kind}' (expected one of {KINDS})")
            pattern = re.compile(rf"(?<![\w]){alternation(rule['cues'])}(?![\w])")
            self.patterns.append((priority, rule["id"], kind, pattern))
        # Where any cue starts: one scan of the text instead of one per rule.
        every_cue = {cue for rule in self.rules["cues"] for cue in rule["cues"]}
        self.cue_start_re = re.compile(rf"(?<![\w])(?={alternation(every_cue)})")
        self.instruction_rules = {rule["id"] for rule in self.rules["cues"] if rule.get("instructions")}
        lower_imperatives = {cue[0].lower() + cue[1:] for rule in self.rules["cues"] if rule.get("kind") == "imperative" for cue in rule["cues"]}
        self.coordinated_re = re.compile(rf",?\s+(?:but|and)\s+(?={alternation(lower_imperatives)}(?![\w]))") if lower_imperatives else None

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sentences = sentence_bounds(text)
        starts = [start for start, _ in sentences]
        candidates: list[tuple[int, int, int, str]] = []
        addressed = set()  # cues whose request names an addressee: "requested the GOI to X"
        cue_starts = [match.start() for match in self.cue_start_re.finditer(text)]
        for priority, rule_id, kind, pattern in self.patterns:
            for match in _matches_at(pattern, text, cue_starts):
                sentence = _sentence_around(sentences, starts, match.start())
                if sentence is None or (kind == "after_cue" and match.start() in addressed):
                    continue
                found = FINDERS[kind](text, match, sentence)
                if kind == "object_to" and found:
                    addressed.add(match.start())
                if kind == "imperative" or rule_id in self.instruction_rules:
                    found = [part for start, end in found for part in self._split_coordinated(text, start, end)]
                for start, end in found:
                    start, end = trim_content(text, start, end)
                    if 0 < end - start <= MAX_CHARS and " " in text[start:end]:
                        candidates.append((priority, start, end, rule_id))
        group = span_group(doc)
        taken = bytearray(len(text))  # characters already inside a proposal
        for priority, start, end, rule_id in sorted(candidates):
            if any(taken[start:end]):
                continue
            span = char_span(doc, start, end, label=PROPOSAL, rule_id=rule_id)
            if span is not None:
                group.append(span)
                taken[start:end] = b"\x01" * (end - start)
        return doc

    def _split_coordinated(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """"Stress X but make clear Y" -> "Stress X", "make clear Y"."""
        return split_at(self.coordinated_re, text, start, end) if self.coordinated_re else [(start, end)]


def _matches_at(pattern: re.Pattern, text: str, positions: list[int]) -> Iterator[re.Match]:
    """What ``pattern.finditer(text)`` finds, trying only where a cue starts."""
    end = -1
    for position in positions:
        if position < end:
            continue
        match = pattern.match(text, position)
        if match is not None:
            end = match.end()
            yield match


def _sentence_around(sentences: list[tuple[int, int]], starts: list[int], offset: int) -> tuple[int, int] | None:
    """The sentence holding ``offset``, cut to a window around it: no proposal is longer than
    ``MAX_CHARS``, and an unpunctuated megabyte must not be rescanned for every cue in it."""
    index = bisect_right(starts, offset) - 1
    if index < 0 or offset >= sentences[index][1]:
        return None
    start, end = sentences[index]
    reach = MAX_CHARS + 1  # one more, so that a runaway clause is still seen as one
    return max(start, offset - reach), min(end, offset + reach)


@Language.factory("archival_proposals", assigns=["doc.spans"], default_config={})
def make_proposals(nlp: Language, name: str) -> ProposalRuler:
    return ProposalRuler(nlp, name)
