"""The theme summary as a Word document: real headings, count tables, quotes and charts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Inches

from kasus.export.charts import chart_png
from kasus.export.html import evidence, reference, years_of
from kasus.export.summary import CodeSummary, ThemeSummary
from kasus.synthesis.summaries import STATUS_NB

TABLE_STYLE = "Table Grid"
QUOTE_STYLE = "Quote"
CHART_WIDTH = Inches(5)


def docx_table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    """A table with a bold header row in the house style (every Word export uses it)."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _code(document: Any, summary: CodeSummary) -> None:
    code = summary.code
    document.add_heading(f"{code.label_nb} ({code.id})", level=2)
    document.add_paragraph().add_run(code.label_en).italic = True
    document.add_paragraph(code.definition or "–")
    if not summary.passages:
        document.add_paragraph("No passages are coded with this code.")
        return
    document.add_heading("Passages and documents per site", level=3)
    docx_table(document, ["site", "passages", "documents"],
           [[site, str(p), str(d)] for site, (p, d) in summary.per_site.items()])
    document.add_heading("Per informant role", level=3)
    docx_table(document, ["role", "passages", "documents"],
           [[role or "–", str(p), str(d)] for role, (p, d) in summary.per_role.items()])
    if summary.indicators:
        years = years_of(summary.indicators)
        document.add_heading("Linked indicators", level=3)
        docx_table(document, ["id", "indicator", *map(str, years), "trend", "evidence"],
               [[str(line.id), line.name,
                 *(f"{line.values[y]:g}" if y in line.values else "" for y in years),
                 f"{line.verdict} {line.years}".strip(), evidence(line)]
                for line in summary.indicators])
        for line in summary.indicators:
            document.add_picture(io.BytesIO(chart_png(line)), width=CHART_WIDTH)
            document.add_paragraph(f"{line.id}: {line.name}", style="Caption")
    for site in summary.per_site:
        document.add_heading(site, level=3)
        for passage in (p for p in summary.passages if p.site == site):
            # Whitespace collapsed as in Markdown: a hard-wrapped quote reads as one paragraph.
            document.add_paragraph(" ".join(passage.quote.split()), style=QUOTE_STYLE)
            document.add_paragraph(f"— {reference(passage)}")
            if passage.memo:
                document.add_paragraph().add_run(f"Memo: {passage.memo}").italic = True


def summary_docx(summary: ThemeSummary, out: Path) -> None:
    """Write the theme summary to a .docx file: the Markdown summary's content and order."""
    document = Document()
    document.add_heading(f"Tema: {summary.title}", level=1)
    if summary.cell_summaries:
        document.add_heading("Oppsummeringer", level=2)
    for label, version in summary.cell_summaries:
        document.add_heading(label, level=3)
        stamp = f"{STATUS_NB[version.status]}, versjon {version.version}, {version.author}"
        document.add_paragraph().add_run(stamp).italic = True
        for paragraph in version.text.split("\n\n"):
            if paragraph.strip():
                document.add_paragraph(" ".join(paragraph.split()))
    for code in summary.codes:
        _code(document, code)
    document.save(str(out))
