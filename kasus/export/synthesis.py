"""Synthesis exports: the framework matrix with its summaries, and the "Mål | Måloppnåelse"
table with an appendix of each row's grounds, as Markdown, Word and Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.errors import KasusError
from kasus.export.docx import docx_table
from kasus.export.files import write_output, write_text
from kasus.export.writers import add_sheet, md_escape, md_table
from kasus.sites import list_sites
from kasus.synthesis.columns import ColumnChoice
from kasus.synthesis.facts import IndicatorFact
from kasus.synthesis.grounds import Ground
from kasus.synthesis.matrix import TO_SUMMARISE, Matrix, build_matrix
from kasus.synthesis.overview import GoalRow, goal_table
from kasus.synthesis.summaries import STATUS_NB as SUMMARY_STATUS_NB
from kasus.synthesis.summaries import current_summaries

STATUS_NB = {**SUMMARY_STATUS_NB, TO_SUMMARISE: "å oppsummere"}
YEARS = (2016, 2017, 2018)
INDICATOR_HEADER = ["id", "indikator", *map(str, YEARS), "2019/2020", "trend"]
GROUND_HEADER = ["mål", "grunnlag", "type", "sted", "informant", "dokument", "sitat eller verdi",
                 "trend eller merknad", "flagg"]


def export_synthesis(db: Database, kind: str, fmt: str, out: Path, force: bool,
                     code_ids: list[str] | None = None, goal: int | None = None,
                     with_summaries: bool = False) -> Path:
    """Write the framework matrix (kind matrix) or the goal table (kind goals)."""
    if kind == "goals":
        rows = goal_table(db)
        names = {site.id: site.name for site in list_sites(db)}
        writers = {"md": lambda p: write_text(p, goals_markdown(rows, names)),
                   "docx": lambda p: goals_docx(rows, names, p),
                   "xlsx": lambda p: goals_xlsx(rows, names, p)}
    else:
        choice = (ColumnChoice("codes", codes=tuple(code_ids)) if code_ids else
                  ColumnChoice("goal", goal=str(goal)) if goal is not None else None)
        matrix = build_matrix(db, choice)
        texts = ({key: v.text for key, v in current_summaries(db).items()} if with_summaries
                 else {})
        writers = {"md": lambda p: write_text(p, matrix_markdown(matrix, texts)),
                   "docx": lambda p: matrix_docx(matrix, texts, p),
                   "xlsx": lambda p: matrix_xlsx(matrix, texts, p)}
    if fmt not in writers:
        raise KasusError(f"{kind} exports as {' or '.join(writers)}, not {fmt}")
    return write_output(out, force, writers[fmt])


def _cell_line(matrix: Matrix, site_id: str, column_id: str) -> str:
    cell = matrix.cell(site_id, column_id)
    status = STATUS_NB.get(cell.status, cell.status)
    return f"{cell.passages} ({status})" if status else str(cell.passages)


def _cell_heading(matrix: Matrix, site_id: str, column_id: str) -> str:
    cell = matrix.cell(site_id, column_id)
    site = next(s.name for s in matrix.sites if s.id == site_id)
    status = (f"{STATUS_NB[cell.status]}, versjon {cell.version}" if cell.version
              else "å oppsummere" if cell.status == TO_SUMMARISE else "ingen passasjer")
    return f"{site} – {cell.passages} passasjer ({status})"


def matrix_markdown(matrix: Matrix, texts: dict[tuple[str, str], str]) -> str:
    """The matrix as a count table, then (with summaries) each column's summaries by site."""
    lines = ["# Rammematrise", "", *md_table(
        ["sted", *(col.id for col in matrix.columns)],
        [[site.name, *(_cell_line(matrix, site.id, col.id) for col in matrix.columns)]
         for site in matrix.sites]), "",
        *(f"- {md_escape(col.id)}: {md_escape(col.label_nb)}" for col in matrix.columns), ""]
    if not texts:
        return "\n".join(lines) + "\n"
    for col in matrix.columns:
        lines += [f"## {md_escape(col.label_nb)} ({md_escape(col.id)})", ""]
        for site in matrix.sites:
            lines += [f"### {md_escape(_cell_heading(matrix, site.id, col.id))}", ""]
            text = texts.get((site.id, col.id))
            lines += [*(md_escape(p) for p in _paragraphs(text)), ""] if text else [
                "*Ingen oppsummering.*", ""]
    return "\n".join(lines) + "\n"


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def matrix_docx(matrix: Matrix, texts: dict[tuple[str, str], str], out: Path) -> None:
    """The matrix as a Word document: the count table, then the summaries per column."""
    from docx import Document

    document = Document()
    document.add_heading("Rammematrise", level=1)
    docx_table(document, ["sted", *(col.id for col in matrix.columns)],
                [[site.name, *(_cell_line(matrix, site.id, col.id) for col in matrix.columns)]
                 for site in matrix.sites])
    for col in matrix.columns:
        document.add_paragraph(f"{col.id}: {col.label_nb}", style="Caption")
    for col in matrix.columns if texts else []:
        document.add_heading(f"{col.label_nb} ({col.id})", level=2)
        for site in matrix.sites:
            document.add_heading(_cell_heading(matrix, site.id, col.id), level=3)
            text = texts.get((site.id, col.id))
            for paragraph in _paragraphs(text) if text else ["Ingen oppsummering."]:
                document.add_paragraph(paragraph)
    document.save(str(out))


