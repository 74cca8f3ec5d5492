"""Where a proposal's content lies relative to its cue: one finder per kind of cue rule (see
proposals.py for the kinds). A finder takes the text, the cue's match and the sentence around it,
and returns the (start, end) offsets of the proposals it finds.
"""
import re

from .clauses import sentence_bounds, split_at

KINDS = ("after_cue", "object_to", "before_cue", "imperative", "modal", "terms")
#: A numbered list item at the start of a line: "1. To wait ..." or "2) ...".
LIST_ITEM_RE = re.compile(r"^[ \t]*[0-9]{1,2}[.)][ \t]+(?P<item>[^\n]+)$", re.MULTILINE)
#: What stands between a cue and a colon when the proposals follow as a list:
#: "It is better to act in this way:", "We propose the following:".
LIST_INTRO_RE = re.compile(r"\s*(?:(?:act|proceed|do it)\s+in\s+(?:this|the following)\s+(?:way|manner)|(?:as\s+)?follows|the\s+following(?:\s+\w+)?)?\s*")
#: A framing phrase at the start of a list item is not part of the proposal.
ITEM_FRAME_RE = re.compile(r"(?:It is hoped that|We hope that|It is desirable that|We believe that|We think that)[,\s]+")
#: Items of a list written inline after a colon: "as follows: a. X. b. Y." or "(1) X; (2) Y".
INLINE_ITEM_RE = re.compile(r"(?:^|(?<=\s))(?:\([a-z0-9]{1,2}\)|[a-z0-9][.)])\s+")
#: "recommended by GOI about as follows:": the list follows the colon.
FOLLOWS_RE = re.compile(r"\b(?:as\s+follows|the\s+following(?:\s+\w+)?)\s*$")
#: A parenthesized item letter or number inside a clause: "(a) ", "(2) ".
LETTERED_RE = re.compile(r"\([a-z0-9]\)\s+")
#: What joins an item to the next one: ", and", "; or".
JOINER_RE = re.compile(r"[,;]?\s+(?:and|or)?\s*$")
#: A proposal told as already settled or already refused puts nothing forward any more:
#: "proposed traffic lanes which were accepted in principle", "a proposal that X will by no means
#: be accepted".
SETTLED_RE = re.compile(
    r"\b(?:was|were|has been|have been|had been|will(?: by no means| not| never)? be|cannot be|can not be)\s+"
    r"(?:\w+\s+)?(?:accepted|approved|rejected|refused|adopted|implemented|carried out)\b"
)
#: What separates terms in a list of them.
SEMICOLON_RE = re.compile(";")
#: A second complement clause of the same cue: "agreed that X and that Y".
AND_THAT_RE = re.compile(r",?\s+and\s+that\s+")
#: A proposal cue that is the verb of a condition ("If America firmly insists that X") puts
#: nothing forward; one after a condition ("If Department agrees Embassy would appreciate X") does.
CONDITION_RE = re.compile(r"\b(?:[Ii]f|[Ii]n case|[Uu]nless|[Ww]hether)\s+(?:\S+\s+){0,2}$")
#: A cue in the past perfect narrates what was proposed before: "Hutchison had recommended X".
PAST_PERFECT_RE = re.compile(r"\bhad\s+(?:\w+\s+)?$")
#: Where the subject of a modal clause starts: after these words or punctuation.
CLAUSE_OPENER_RE = re.compile(
    r"(?:[;:,(]|\b(?:(?i:that|but|believe|think|feel|consider|agree|suggest|recommend)|believe[sd]|thinks|thought|feels"
    r"|felt|considers|considered|agree[sd]|suggests|suggested|recommends|recommended|hope[sd]?|said|says|stated|states"
    r"|added|adds))\s+"
)
#: "should the need arise", "should there be": an inverted condition, not a proposal.
INVERSION_RE = re.compile(r"\s+(?:the|a|an|there|it|they|he|she|we|this|that|these|those|any|such)\b")
#: A reason or condition appended to a proposal is not part of it: ", since ...".
CLAUSE_TAIL_RE = re.compile(r",\s+(?:since|because|as|for|unless|so that|in view of)\b")
#: The same subject goes on to say something else: "He asked that X and urged that Y".
NEXT_REPORT_RE = re.compile(r",?\s+and\s+(?:also\s+)?(?:[a-z]+ed|said|told|thought|felt|says|asks|urges|insists|adds)\s+that\b")
#: A clause that is a condition or a question, not a proposal.
CONDITIONAL_RE = re.compile(
    r"\b(?:[Ii]f|[Ii]n case|[Ww]hether|[Ww]hat|[Hh]ow|[Ww]hy|[Ww]hich|[Ww]ho|[Ss]ince|[Bb]ecause|[Ss]o that)\b"
)
#: The addressee of a request, then "to" and the requested action: " the GOI, at once, to ".
OBJECT_TO_RE = re.compile(r"\s+(?P<addressee>[^.;:!?\n]{1,80}?)\s+to\s+(?=[a-z])")
#: Words that make what stands between the cue and "to" a clause, not an addressee: "asked if
#: the Chinese would like to", "requests that ... to".
NOT_ADDRESSEE_RE = re.compile(r"\b(?:if|whether|that|which|who|what|how|would|will|wld|should|shld|could|can|may|might|is|are|was|were|be|been|not|has|have|had)\b")
#: A passive cue that ends its clause: "are requested." / "is recommended;".
CLOSES_CLAUSE_RE = re.compile(r"\s*(?:[.;!?\]”\"]|$)")
#: A subject that names nothing: "It is requested.", "This is suggested."
IMPERSONAL_RE = re.compile(r"(?:it|this|that|which|what|as|none)\s*$", re.IGNORECASE)
#: An imperative cue used as a noun or a finite verb: "Report comes from ...", "Press and others".
NOUN_USE_RE = re.compile(r"\s+(?:for|of|from|and|or|is|was|are|were|has|had|have|will|would|comes|came|says|said|requires|indicates|shows)\b")
#: The addressee between a cue and "that": "recommended to Lansdale that he return".
ADDRESSEE_THAT_RE = re.compile(r"\s+to\s+[^.;:,\n]{1,40}?\s+that\b")
#: A term counted out in words: "first, ", "; secondly, ".
ORDINAL_TERM_RE = re.compile(r"(?:^|[;:]\s*)(?i:first|second|third|fourth|fifth|sixth|finally)(?:ly)?,\s", re.MULTILINE)
#: Space to skip (without copying the rest of a long text).
SPACE_RE = re.compile(r"\s*")
#: How many sentences of an unnumbered paragraph of terms are taken as terms.
MAX_LIST_SENTENCES = 6
#: Content longer than this is a runaway match, not a clause.
MAX_CHARS = 600


