"""The framework matrix: sites as rows, codes or whole goals as columns; per cell the passages,
the summary's first line and status; and a cell's detail for the cell view."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from kasus.evidence.indicators import list_indicators
from kasus.model import Site
from kasus.sites import list_sites
from kasus.synthesis.columns import (
    ColumnChoice,
    MatrixColumn,
    choice_columns,
    column,
    saved_choice,
)
from kasus.synthesis.facts import IndicatorFact, indicator_fact
from kasus.synthesis.summaries import (
    SummaryVersion,
    cell_key,
    current_summaries,
    summary_history,
)

TO_SUMMARISE = "to summarise"


@dataclass(frozen=True)
class MatrixCell:
    site_id: str
    column_id: str
    passages: int
    documents: int
    first_line: str
    status: str  # draft / reviewed; "to summarise" with passages and no summary; "" if empty
    version: int | None


@dataclass(frozen=True)
class Matrix:
    sites: list[Site]
    columns: list[MatrixColumn]
    cells: dict[tuple[str, str], MatrixCell]

    def cell(self, site_id: str, column_id: str) -> MatrixCell:
        return self.cells[(site_id, column_id)]


def _status(passages: int, summary: SummaryVersion | None) -> str:
    if summary is not None:
        return summary.status
    return TO_SUMMARISE if passages else ""


def sites_with_documents(db: Database) -> list[Site]:
    """The case sites that have notes, by name: the matrix's rows."""
    used = {row[0] for row in db.execute("SELECT DISTINCT site_id FROM documents")}
    return [site for site in list_sites(db) if site.id in used]


def build_matrix(db: Database, choice: ColumnChoice | None = None) -> Matrix:
    """The matrix for a column choice (the project's saved one when not given)."""
    columns = choice_columns(db, choice or saved_choice(db))
    sites = sites_with_documents(db)
    passages: Counter[tuple[str, str]] = Counter()
    documents: dict[tuple[str, str], set[str]] = {}
    for site_id, code_id, document_id, n in db.execute(
            "SELECT d.site_id, c.code_id, c.document_id, count(*) FROM codings c "
            "JOIN documents d ON d.id = c.document_id WHERE c.removed_at IS NULL "
            "GROUP BY d.site_id, c.code_id, c.document_id"):
        passages[(site_id, code_id)] += n
        documents.setdefault((site_id, code_id), set()).add(document_id)
    summaries = current_summaries(db)
    cells = {}
    for site in sites:
        for col in columns:
            count = sum(passages[(site.id, code)] for code in col.codes)
            docs = set().union(*(documents.get((site.id, code), set()) for code in col.codes))
            summary = summaries.get((site.id, col.id))
            cells[(site.id, col.id)] = MatrixCell(
                site.id, col.id, count, len(docs), summary.first_line if summary else "",
                _status(count, summary), summary.version if summary else None)
    return Matrix(sites, columns, cells)


@dataclass(frozen=True)
class CellPassage:
    coding_id: int
    document_id: str
    document_title: str
    role: str
    code_id: str
    quote: str
    start: int
    end: int
    coder: str
    status: str  # anchored / fuzzy / orphaned


@dataclass(frozen=True)
class CellDetail:
    """Everything the cell view shows: the passages, the summary and its history, and the
    indicators linked to the column's codes."""

    site: Site
    column: MatrixColumn
    passages: list[CellPassage]
    summary: SummaryVersion | None
    history: list[SummaryVersion]
    indicators: list[IndicatorFact]

    @property
    def status(self) -> str:
        return _status(len(self.passages), self.summary)


def cell_passages(db: Database, site_id: str, col: MatrixColumn) -> list[CellPassage]:
    """The live codings of a cell, in document and text order."""
    marks = ", ".join("?" for _ in col.codes)
    rows = db.query(
        f'SELECT c.id, c.document_id, d.title, d.role, c.code_id, c.quote, c.start, c."end", '
        f"c.coder, c.status FROM codings c JOIN documents d ON d.id = c.document_id "
        f"WHERE c.removed_at IS NULL AND d.site_id = ? AND c.code_id IN ({marks}) "
        f"ORDER BY c.document_id, c.start, c.id", [site_id, *col.codes])
    return [CellPassage(r["id"], r["document_id"], r["title"], r["role"] or "", r["code_id"],
                        r["quote"], r["start"], r["end"], r["coder"], r["status"]) for r in rows]


def column_indicators(db: Database, col: MatrixColumn) -> list[IndicatorFact]:
    """The indicators the column's codes link to (not context ones), by id."""
    marks = ", ".join("?" for _ in col.codes)
    wanted = {row[0] for row in db.execute(
        f"SELECT indicator_id FROM code_indicators WHERE context = 0 AND code_id IN ({marks})",
        list(col.codes))}
    return [indicator_fact(i) for i in list_indicators(db) if i.id in wanted]


def cell_detail(db: Database, site: str, column_id: str) -> CellDetail:
    """One cell: its passages, summary with history, and linked indicators."""
    site_id, column_id = cell_key(db, site, column_id)
    col = column(db, column_id)
    history = summary_history(db, site_id, column_id)
    site_row = next(s for s in list_sites(db) if s.id == site_id)
    return CellDetail(site_row, col, cell_passages(db, site_id, col),
                      history[-1] if history else None, history, column_indicators(db, col))
