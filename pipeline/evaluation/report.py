"""Write an evaluation to a report folder: report.html, report.md and one CSV per table.

``scores.csv`` has exactly the columns ``evaluate.SCORE_COLUMNS``, one row per matching and
label (the five labels, then ``ALL`` for the micro average); macro averages are in ``macro.csv``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .evaluator import Evaluation
from .html import render_html
from .tables import WORST_DOCUMENTS, all_tables, delta_summary, markdown, score_summary

log = logging.getLogger(__name__)


def render_markdown(*, evaluation: Evaluation) -> str:
    """report.md: the headline tables in Markdown (the CSV files hold the rest)."""
    system = evaluation.system
    tables = all_tables(evaluation=evaluation)
    parts = [
        "# Evaluation report",
        f"{evaluation.n_documents} gold documents from `{evaluation.gold_path}`; predictions from "
        f"`{system.path}`. Intervals: 95% percentile bootstrap over documents "
        f"({evaluation.n_resamples} resamples, seed {evaluation.seed}).",
        "## Scores",
        markdown(score_summary(system=system)),
    ]
    if system.missing:
        parts += ["Gold documents with no prediction (scored as all missed): "
                  + ", ".join(f"`{d}`" for d in system.missing)]
    if evaluation.baseline is not None:
        parts += ["## Against the baseline", f"Baseline: `{evaluation.baseline.path}`. Paired bootstrap over "
                  "documents; a delta is more than noise when its interval excludes 0.",
                  markdown(delta_summary(evaluation=evaluation))]
    worst = tables["documents"].head(WORST_DOCUMENTS)
    parts += [
        "## Confusion (same boundaries)", markdown(tables["confusion"], index=True),
        "## Normalized values on matched spans", markdown(tables["values"]),
        "## Precision per rule", markdown(tables["rules"]),
        "## Worst documents", markdown(worst),
        f"## Errors\n\n{len(system.errors)} errors; `errors.csv` lists them with context.",
    ]
    return "\n\n".join(parts) + "\n"


def write_report(*, evaluation: Evaluation, out_dir: Path | str) -> list[Path]:
    """Write report.html, report.md and every table as CSV into ``out_dir``; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, frame in all_tables(evaluation=evaluation).items():
        path = out / f"{stem}.csv"
        frame.to_csv(path, index=stem.endswith("confusion"))
        written.append(path)
    for name, text in (("report.md", render_markdown(evaluation=evaluation)),
                       ("report.html", render_html(evaluation=evaluation))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    log.info("wrote %d report files to %s", len(written), out)
    return written
