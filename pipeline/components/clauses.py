"""Clause and sentence boundaries over raw text, for the PROPOSAL rules.

The pipeline has no parser: a proposal's extent is found from punctuation. A sentence ends at
".", "!" or "?" followed by space and a capital, quote, bracket or digit, unless the period
closes an abbreviation or an initial ("Mr.", "p. m.", "I.V."); a paragraph break always ends
it. A clause also ends at ";" (terms of a list are separate proposals).
"""
from __future__ import annotations

import re

#: Words whose final period does not end a sentence.
ABBREVIATIONS = frozenset(
    "Mr Mrs Messrs Dr Gen Adm Col Lt Maj Capt Cde Sgt Gov Sen Rep Amb No Nos Nr Tel Deptel Embtel "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec p m a St Jr Sr vs etc cf Vol Ltd Co Inc "
    "U S N K R C".split()
)
#: Candidate sentence ends: terminal punctuation (with closing quotes/brackets) then space.
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)\]]*(?=\s+[\"“‘(\[A-Z0-9…])|\n\s*\n|\n(?=\s*[0-9]+\.\s)")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\.$")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of the sentences of ``text`` (whitespace trimmed)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        end = match.end() if not match.group(0).startswith("\n") else match.start()
        before = _WORD_BEFORE_RE.search(text, max(0, match.start() - 12), match.start() + 1)
        if match.group(0)[0] == "." and before is not None and before.group(1) in ABBREVIATIONS:
            continue
        _append_trimmed(text, start, end, bounds)
        start = end
    _append_trimmed(text, start, len(text), bounds)
    return bounds


def _append_trimmed(text: str, start: int, end: int, bounds: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        bounds.append((start, end))


#: What a proposal's content may not end with: space, closing punctuation and list numbers.
_TRAILING = " \t\n.,;:!?\"”’)"


#: A list number, letter or ordinal word at the start of a proposal ("3) Policy ...", "(b) ...",
#: "a. ...", "second, ...").
LEADING_MARKER_RE = re.compile(
    r"(?:\([a-z0-9]{1,2}\)|[a-z0-9]{1,2}[.)]|(?i:first|second|third|fourth|fifth|sixth|finally)(?:ly)?,)\s+"
)
#: The marker of the next inline list item at the end of a proposal: "... considered. b".
TRAILING_MARKER_RE = re.compile(r"[.;,]\s+\(?[a-z0-9]\)?$")
#: Connectives that open a clause without being part of what it proposes ("Suggests however X").
LEADING_CONNECTIVE_RE = re.compile(
    r"(?:however|also|further|therefore|accordingly|moreover|again|instead|meanwhile|in the meantime|at the same time),?\s+",
    re.IGNORECASE,
)


def trim_content(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` so it neither starts nor ends on space, sentence punctuation, a list
    marker ("3)", "b.") or a leading connective ("however").

    A closing bracket stays when its opening bracket is inside the span ("[to serve]").
    """
    while start < end and (text[start].isspace() or text[start] in ",;:\"“‘"):
        start += 1
    marker = LEADING_MARKER_RE.match(text, start, end)
    if marker is not None:
        start = marker.end()
    connective = LEADING_CONNECTIVE_RE.match(text, start, end)
    if connective is not None:
        start = connective.end()
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    marker = TRAILING_MARKER_RE.search(text, start, end)
    if marker is not None:
        end = marker.start()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
    if end > start and text[end - 1] == "]" and "[" not in text[start:end - 1]:
        end -= 1
    return start, end


def split_at(joints: re.Pattern, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` between matches of ``joints`` (an empty last part is left
    out): "X but make clear Y", "X and that Y", "A; B"."""
    parts = []
    for joint in joints.finditer(text, start, end):
        parts.append((start, joint.start()))
        start = joint.end()
    if start < end or not parts:
        parts.append((start, end))
    return parts
