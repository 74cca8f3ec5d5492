"""DATE: calendar expressions, with ISO values resolved against the document's own date.

Reads ``doc.text``; writes DATE spans to ``doc.spans["archival"]`` (rule id in ``span.id_``, the
ISO value, when one is fixed, in ``span.kb_id_``) and the document's date, as found in its
dateline, a stand-alone date line or its first full date, to ``doc._.archival_document_date``.

The grammar (forms of dates) is code: the named regexes below, one rule id each. Relative
expressions ("today", "next week", "this morning") are data: ``date_relative.jsonl``, rules
``{"id", "cues", "days"?, "unit"?, "offset"?}`` where ``days`` shifts the document's date,
``unit``/``offset`` name this/last/next month or year, and neither means no fixed value.
"""

import datetime as dt
import re
from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..labels import DATE
from . import date_values as dv
from .base import RuleComponent, alternation, char_span, doc_text, span_group

DOCUMENT_DATE_ATTR = "archival_document_date"

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
#: No letter or digit may touch a date on either side.
_L, _R = r"(?<![\w])", r"(?![\w])"

#: Date forms, most specific first: the first alternative that matches at a position wins.
#: Each named group is one rule; ``date.`` + group name is the rule id on the span.
DATE_FORMS: list[tuple[str, str]] = [
    # "7-14 Aug", "7–14 August 1951": a range of days in one month (no single value).
    ("day_range", rf"{_DAY}\s?[-–]\s?{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?"),
    # "June 14, 1951", "June 14 1951", "August 14th, 1955".
    ("month_day_year", rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
    # "14 June 1951", "14th of June, 1951".
    ("day_month_year", rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"),
    # "June and July", "June-July 1951": months taken together (no single value).
    ("month_range", rf"{_MONTH}(?:\s+and\s+|\s?[-–]\s?){_MONTH}(?:,?\s+{_YEAR})?"),
    # "June 1951", "June, 1951".
    ("month_year", rf"{_MONTH},?\s+{_YEAR}"),
    # "May 29", "June 3rd".
    ("month_day", rf"{_MONTH}\s+{_DAY}"),
    # "13 June", "13th June".
    ("day_month", rf"{_DAY}\s+(?:of\s+)?{_MONTH}"),
    # "on 23rd", "morning of 24th": a day of the document's month, after a preposition, and not an
    # ordinal of a unit, a parallel or a meeting ("24th Division", "38th parallel", "5th session").
    (
        "day_of_month",
        r"(?=[0-9]|(?:morning|afternoon|evening|night|the)\s)"
        r"(?:(?<=\bon )|(?<=\bof )|(?<=\bby )|(?<=\bsince )|(?<=\buntil )|(?<=\bbefore )|(?<=\bafter )|(?<=\bfrom ))"
        r"(?:(?:morning|afternoon|evening|night)\s+of\s+)?(?:the\s+)?(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)"
        r"(?![\w])(?!\s+(?:[A-Z]|of\s+[A-Z]|army|armies|division|corps|regiment|brigade|battalion|group|fleet|"
        r"parallel|century|anniversary|floor|meeting|session|plenary|round|time|day|infantry|air|marine))",
    ),
    # "13.6.51", "30.6.1951": day.month.year, as in translated Soviet and Chinese documents.
    ("numeric_dmy", r"(?:[12][0-9]|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\.(?:[0-9]{4}|[0-9]{2})"),
    # "6/13/51": month/day/year, the American order of FRUS documents.
    ("numeric_mdy", r"(?:1[0-2]|0?[1-9])/(?:[12][0-9]|3[01]|0?[1-9])/(?:[0-9]{4}|[0-9]{2})"),
    # "fiscal 1952", "FY 1953", "FY53": a fiscal year is not a calendar year (no value).
    ("fiscal_year", r"(?:[Ff]iscal(?: [Yy]ear)?|FY) ?(?:19|20)?[0-9]{2}(?![0-9])"),
    # "1950–51", "1950-1952": a range of years (no single value).
    ("year_range", rf"{_YEAR}\s?[-–]\s?(?:{_YEAR}|[0-9]{{2}})"),
    # "last July", "early June", "mid-June".
    ("relative_month", rf"(?:(?:last|next|this|early|late)\s+|mid-){_MONTH}"),
    # "last Sunday", "next Monday", "Sunday morning".
    ("weekday", rf"(?:(?:last|next|this)\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?"),
    # "the next two months", "the past few weeks": periods without a single value. The singular
    # forms ("next week", "next year") are relative cues in date_relative.jsonl.
    (
        "relative_period",
        r"(?:the\s+)?(?:next|last|past|coming|previous|following)\s+"
        r"(?:few|two|three|four|five|six|seven|eight|nine|ten|several|[0-9]+)\s+(?:days|weeks|months|years)",
    ),
    # "spring 1951", "this autumn", "the winter of 1950": seasons have no value. A bare season
    # word is left alone ("fall" is mostly the verb).
    (
        "season",
        rf"(?:(?:this|last|next|the|early|late)\s+{_SEASON}(?:\s+(?:of\s+)?{_YEAR})?"
        rf"|(?i:{_SEASON})\s+(?:of\s+)?{_YEAR})",
    ),
    # "August" alone (not "May", which is far more often the verb).
    ("month", r"(?:January|February|March|April|June|July|August|September|October|November|December)"),
    # "in 1951", "1951": a year, but not a telegram number ("Deptel 1951").
    ("year", rf"(?<!tel )(?<!telegram )(?<!No\. )(?<!Nos\. ){_YEAR}"),
]
#: One scan for all forms. The boundary checks stand outside the alternation so that most
#: positions (inside words) are ruled out once instead of once per form.
DATE_RE = re.compile(
    rf"{_L}(?=[0-9A-Za-z])(?:" + "|".join(rf"(?P<{name}>{pattern})" for name, pattern in DATE_FORMS) + rf"){_R}"
)

#: A dateline: "New Delhi, June 3, 1951—4 p. m." (place, comma, full date) on a line's start.
DATELINE_RE = re.compile(
    rf"^[A-Z][^\n,]{{0,60}},\s+(?P<date>{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+{_MONTH},?\s+{_YEAR})",
    re.MULTILINE,
)
#: A line that is only a full date, e.g. under a signature.
DATE_LINE_RE = re.compile(
    rf"^[ \t]*(?P<date>{_MONTH}\s+{_DAY},?\s+{_YEAR}|{_DAY}\s+{_MONTH},?\s+{_YEAR}"
    r"|(?:[12][0-9]|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\.(?:[0-9]{4}|[0-9]{2}))[\"”]?[ \t]*$",
    re.MULTILINE,
)
#: How far into the text a dateline may stand.
DATELINE_WINDOW = 600

_PARTS_RE = re.compile(r"[0-9]+|[A-Za-z]+\.?")


def full_date_value(expression: str) -> str | None:
    """The ISO value of a full date written in any of the forms above."""
    numbers = [int(p) for p in _PARTS_RE.findall(expression) if p.isdigit()]
    words = [p for p in _PARTS_RE.findall(expression) if not p.isdigit()]
    months = [m for m in (dv.month_number(w) for w in words) if m]
    if months and len(numbers) >= 2:
        day, year = numbers[0], numbers[-1]
        return dv.iso(year, months[0], day)
    if "." in expression:
        day, month, year = expression.strip("\"” \t").split(".")
        return dv.iso(dv.expand_year(year), int(month), int(day))
    return None


def find_document_date(text: str) -> str | None:
    """The document's own date: its dateline, else a stand-alone date line, else its first full date."""
    match = DATELINE_RE.search(text, 0, DATELINE_WINDOW)
    if match is None:
        match = DATE_LINE_RE.search(text)
    if match is not None:
        return full_date_value(match.group("date"))
    for match in DATE_RE.finditer(text):
        if match.lastgroup in ("month_day_year", "day_month_year", "numeric_dmy"):
            return full_date_value(match.group(0))
    return None


class DateRuler(RuleComponent):
    """Tag DATE spans and resolve their ISO values against the document's own date."""

    rule_sets = {"relative": ("date_relative.jsonl", "cue")}
    label = DATE

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        if not Doc.has_extension(DOCUMENT_DATE_ATTR):
            Doc.set_extension(DOCUMENT_DATE_ATTR, default=None)

    def compile(self) -> None:
        cues = [(cue, rule) for rule in self.rules["relative"] for cue in rule["cues"]]
        cues.sort(key=lambda item: -len(item[0]))
        self.relative_by_cue = {cue.lower(): rule for cue, rule in cues}
        self.relative_re = re.compile(rf"{_L}{alternation((c for c, _ in cues), ignore_case=True)}{_R}", re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        document_date = find_document_date(doc_text(doc))
        doc._.set(DOCUMENT_DATE_ATTR, document_date)
        anchor = dv.parse_iso(document_date)
        year = int(document_date[:4]) if document_date else None
        text = doc_text(doc)
        found = [
            (match.start(), match.end(), f"date.{match.lastgroup}", VALUE_OF[match.lastgroup](match.group(0), anchor, year))
            for match in DATE_RE.finditer(text)
        ]
        spans: list[Span] = []
        taken = bytearray(len(text))  # characters already inside a date
        for start, end, rule_id, value in _join_ranges(text, found):
            span = char_span(doc, start, end, label=DATE, rule_id=rule_id, kb_id=value or "")
            if span is not None:
                spans.append(span)
                taken[start:end] = b"\x01" * (end - start)
        for match in self.relative_re.finditer(text):
            if any(taken[match.start():match.end()]):
                continue
            rule = self.relative_by_cue[match.group(0).lower()]
            value = _relative_value(rule, anchor)
            span = char_span(doc, *match.span(), label=DATE, rule_id=rule["id"], kb_id=value or "")
            if span is not None:
                spans.append(span)
        span_group(doc).extend(spans)
        return doc


#: What may stand between the two ends of a range of dates ("March 16 until March 31").
RANGE_JOIN_RE = re.compile(r"\s*(?:-|–|—|to|until|till|through|thru|and)\s*")
RANGE_RULE = "date.range"


def _join_ranges(text: str, found: list[tuple[int, int, str, str | None]]) -> list[tuple[int, int, str, str | None]]:
    """Join two dates with only a range word between them into one span without a value."""
    joined: list[tuple[int, int, str, str | None]] = []
    for start, end, rule_id, value in found:
        if joined and RANGE_JOIN_RE.fullmatch(text, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end, RANGE_RULE, None)
        else:
            joined.append((start, end, rule_id, value))
    return joined


def _relative_value(rule: dict, anchor: dt.date | None) -> str | None:
    if "days" in rule:
        return dv.shift_days(anchor, int(rule["days"]))
    if "unit" in rule:
        return dv.relative_unit(anchor, rule["unit"], int(rule.get("offset", 0)))
    return None


#: A day or month without a year is read in the document's year, unless that puts it further
#: ahead of the document than messages of the period look forward; then it is last year's.
MAX_DAYS_AHEAD = 60
MAX_MONTHS_AHEAD = 2


def _month_day(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    words = _PARTS_RE.findall(text)
    month = next(m for m in (dv.month_number(w) for w in words if not w.isdigit()) if m)
    day = int(next(w for w in words if w.isdigit()))
    if year is None:
        return None
    value = dv.iso(year, month, day)
    date = dv.parse_iso(value)
    if anchor is not None and date is not None and (date - anchor).days > MAX_DAYS_AHEAD:
        value = dv.iso(year - 1, month, day)
    return value


def _month_year(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    words = _PARTS_RE.findall(text)
    month = next(m for m in (dv.month_number(w) for w in words if not w.isdigit()) if m)
    return dv.iso(int(words[-1]), month)


#: A day of the month named alone lies in the document's month, unless that is this far ahead of
#: the document: then it is last month's ("on 28th" in a telegram of 3 March is 28 February).
MAX_DAY_OF_MONTH_AHEAD = 7


def _day_of_month(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    if anchor is None:
        return None
    day = int(re.search(r"[0-9]+", text).group(0))
    month_year = (anchor.year, anchor.month)
    if day - anchor.day > MAX_DAY_OF_MONTH_AHEAD:
        month_year = (anchor.year - 1, 12) if anchor.month == 1 else (anchor.year, anchor.month - 1)
    return dv.iso(*month_year, day)


def _numeric_mdy(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    month, day, yy = text.split("/")
    return dv.iso(dv.expand_year(yy), int(month), int(day))


def _relative_month(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    modifier, month_word = re.split(r"[\s-]+", text, maxsplit=1)
    month = dv.month_number(month_word)
    if month is None:
        return None
    direction = {"last": -1, "next": 1}.get(modifier.lower())
    if direction is None:
        return dv.iso(year, month) if year else None
    return dv.relative_month(anchor, month, direction=direction)


def _weekday(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    words = text.split()
    direction = {"last": -1, "next": 1}.get(words[0].lower(), 0)
    weekday = next(dv.WEEKDAYS[w.lower()] for w in words if w.lower() in dv.WEEKDAYS)
    return dv.nearest_weekday(anchor, weekday, direction=direction)


def _month_alone(text: str, anchor: dt.date | None, year: int | None) -> str | None:
    month = dv.month_number(text)
    if not year or not month:
        return None
    if anchor is not None and month - anchor.month > MAX_MONTHS_AHEAD:
        year -= 1
    return dv.iso(year, month)


def _no_value(text: str, anchor: dt.date | None, year: int | None) -> None:
    return None


#: How each form's ISO value is computed: (matched text, document date, document year) -> value.
VALUE_OF: dict[str, Callable[[str, dt.date | None, int | None], str | None]] = {
    "day_range": _no_value,
    "month_day_year": lambda text, anchor, year: full_date_value(text),
    "day_month_year": lambda text, anchor, year: full_date_value(text),
    "month_range": _no_value,
    "month_year": _month_year,
    "month_day": _month_day,
    "day_month": _month_day,
    "day_of_month": _day_of_month,
    "numeric_dmy": lambda text, anchor, year: full_date_value(text),
    "numeric_mdy": _numeric_mdy,
    "fiscal_year": _no_value,
    "year_range": _no_value,
    "relative_month": _relative_month,
    "weekday": _weekday,
    "relative_period": _no_value,
    "season": _no_value,
    "month": _month_alone,
    "year": lambda text, anchor, year: dv.iso(int(text)),
}


@Language.factory("archival_dates", assigns=["doc.spans", f"doc._.{DOCUMENT_DATE_ATTR}"], default_config={})
def make_dates(nlp: Language, name: str) -> DateRuler:
    return DateRuler(nlp, name)
