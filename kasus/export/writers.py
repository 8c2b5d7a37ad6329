"""Writers: a theme summary as Markdown or Excel, the code × site matrix and the table of
coded segments as CSV or Excel. Text appears as written (markup-like characters escaped)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.codebook.codes import code_families, list_codes
from kasus.coding.codings import list_codings
from kasus.documents import list_documents
from kasus.export.summary import CodeSummary, ThemeSummary
from kasus.synthesis.summaries import STATUS_NB

FORMATS = {"summary": ("md", "html", "docx", "xlsx"), "site": ("md", "docx"),
           "matrix": ("csv", "xlsx", "md", "docx"), "codings": ("csv", "xlsx"),
           "goals": ("md", "docx", "xlsx"), "qdpx": ("qdpx",), "codebook": ("qdc",)}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
MAX_SHEET_TITLE = 31  # Excel's limit


def md_escape(text: str) -> str:
    """Text shown as written in Markdown: a passage with '*', '[x]' or '<b>' stays literal."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table whose cells show their text as written, one line each."""
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(md_escape(cell) for cell in row) + " |" for row in rows)]


def _code_markdown(summary: CodeSummary) -> list[str]:
    code = summary.code
    lines = [f"## {md_escape(code.label_nb)} ({md_escape(code.id)})", "",
             f"*{md_escape(code.label_en)}*", "", md_escape(code.definition or "–"), ""]
    if not summary.passages:
        return [*lines, "No passages are coded with this code.", ""]
    lines += ["### Passages and documents per site", "",
              *md_table(["site", "passages", "documents"],
                         [[site, str(p), str(d)] for site, (p, d) in summary.per_site.items()]),
              "", "### Per informant role", "",
              *md_table(["role", "passages", "documents"],
                         [[role or "–", str(p), str(d)]
                          for role, (p, d) in summary.per_role.items()]), ""]
    if summary.indicators:
        years = sorted({year for line in summary.indicators for year in line.values})
        lines += ["### Linked indicators", "", *md_table(
            ["id", "indicator", *map(str, years), "trend", "evidence"],
            [[str(line.id), line.name, *(f"{line.values[y]:g}" if y in line.values else ""
                                         for y in years),
              f"{line.verdict} {line.years}".strip(),
              ", ".join(f"{n} {s}" for s, n in line.stances.items() if n) or "–"]
             for line in summary.indicators]), ""]
    for site in summary.per_site:
        lines += [f"### {md_escape(site)}", ""]
        for passage in (p for p in summary.passages if p.site == site):
            reference = f"{passage.site}, {passage.role or 'ukjent rolle'}, {passage.date}"
            lines += [f"> {md_escape(passage.quote)}", ">",
                      f"> — {md_escape(reference)} ({passage.document_id}; coder "
                      f"{md_escape(passage.coder)})", ""]
            if passage.memo:
                lines += [f"Memo: {md_escape(passage.memo)}", ""]
    return lines


def summary_markdown(summary: ThemeSummary) -> str:
    """The theme summary as a Markdown chapter skeleton."""
    lines = [f"# Tema: {md_escape(summary.title)}", ""]
    if summary.cell_summaries:
        lines += ["## Oppsummeringer", ""]
    for label, version in summary.cell_summaries:
        stamp = f"{STATUS_NB[version.status]}, versjon {version.version}, {version.author}"
        lines += [f"### {md_escape(label)}", "", f"*{md_escape(stamp)}*", "",
                  *(f"{md_escape(p)}\n" for p in version.text.split("\n\n") if p.strip())]
    for code in summary.codes:
        lines += _code_markdown(code)
    return "\n".join(lines) + "\n"


def add_sheet(workbook: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    """A sheet with a frozen header row, filters on and column widths fitted to the text."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", title)[:MAX_SHEET_TITLE])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(header, start=1):
        width = max([len(name), *(len(str(row[index - 1] or "")) for row in rows[:200])])
        sheet.column_dimensions[get_column_letter(index)].width = min(80, max(8, width + 2))


PASSAGE_COLUMNS = ["site", "document", "role", "date", "coder", "quote", "memo"]


def summary_xlsx(summary: ThemeSummary, out: Path) -> None:
    """A sheet per code (a row per passage) and a code × site count sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for code in summary.codes:
        add_sheet(workbook, code.code.id, PASSAGE_COLUMNS,
               [[p.site, p.document_id, p.role, p.date, p.coder, p.quote, p.memo]
                for p in code.passages])
    sites = sorted({site for code in summary.codes for site in code.per_site})
    add_sheet(workbook, "Code x site", ["code", *sites],
           [[code.code.id, *(code.per_site.get(site, (0, 0))[0] for site in sites)]
            for code in summary.codes])
    workbook.save(out)


def matrix_rows(db: Database, site_id: str | None = None, coder: str | None = None,
                with_passages: bool = False,
                round_: int | None = None) -> tuple[list[str], list[list[Any]]]:
    """Code × site: passages and documents per cell, every active code in codebook order;
    with_passages adds a column per site holding the cell's quotes with their documents."""
    documents = {d["id"]: d for d in list_documents(db)}
    codings = list_codings(db, site_id=site_id, coder=coder, round_=round_)
    sites = sorted({documents[c.document_id]["site"] for c in codings})
    header = ["code", "label", *(f"{site} passages" for site in sites),
              *(f"{site} documents" for site in sites)]
    if with_passages:
        header += [f"{site} text" for site in sites]
    rows = []
    for code in list_codes(db, include_retired=False):
        mine = [c for c in codings if c.code_id == code.id]
        per_site = [[c for c in mine if documents[c.document_id]["site"] == s] for s in sites]
        row = [code.id, code.label_nb, *(len(here) for here in per_site),
               *(len({c.document_id for c in here}) for here in per_site)]
        if with_passages:
            row += ["\n\n".join(f"«{' '.join(c.quote.split())}» ({c.document_id})"
                                 for c in here) for here in per_site]
        rows.append(row)
    return header, rows


def codings_rows(db: Database, site_id: str | None = None, coder: str | None = None,
                 code_id: str | None = None,
                 round_: int | None = None) -> tuple[list[str], list[list[Any]]]:
    """Every coding with its document's metadata and its code's goal and theme."""
    documents = {d["id"]: d for d in list_documents(db)}
    families = code_families(db)
    header = ["id", "document", "site", "role", "round", "date", "code", "goal", "theme",
              "start", "end", "coder", "origin", "status", "memo", "quote"]
    rows = []
    for c in list_codings(db, code_id=code_id, site_id=site_id, coder=coder,
                          with_descendants=True, round_=round_):
        d = documents[c.document_id]
        goal, theme = families.get(c.code_id, (None, None))
        rows.append([c.id, c.document_id, d["site"], d["role"], d["round"], d["date"],
                     c.code_id, goal, theme, c.start, c.end, c.coder, c.origin, c.status,
                     c.memo, c.quote])
    return header, rows


def table_csv(header: list[str], rows: list[list[Any]], out: Path) -> None:
    # utf-8-sig: Excel opens a CSV with æøå right only when it starts with a BOM.
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def table_xlsx(title: str, header: list[str], rows: list[list[Any]], out: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    add_sheet(workbook, title, header, rows)
    workbook.save(out)
