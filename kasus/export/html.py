"""The theme summary as one self-contained, printable HTML file with inline SVG charts."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kasus.export.charts import chart_svg
from kasus.export.summary import IndicatorLine, Passage, ThemeSummary

TEMPLATES = Path(__file__).parent / "templates"
# The HTML parser gives inline <svg> its namespaces itself; dropping the declarations keeps
# the file free of any URL, so "no external reference" is checkable by a plain text search.
_NAMESPACE = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


def reference(passage: Passage) -> str:
    """The citation under a passage, as in the Markdown summary."""
    return (f"{passage.site}, {passage.role or 'ukjent rolle'}, {passage.date} "
            f"({passage.document_id}; coder {passage.coder})")


def evidence(line: IndicatorLine) -> str:
    return ", ".join(f"{n} {stance}" for stance, n in line.stances.items() if n) or "–"


def years_of(lines: list[IndicatorLine]) -> list[int]:
    return sorted({year for line in lines for year in line.values})


def _environment() -> Environment:
    # FileSystemLoader next to this module: works from a checkout and an installed wheel alike
    # as long as the template ships as package data.
    environment = Environment(loader=FileSystemLoader(TEMPLATES),
                              autoescape=select_autoescape(["html", "j2"],
                                                           default_for_string=True),
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.globals.update(reference=reference, evidence=evidence, years_of=years_of,
                               number=lambda value: f"{value:g}")
    return environment


def inline_svg(line: IndicatorLine, id_prefix: str) -> Markup:
    """A chart's SVG markup for embedding in the page (our own markup, so marked safe)."""
    return Markup(_NAMESPACE.sub("", chart_svg(line, id_prefix)))


def summary_html(summary: ThemeSummary) -> str:
    """The theme summary as HTML: the Markdown summary's content and order, plus charts."""
    # Only codes with passages show their indicators, as in the Markdown summary.
    charts = {(item.code.id, line.id): inline_svg(line, f"{item.code.id}-")
              for item in summary.codes if item.passages for line in item.indicators}
    template = _environment().get_template("summary.html.j2")
    return template.render(summary=summary, charts=charts)
