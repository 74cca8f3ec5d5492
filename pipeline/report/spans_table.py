"""spans.csv: one row per predicted span, appended batch by batch as a run goes.

Text cells that a spreadsheet would run as a formula ("=HYPERLINK(...)" from a file name or a
transcription) are written with a leading apostrophe, the usual guard against CSV injection.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

COLUMNS = ["doc_id", "start", "end", "label", "text", "kb_id", "value", "rule"]
TEXT_COLUMNS = ["doc_id", "text", "kb_id", "value", "rule"]
#: What a spreadsheet takes for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def span_rows(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"doc_id": record["doc_id"], **span} for record in records for span in record["spans"]]


def defuse_formula(value: Any) -> Any:
    """``"=1+1"`` -> ``"'=1+1"``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_spans_csv(records: Iterable[dict[str, Any]], path: Path, *, append: bool) -> None:
    """Write (or append) the spans of ``records`` to ``path`` with a header only at the start."""
    frame = pd.DataFrame(span_rows(records), columns=COLUMNS)
    for column in TEXT_COLUMNS:
        frame[column] = frame[column].map(defuse_formula)
    write_header = not append or not path.exists() or path.stat().st_size == 0
    frame.to_csv(path, mode="a" if append else "w", header=write_header, index=False)