def matrix_xlsx(matrix: Matrix, texts: dict[tuple[str, str], str], out: Path) -> None:
    """A sheet of counts and status per cell and, with summaries, one row per cell's text."""
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    add_sheet(workbook, "Matrise", ["sted", *(f"{col.id} {what}" for col in matrix.columns
                                             for what in ("passasjer", "status"))],
              [[site.name, *(value for col in matrix.columns for value in (
                  matrix.cell(site.id, col.id).passages,
                  STATUS_NB.get(matrix.cell(site.id, col.id).status,
                                matrix.cell(site.id, col.id).status)))]
               for site in matrix.sites])
    if texts:
        add_sheet(workbook, "Oppsummeringer",
                  ["sted", "kolonne", "etikett", "passasjer", "status", "versjon", "tekst"],
                  [[site.name, col.id, col.label_nb, cell.passages,
                    STATUS_NB.get(cell.status, cell.status), cell.version,
                    texts.get((site.id, col.id), "")]
                   for col in matrix.columns for site in matrix.sites
                   for cell in [matrix.cell(site.id, col.id)]])
    workbook.save(out)


def attainment_text(row: GoalRow) -> str:
    """The table's "Måloppnåelse" cell: level, text, sub-judgements; a draft says so."""
    j = row.judgement
    if j is None:
        return "Ikke vurdert ennå."
    parts = "; ".join(f"{p.label}: {p.level}" + (f" ({p.text})" if p.text else "")
                      for p in j.parts)
    parts = f" Delvurderinger: {parts}." if parts else ""
    draft = " (utkast)" if j.status == "draft" else ""
    return f"{j.level[:1].upper()}{j.level[1:]}. {j.text}{parts}{draft}"


def _indicator_row(fact: IndicatorFact) -> list[str]:
    ends = "; ".join(f"{e.year}: {e.text}" + (f" ({e.note})" if e.note else "")
                     for e in fact.end_values)
    return [str(fact.id), fact.name, *(f"{fact.values[y]:g}" if y in fact.values else ""
                                       for y in YEARS), ends, f"{fact.verdict} {fact.years}"]


def _quote_reference(ground: Ground, names: dict[str, str]) -> str:
    site = names.get(ground.site_id, ground.site_id)
    return f"{site}, {ground.role or 'ukjent rolle'}, {ground.document_id} ({ground.label})"


def _row_heading(row: GoalRow) -> str:
    return f"{row.number}. {row.label}" if row.number != "0" else row.label


def goals_markdown(rows: list[GoalRow], names: dict[str, str]) -> str:
    """The goal table as Markdown with an appendix of every row's grounds."""
    lines = ["# Måloppnåelse", "", *md_table(["Mål", "Måloppnåelse"],
                                            [[_row_heading(r), attainment_text(r)] for r in rows]),
             "", "## Vedlegg: grunnlaget for vurderingene", ""]
    for row in rows:
        lines += [f"### {md_escape(_row_heading(row))}", ""]
        if row.judgement:
            j = row.judgement
            lines += [f"Nivå: {md_escape(j.level)} · {STATUS_NB[j.status]} · versjon "
                      f"{j.version} ({md_escape(j.author)}, {j.created_at[:10]})", ""]
        lines += [*(f"- Advarsel: {md_escape(w)}" for w in row.warnings), ""]
        lines += _grounds_markdown(row.grounds, names)
    return "\n".join(lines) + "\n"


