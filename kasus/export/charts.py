"""Indicator trend charts for the HTML (SVG) and Word (PNG) summaries, drawn once."""

from __future__ import annotations

import io
import re

import matplotlib

# Agg before anything else draws: exports run headless (CI, SSH) where no GUI backend exists.
matplotlib.use("Agg")

from matplotlib.figure import Figure

from kasus.export.summary import IndicatorLine

FIGSIZE = (5.0, 2.2)  # inches: small enough to sit beside a table on a printed page
_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
# No Creator/Date: the same data gives the same bytes, and no metadata URLs in the file.
_NO_METADATA: dict[str, str | None] = {"Creator": None, "Date": None, "Format": None,
                                       "Type": None}


def trend_figure(line: IndicatorLine) -> Figure:
    """The indicator's yearly values as a line with markers, titled with its verdict."""
    # A bare Figure, not pyplot: no global figure registry to leak memory in a long session.
    figure = Figure(figsize=FIGSIZE, layout="constrained")
    axes = figure.add_subplot()
    years = sorted(line.values)
    if years:
        axes.plot(years, [line.values[year] for year in years], marker="o", color="#2b6cb0")
        axes.set_xticks(years)
        axes.set_xticklabels([str(year) for year in years])
    else:
        axes.text(0.5, 0.5, "no values", ha="center", va="center", transform=axes.transAxes)
        axes.set_xticks([])
    axes.set_title(f"{line.id}: {line.verdict}", fontsize=10)
    axes.set_ylabel(line.unit, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.grid(True, alpha=0.3)
    return figure


def _key(line: IndicatorLine) -> tuple[object, ...]:
    return (line.id, line.name, line.unit, tuple(sorted(line.values.items())), line.verdict)


# A site profile or goal summary shows the same indicator under many codes: draw it once.
_PNG_CACHE: dict[tuple[object, ...], bytes] = {}


def chart_png(line: IndicatorLine, dpi: int = 150) -> bytes:
    """The chart as PNG bytes, for Word."""
    key = (*_key(line), dpi)
    if key not in _PNG_CACHE:
        buffer = io.BytesIO()
        trend_figure(line).savefig(buffer, format="png", dpi=dpi)
        _PNG_CACHE[key] = buffer.getvalue()
    return _PNG_CACHE[key]


def chart_svg(line: IndicatorLine, id_prefix: str = "") -> str:
    """The chart as SVG markup without the XML prolog, for inlining in HTML.

    Text stays text (svg.fonttype none) so it is searchable and small; the hash salt makes
    element ids deterministic and distinct per chart, since several share one HTML page.
    """
    buffer = io.StringIO()
    salt = f"{id_prefix}{line.id}"
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        trend_figure(line).savefig(buffer, format="svg", metadata=_NO_METADATA)
    return _PROLOG.sub("", buffer.getvalue()).strip()
