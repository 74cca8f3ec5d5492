"""The report's charts, drawn with matplotlib's Agg canvas and returned as PNG bytes.

Figures are made with ``matplotlib.figure.Figure`` and ``FigureCanvasAgg`` directly, never
through ``pyplot``: no global backend is chosen and no figure outlives its function.
"""
from __future__ import annotations

import base64
import io
import math

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..labels import COLORS, LABELS
from .confusion import COLUMNS, ROWS
from .matching import MATCHINGS
from .scores import ALL


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def data_uri(png: bytes) -> str:
    """A PNG as a ``data:`` URI, so the HTML report needs no other file."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def f1_chart(*, scores: list[dict], title: str = "F1 per label (95% bootstrap interval)") -> bytes:
    """Horizontal bars of F1 per label and ALL, one bar per matching, with interval whiskers."""
    names = [*LABELS, ALL]
    figure = Figure(figsize=(7.5, 4.2))
    axes = figure.add_subplot()
    height = 0.8 / len(MATCHINGS)
    for m, matching in enumerate(MATCHINGS):
        by_label = {r["label"]: r for r in scores if r["matching"] == matching}
        ys, widths, errors = [], [], [[], []]
        for i, name in enumerate(names):
            row = by_label[name]
            f1 = 0.0 if math.isnan(row["f1"]) else row["f1"]
            low = f1 if math.isnan(row["f1_low"]) else row["f1_low"]
            high = f1 if math.isnan(row["f1_high"]) else row["f1_high"]
            ys.append(i + (m - (len(MATCHINGS) - 1) / 2) * height)
            widths.append(f1)
            errors[0].append(max(0.0, f1 - low))
            errors[1].append(max(0.0, high - f1))
        colors = [COLORS.get(name, "#999999") for name in names]
        axes.barh(ys, widths, height=height * 0.95, xerr=errors, capsize=3, color=colors,
                  edgecolor="#333333", hatch="" if m == 0 else "//", label=matching)
        for y, name in zip(ys, names):
            f1 = by_label[name]["f1"]
            axes.text(0.01, y, "—" if math.isnan(f1) else f"{f1:.2f}", va="center", fontsize=7,
                      bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})
    axes.set_yticks(range(len(names)), names)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel("F1")
    axes.set_title(title)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), title="matching")
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)


def confusion_chart(*, confusion: dict[str, dict[str, int]]) -> bytes:
    """The confusion table as a heatmap with the counts written in the cells."""
    values = [[confusion[row][column] for column in COLUMNS] for row in ROWS]
    figure = Figure(figsize=(7.5, 5.0))
    axes = figure.add_subplot()
    image = axes.imshow(values, cmap="Blues")
    figure.colorbar(image, ax=axes, shrink=0.8, label="spans")
    axes.set_xticks(range(len(COLUMNS)), COLUMNS, rotation=30, ha="right")
    axes.set_yticks(range(len(ROWS)), ROWS)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    axes.set_title("Same boundaries: gold label x predicted label")
    peak = max((v for row in values for v in row), default=0)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            axes.text(c, r, str(value), ha="center", va="center",
                      color="white" if peak and value > peak / 2 else "black", fontsize=9)
    return _png(figure)
