"""Calendar arithmetic for DATE spans: ISO values, and the document's own date.

Pure functions over strings and ``datetime.date``; the dates component calls them. A value is an
ISO 8601 date or partial date ("1951-06-13", "1951-06", "1951"), or ``None`` where the expression,
read against the document's date, fixes no single one (ranges, seasons, "next week").
"""
from __future__ import annotations

import datetime as dt

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def expand_year(year: str) -> int:
    """Two-digit years in these documents are 20th-century ("13.6.51" -> 1951)."""
    value = int(year)
    return value + 1900 if len(year) == 2 else value


def iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """An ISO date or partial date, or ``None`` when the parts name no real day."""
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_iso(value: str | None) -> dt.date | None:
    """The day an ISO value names, if it names a whole day."""
    if value is None or len(value) != 10:
        return None
    return dt.date.fromisoformat(value)


def shift_days(anchor: dt.date | None, days: int) -> str | None:
    return None if anchor is None else (anchor + dt.timedelta(days=days)).isoformat()


def nearest_weekday(anchor: dt.date | None, weekday: int, *, direction: int = 0) -> str | None:
    """The date of ``weekday`` nearest to the anchor: within 3 days either way (``direction=0``),
    the next one after it (``1``) or the last one before it (``-1``)."""
    if anchor is None:
        return None
    if direction > 0:
        delta = (weekday - anchor.weekday()) % 7 or 7
    elif direction < 0:
        delta = -((anchor.weekday() - weekday) % 7 or 7)
    else:
        delta = (weekday - anchor.weekday()) % 7
        if delta > 3:
            delta -= 7
    return (anchor + dt.timedelta(days=delta)).isoformat()


def relative_month(anchor: dt.date | None, month: int, *, direction: int) -> str | None:
    """"last July" (``direction=-1``) or "next July" (``1``) seen from the anchor."""
    if anchor is None:
        return None
    year = anchor.year
    if direction < 0 and month >= anchor.month:
        year -= 1
    elif direction > 0 and month <= anchor.month:
        year += 1
    return iso(year, month)


def relative_unit(anchor: dt.date | None, unit: str, offset: int) -> str | None:
    """"this/last/next year" or "this/last/next month" seen from the anchor."""
    if anchor is None:
        return None
    if unit == "year":
        return iso(anchor.year + offset)
    if unit == "month":
        index = anchor.year * 12 + anchor.month - 1 + offset
        return iso(index // 12, index % 12 + 1)
    return None
