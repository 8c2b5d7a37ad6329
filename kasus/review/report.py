"""The review report, for the QA record: agreement per code and per site, and every decision
with its comment, as Markdown or as an Excel workbook."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import now
from kasus.errors import KasusError
from kasus.export.files import check_target, write_output
from kasus.review.agreement import AgreementReport, CodeAgreement, Statistic, agreement_of
from kasus.review.decisions import ReviewSession, list_disagreements, progress
from kasus.review.units import judge

REPORT_FORMATS = ("md", "xlsx")
STAT_COLUMNS = ("agree", "kappa", "alpha", "prevalence", "overlap")
PASSAGE_CHARS = 300


def format_statistic(statistic: Statistic, percent: bool = False) -> str:
    """0.71, 71 %, or 'undefined' (the reason is in the JSON output and the notes)."""
    if statistic.value is None:
        return "undefined"
    return f"{statistic.value:.0%}" if percent else f"{statistic.value:.2f}"


def _stat_cells(code: CodeAgreement) -> list[str]:
    return [format_statistic(code.percent_agreement, True), format_statistic(code.cohen_kappa),
            format_statistic(code.krippendorff_alpha), format_statistic(code.prevalence, True),
            format_statistic(code.segment_overlap, True)]


def _table_cells(code: CodeAgreement) -> list[str]:
    table = code.table or {}
    return [str(code.units), *(str(table.get(k, "")) for k in ("both", "only_a", "only_b"))]


@dataclass(frozen=True)
class ReviewData:
    """Everything a report shows, gathered once."""

    session: ReviewSession
    overall: AgreementReport
    by_site: list[tuple[str, AgreementReport]]
    decisions: list[dict[str, Any]]
    decided: int
    total: int
    made_at: str


def gather(db: Database, session: ReviewSession) -> ReviewData:
    """Agreement overall and per site, and the decisions in force, with their passages."""
    judgements = judge(db, session.coders, session.unit, session.threshold)
    overall = agreement_of(judgements)
    sites = [row[0] for row in db.execute(
        "SELECT DISTINCT d.site_id FROM documents d ORDER BY d.site_id")]
    by_site = [(site, agreement_of(judge(db, session.coders, session.unit, session.threshold,
                                         site_id=site), site_id=site)) for site in sites]
    found = list_disagreements(db, session)
    texts = {row[0]: row[1] for row in db.execute("SELECT id, text FROM documents")}
    decisions = [{
        "key": d.key, "site": d.unit.site_id, "document": d.unit.document_id,
        "code": d.code_id, "applied_by": ", ".join(d.applied_by),
        "not_applied_by": ", ".join(d.not_applied_by), "verdict": d.decision.verdict,
        "new_code": d.decision.new_code_id or "", "comment": d.decision.comment,
        "reviewer": d.decision.reviewer, "decided_at": d.decision.decided_at,
        "passage": _passage(texts[d.unit.document_id], d.unit.start, d.unit.end),
    } for d in found if d.decision is not None]
    done = progress(found)
    return ReviewData(session, overall, by_site, decisions, done.decided, done.total, now())


def _passage(text: str, start: int, end: int) -> str:
    flat = " ".join(text[start:end].split())
    return flat if len(flat) <= PASSAGE_CHARS else flat[:PASSAGE_CHARS - 1] + "…"


def _md_cell(value: str) -> str:
    # A cell is one line, and a | would end it early.
    return " ".join(value.split()).replace("\\", "\\\\").replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[str]]) -> Iterator[str]:
    yield "| " + " | ".join(header) + " |"
    yield "|" + "|".join(" --- " for _ in header) + "|"
    for row in rows:
        yield "| " + " | ".join(_md_cell(cell) for cell in row) + " |"


def _agreement_rows(report: AgreementReport) -> list[list[str]]:
    return [[code.code_id, *_table_cells(code), *_stat_cells(code)]
            for code in [*report.codes, report.overall]]


def _markdown(data: ReviewData) -> str:
    session = data.session
    a, b = (*session.coders, "", "")[:2]
    header = ["code", "units", "both", f"only {a}", f"only {b}", *STAT_COLUMNS]
    lines = [
        f"# Review report: {', '.join(session.coders)}", "",
        f"Units: {session.unit} (a coder applied a code when their codings cover at least "
        f"{session.threshold:.0%} of the unit). Decided: {data.decided} of {data.total} "
        f"disagreements. Made {data.made_at[:16].replace('T', ' ')} UTC.", "",
        "Undefined statistics have no value for these data (kappa when neither coder used a "
        "code, alpha when there is no variation); `kasus agreement --json` gives the reason.",
        "", "## Agreement per code (all sites)", "",
        *_md_table(header, _agreement_rows(data.overall)), "", "## Agreement per site", "",
    ]
    for site, report in data.by_site:
        lines += [f"### {site}", ""]
        lines += (list(_md_table(header, _agreement_rows(report))) if report.codes
                  else ["No codings by these coders at this site."])
        lines.append("")
    lines += ["## Decisions", ""]
    if not data.decisions:
        lines.append("No disagreement has been decided yet.")
    for d in data.decisions:
        outcome = d["verdict"] + (f" → {d['new_code']}" if d["new_code"] else "")
        lines += [f"### {d['key']}: {outcome}", "",
                  f"Applied by {d['applied_by']}, not by {d['not_applied_by']}. "
                  f"Reviewer {d['reviewer']}, {d['decided_at'][:16].replace('T', ' ')}.", "",
                  f"> {_md_cell(d['passage'])}", "", f"Comment: {_md_cell(d['comment'])}", ""]
    return "\n".join(lines)


def _xlsx(data: ReviewData, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    a, b = (*data.session.coders, "", "")[:2]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Agreement"
    header = ["code", "units", "both", f"only {a}", f"only {b}", *STAT_COLUMNS]
    _fill(sheet, header, [_numbers(code) for code in [*data.overall.codes,
                                                      data.overall.overall]])
    by_site = workbook.create_sheet("By site")
    _fill(by_site, ["site", *header], [[site, *_numbers(code)] for site, report in data.by_site
                                       for code in [*report.codes, report.overall]])
    decisions = workbook.create_sheet("Decisions")
    columns = ["key", "site", "document", "code", "applied_by", "not_applied_by", "verdict",
               "new_code", "comment", "reviewer", "decided_at", "passage"]
    _fill(decisions, columns, [[d[c] for c in columns] for d in data.decisions])
    for ws in (sheet, by_site, decisions):
        for index, column in enumerate(ws.iter_cols(min_row=1, max_row=min(ws.max_row, 200)),
                                       start=1):
            width = max(len(str(cell.value or "")) for cell in column)
            ws.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
    workbook.save(out)


def _numbers(code: CodeAgreement) -> list[Any]:
    # Numbers stay numbers in Excel; an undefined statistic is an empty cell.
    table = code.table or {}
    stats = (code.percent_agreement, code.cohen_kappa, code.krippendorff_alpha,
             code.prevalence, code.segment_overlap)
    return [code.code_id, code.units, table.get("both"), table.get("only_a"),
            table.get("only_b"), *(s.value for s in stats)]


def _fill(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def write_review_report(db: Database, session: ReviewSession, fmt: str, out: Path,
                        force: bool = False) -> Path:
    """Write the report; an existing file is kept unless force. The file is owner-only."""
    if fmt not in REPORT_FORMATS:
        raise KasusError(f"format {fmt!r} is not one of {', '.join(REPORT_FORMATS)}")
    check_target(out, force)
    data = gather(db, session)
    if fmt == "md":
        text = _markdown(data)
        return write_output(out, force, lambda path: _write_text(path, text))
    return write_output(out, force, lambda path: _xlsx(data, path))


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