def _grounds_markdown(grounds: list[Ground], names: dict[str, str]) -> list[str]:
    facts = [g for g in grounds if g.kind == "indicator"]
    lines: list[str] = []
    if facts:
        lines += ["#### Indikatorer", "", *md_table(
            [*INDICATOR_HEADER, "flagg"],
            [[*(_indicator_row(g.indicator) if g.indicator else
                [g.ref, str(g.cited.get("name", "")), "", "", "", "", ""]), "; ".join(g.flags)]
             for g in facts]), ""]
    quotes = [g for g in grounds if g.kind in ("coding", "link")]
    if quotes:
        lines += ["#### Sitater", ""]
        for g in quotes:
            lines += [f"> {md_escape(g.quote)}", ">",
                      f"> — {md_escape(_quote_reference(g, names))}", ""]
            lines += [f"**Flagget:** {md_escape(f)}" for f in g.flags] + ([""] if g.flags else [])
    cells = [g for g in grounds if g.kind == "cell"]
    if cells:
        lines += ["#### Matriseceller", ""]
        lines += [f"- {md_escape(names.get(g.site_id, g.site_id))} × "
                  f"{md_escape(str(g.cited.get('column_id', '')))}: "
                  f"{md_escape(g.summary_line or 'ingen oppsummering')}"
                  + "".join(f" **Flagget:** {md_escape(f)}" for f in g.flags) for g in cells]
        lines.append("")
    return lines


def goals_docx(rows: list[GoalRow], names: dict[str, str], out: Path) -> None:
    """The goal table as a Word document with the appendix of grounds."""
    from docx import Document

    document = Document()
    document.add_heading("Måloppnåelse", level=1)
    docx_table(document, ["Mål", "Måloppnåelse"],
                [[_row_heading(r), attainment_text(r)] for r in rows])
    document.add_heading("Vedlegg: grunnlaget for vurderingene", level=2)
    for row in rows:
        document.add_heading(_row_heading(row), level=3)
        for warning in row.warnings:
            document.add_paragraph(f"Advarsel: {warning}")
        facts = [g for g in row.grounds if g.indicator is not None]
        if facts:
            docx_table(document, INDICATOR_HEADER,
                        [_indicator_row(g.indicator) for g in facts if g.indicator])
        for g in row.grounds:
            if g.kind in ("coding", "link"):
                document.add_paragraph(" ".join(g.quote.split()), style="Quote")
                document.add_paragraph(f"— {_quote_reference(g, names)}")
            elif g.kind == "cell":
                document.add_paragraph(f"{names.get(g.site_id, g.site_id)} × "
                                       f"{g.cited.get('column_id', '')}: "
                                       f"{g.summary_line or 'ingen oppsummering'}")
            elif g.indicator is None:
                document.add_paragraph(f"Indikator {g.ref}: {g.cited.get('name', '')}")
            for flag in g.flags:
                document.add_paragraph().add_run(f"Flagget: {flag}").bold = True
    document.save(str(out))


def _ground_sheet_row(row: GoalRow, g: Ground, names: dict[str, str]) -> list[Any]:
    if g.kind == "indicator":
        what = (f"{g.indicator.name}: {g.indicator.latest}" if g.indicator
                else str(g.cited.get("name", "")))
        trend = f"{g.indicator.verdict} {g.indicator.years}" if g.indicator else ""
        return [row.goal_id, g.label, g.kind, "", "", "", what, trend, "; ".join(g.flags)]
    text = g.summary_line if g.kind == "cell" else " ".join(g.quote.split())
    return [row.goal_id, g.label, g.kind, names.get(g.site_id, g.site_id), g.role,
            g.document_id, text, g.note, "; ".join(g.flags)]


def goals_xlsx(rows: list[GoalRow], names: dict[str, str], out: Path) -> None:
    """A sheet with the table (level, text, status apart) and a sheet of every ground."""
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    add_sheet(workbook, "Måloppnåelse",
              ["Mål", "Nivå", "Måloppnåelse", "Delvurderinger", "Status", "Versjon",
               "Advarsler"],
              [[_row_heading(r), r.judgement.level if r.judgement else "",
                r.judgement.text if r.judgement else "",
                "; ".join(f"{p.label}: {p.level}" for p in r.judgement.parts)
                if r.judgement else "",
                STATUS_NB[r.judgement.status] if r.judgement else "",
                r.judgement.version if r.judgement else None, "; ".join(r.warnings)]
               for r in rows])
    add_sheet(workbook, "Grunnlag", GROUND_HEADER,
              [_ground_sheet_row(r, g, names) for r in rows for g in r.grounds])
    workbook.save(out)