def _clause_end(text: str, start: int, sentence_end: int) -> int:
    semicolon = text.find(";", start, sentence_end)
    end = sentence_end if semicolon < 0 else semicolon
    tail = CLAUSE_TAIL_RE.search(text, start, end) or NEXT_REPORT_RE.search(text, start, end)
    return end if tail is None else tail.start()


#: A complementizer between a cue and its content ("We propose that X" -> "X").
THAT_RE = re.compile(r"\s+that\b")


def _after_cue(text: str, match: re.Match, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    clause_start = _clause_start(text, sentence[0], match.start())
    if CONDITION_RE.search(text, clause_start, match.start()) or PAST_PERFECT_RE.search(text, clause_start, match.start()):
        return []
    start = match.end()
    addressee = ADDRESSEE_THAT_RE.match(text, start)
    if addressee is not None:
        start = addressee.end()
    that = THAT_RE.match(text, start)
    if that is not None:
        start = that.end()
    colon = text.find(":", start, sentence[1])
    if colon >= 0:
        if LIST_INTRO_RE.fullmatch(text, start, colon) or FOLLOWS_RE.search(text, start, colon):
            return _list_items(text, colon + 1)
        return [(start, colon)]  # "proposals for joint representations: 1. ..." names the proposal
    end = _clause_end(text, start, sentence[1])
    if not text[start:end].strip(" :"):
        return _list_items(text, sentence[1])
    if SETTLED_RE.search(text, start, end):
        return []
    return _enumerated(text, start, end) or split_at(AND_THAT_RE, text, start, end)  # "agreed that X and that Y"


def _enumerated(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of "several grounds, preferably (a) X, and (b) Y": X and Y, when there are two
    or more."""
    markers = list(LETTERED_RE.finditer(text, start, end))
    if len(markers) < 2:
        return []
    ends = [m.start() for m in markers[1:]] + [end]
    return [(m.end(), _strip_joiner(text, m.end(), item_end)) for m, item_end in zip(markers, ends)]


def _strip_joiner(text: str, start: int, end: int) -> int:
    joiner = JOINER_RE.search(text, start, end)
    return end if joiner is None else joiner.start()


def _list_items(text: str, after: int) -> list[tuple[int, int]]:
    """The numbered items that follow a cue like "It is better to act in this way:", one per
    line, or written inline in the same paragraph ("as follows: a. X. b. Y."), or else the
    sentences of the next paragraph."""
    window_end = min(len(text), after + 2 * MAX_CHARS)
    paragraph_end = text.find("\n\n", after, window_end)
    paragraph_end = window_end if paragraph_end < 0 else paragraph_end
    markers = list(INLINE_ITEM_RE.finditer(text, after, paragraph_end))
    if markers and not text[after:markers[0].start()].strip():
        ends = [m.start() for m in markers[1:]] + [paragraph_end]
        return [(m.end(), end) for m, end in zip(markers, ends)]
    items = []
    for match in LIST_ITEM_RE.finditer(text, after, min(len(text), after + 20 * MAX_CHARS)):
        gap = text[after:match.start()]
        if gap.strip():
            break
        start, end = match.span("item")
        frame = ITEM_FRAME_RE.match(text, start, end)
        items.append((frame.end() if frame else start, end))
        after = match.end()
    return items or _paragraph_sentences(text, after)


def _paragraph_sentences(text: str, after: int) -> list[tuple[int, int]]:
    """Unnumbered terms: each sentence of the paragraph that follows the colon, and each term of
    one that counts them out ("first, A; second, B")."""
    start = SPACE_RE.match(text, after).end()
    end = text.find("\n\n", start, start + 2 * MAX_CHARS)
    end = min(len(text), start + 2 * MAX_CHARS) if end < 0 else end
    terms = []
    for s, e in sentence_bounds(text[start:end]):
        for term_start, term_end in _semicolon_terms(text, start + s, start + e):
            terms.append((term_start, term_end))
    return terms[:MAX_LIST_SENTENCES]


def _semicolon_terms(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Terms counted out in words and joined by ";" are separate proposals: "first, A; second,
    B". A sentence that merely has a ";" stays whole."""
    if len(ORDINAL_TERM_RE.findall(text, start, end)) < 2:
        return [(start, end)]
    return split_at(SEMICOLON_RE, text, start, end)


def _object_to(text: str, match: re.Match, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    to = OBJECT_TO_RE.match(text, match.end(), sentence[1])
    if to is None or NOT_ADDRESSEE_RE.search(to.group("addressee")):
        return []
    return [(to.end(), _clause_end(text, to.end(), sentence[1]))]


def _before_cue(text: str, match: re.Match, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    if not CLOSES_CLAUSE_RE.match(text, match.end()):
        return []
    start = _clause_start(text, sentence[0], match.start())
    if IMPERSONAL_RE.match(text, start, match.start()):
        return []
    return [(start, match.start())]


def _imperative(text: str, match: re.Match, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    if NOUN_USE_RE.match(text, match.end()):
        return []
    lead = text[sentence[0]:match.start()].strip()
    if lead and not re.fullmatch(r"(?:\(?[0-9]{1,2}[.)]|\(?[A-Za-z][.)]|You should|[Yy]ou are to|Please)", lead):
        return []
    return [(match.start(), _clause_end(text, match.start(), sentence[1]))]


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    """Where the clause holding ``position`` starts: after the last opener before it."""
    opener = None
    for opener in CLAUSE_OPENER_RE.finditer(text, sentence_start, position):
        pass
    return sentence_start if opener is None else opener.end()


def _modal(text: str, match: re.Match, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    start = _clause_start(text, sentence[0], match.start())
    if CONDITIONAL_RE.search(text, start, match.start()) or start == match.start():
        return []
    if INVERSION_RE.match(text, match.end()):
        return []
    return [(start, _clause_end(text, match.end(), sentence[1]))]


def _terms(text: str, match: re.Match, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    colon = text.find(":", match.end(), sentence[1])
    if colon < 0 or colon - match.end() > 80:
        return []
    spans, start = [], colon + 1
    while start < sentence[1]:
        end = _clause_end(text, start, sentence[1])
        spans.append((start, end))
        start = end + 1
    return spans


FINDERS = {"after_cue": _after_cue, "object_to": _object_to, "before_cue": _before_cue, "imperative": _imperative, "modal": _modal, "terms": _terms}
