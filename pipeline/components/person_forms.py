"""Finishing touches on the PERSON spans of one document, once all rules have found theirs:
initials written after a surname join it, a knight named by his given name takes his full
name's canonical name, and a surname takes the canonical name of the full name it shortens.
"""
import re
from collections import defaultdict

from spacy.tokens import Doc, Span

from ..labels import PERSON
from .base import char_span

#: Initials written after a surname, as Soviet documents do: "Vishinsky, A.Ya.", "Stalin I.V.".
TRAILING_INITIALS_RE = re.compile(r"(?:,[ \t]?(?:[A-Z][a-z]?\.[ \t]?){1,3}|[ \t](?:[A-Z][a-z]?\.){2,3})(?![\w])")


def with_trailing_initials(doc: Doc, text: str, span: Span) -> Span:
    """The span with the initials that follow it ("Vishinsky, A.Ya." is one name)."""
    initials = TRAILING_INITIALS_RE.match(text, span.end_char)
    if initials is None or " " in text[span.start_char:span.end_char]:
        return span
    end = initials.end()
    while text[end - 1] in " \t":
        end -= 1
    extended = char_span(doc, span.start_char, end, label=PERSON, rule_id=span.id_, kb_id=span.kb_id_)
    return span if extended is None else extended


#: A knight or a peeress is named by the given name: "Sir Oliver" is Sir Oliver Franks.
GIVEN_NAME_TITLE_RE = re.compile(r"(?:Sir|Lady|Dame)[ \t]+$")


def name_knights_by_their_full_names(text: str, spans: list[Span]) -> None:
    """"Sir Oliver" takes the canonical name of "Oliver Franks" in the same document, and is
    never read as a surname ("Oliver" the surname of another person)."""
    for span in spans:
        if GIVEN_NAME_TITLE_RE.search(text, max(0, span.start_char - 6), span.start_char) is None:
            continue
        name = text[span.start_char:span.end_char]
        if " " in name:
            continue
        full = {
            other.kb_id_
            for other in spans
            if other.end_char - other.start_char > len(name) and text.startswith(name + " ", other.start_char)
        }
        span.kb_id_ = next(iter(full)) if len(full) == 1 else name


#: A generational suffix after a surname: "James S. Lay, Jr.".
JUNIOR_RE = re.compile(r",? Jr\.$")


def complete_unknown_names(text: str, spans: list[Span]) -> None:
    """Give a surname the canonical name of the fuller name it shortens in the same document:
    a memo signed "Elmer B. Staats" and headed "(Staats)" is about one person. Only names the
    gazetteer does not know (their canonical name is the name as written) are completed."""
    full_names: dict[str, set[str]] = defaultdict(set)
    for span in spans:
        if " " in span.kb_id_:
            full_names[JUNIOR_RE.sub("", span.kb_id_).split(" ")[-1]].add(span.kb_id_)
    if not full_names:
        return
    for span in spans:
        name = text[span.start_char:span.end_char]
        if span.kb_id_ == name and " " not in name and len(full_names.get(name, ())) == 1:
            span.kb_id_ = next(iter(full_names[name]))
