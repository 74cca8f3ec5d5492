"""The report's tables as pandas DataFrames, and their plain-text and Markdown renderings.

Presentation only: every number comes from ``evaluate()``; this module arranges, names and
formats them.
"""
from __future__ import annotations

import math

import pandas as pd

from .confusion import COLUMNS, ROWS
from .evaluator import SCORE_COLUMNS, Evaluation, SystemScores

#: How many of the worst documents the report shows and lists first.
WORST_DOCUMENTS = 5


def system_tables(*, system: SystemScores, prefix: str = "") -> dict[str, pd.DataFrame]:
    """Every table of one prediction set, by CSV file stem."""
    confusion = pd.DataFrame(system.confusion).T.loc[list(ROWS), list(COLUMNS)]
    confusion.index.name = "gold \\ predicted"
    documents = pd.DataFrame(system.per_document)
    if not documents.empty:
        documents = documents.sort_values(["strict_f1", "strict_errors", "doc_id"], ascending=[True, False, True],
                                          na_position="last")
    return {
        f"{prefix}scores": pd.DataFrame(system.scores, columns=list(SCORE_COLUMNS)),
        f"{prefix}macro": pd.DataFrame(system.macro),
        f"{prefix}documents": documents,
        f"{prefix}rules": pd.DataFrame(system.rules, columns=["rule", "label", "pred", "tp_strict",
                                                              "precision_strict", "tp_overlap", "precision_overlap"]),
        f"{prefix}values": pd.DataFrame(system.values),
        f"{prefix}confusion": confusion,
        f"{prefix}errors": pd.DataFrame(system.errors, columns=[
            "doc_id", "kind", "start", "end", "gold_label", "pred_label", "gold_text", "pred_text",
            "gold_value", "pred_value", "rule", "context"]),
        f"{prefix}missing": pd.DataFrame({"doc_id": list(system.missing)}),
    }


def all_tables(*, evaluation: Evaluation) -> dict[str, pd.DataFrame]:
    """Every table of the report, by CSV file stem (baseline tables prefixed ``baseline_``)."""
    tables = system_tables(system=evaluation.system)
    if evaluation.baseline is not None:
        tables.update(system_tables(system=evaluation.baseline, prefix="baseline_"))
        tables["deltas"] = pd.DataFrame(evaluation.deltas)
    return tables


def fmt(value: object, digits: int = 3) -> str:
    """A number for people: fixed digits, and an em dash where there is nothing to measure."""
    if isinstance(value, float):
        return "—" if math.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def score_summary(*, system: SystemScores) -> pd.DataFrame:
    """One row per label (and ALL, MACRO); P, R, F1 with its interval under each matching."""
    rows: dict[str, dict[str, str]] = {}
    for row in system.scores + system.macro:
        out = rows.setdefault(row["label"], {"label": row["label"]})
        m = row["matching"]
        out[f"{m} P"] = fmt(row["precision"])
        out[f"{m} R"] = fmt(row["recall"])
        out[f"{m} F1 [95% CI]"] = f"{fmt(row['f1'])} [{fmt(row['f1_low'])}, {fmt(row['f1_high'])}]"
    for row in system.scores:  # gold and predicted counts do not depend on the matching
        rows[row["label"]].update(gold=str(row["gold"]), pred=str(row["pred"]))
    return pd.DataFrame(list(rows.values())).fillna("")


def delta_summary(*, evaluation: Evaluation) -> pd.DataFrame:
    """F1 deltas against the baseline, with the paired interval and whether it is more than noise."""
    rows = [
        {"matching": r["matching"], "label": r["label"], "F1": fmt(r["f1"]), "baseline F1": fmt(r["f1_baseline"]),
         "delta": fmt(r["delta"]), "95% CI": f"[{fmt(r['delta_low'])}, {fmt(r['delta_high'])}]",
         "p": fmt(r["p_value"]), "more than noise": "yes" if r["significant"] else "no"}
        for r in evaluation.deltas
    ]
    return pd.DataFrame(rows)


def markdown(frame: pd.DataFrame, *, index: bool = False) -> str:
    """A GitHub Markdown table (pandas' own needs the optional ``tabulate``)."""
    if index:
        frame = frame.reset_index()
    header = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    for row in frame.itertuples(index=False):
        cells = [fmt(v).replace("|", "\\|").replace("\n", " ") for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def terminal_text(*, evaluation: Evaluation) -> str:
    """The table ``archival-ner evaluate`` prints."""
    system = evaluation.system
    parts = [
        f"{evaluation.n_documents} gold documents; predictions: {system.path}",
        score_summary(system=system).to_string(index=False),
    ]
    for name, scored in (("predictions", system), ("baseline", evaluation.baseline)):
        if scored is not None and scored.missing:
            parts.append(f"{len(scored.missing)} gold document(s) had no {name} (scored as all missed): "
                         + ", ".join(scored.missing))
    if evaluation.baseline is not None:
        parts.append(f"baseline: {evaluation.baseline.path}")
        parts.append(delta_summary(evaluation=evaluation).to_string(index=False))
    return "\n\n".join(parts)
