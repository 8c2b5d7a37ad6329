"""The review report, for the QA record: agreement per code and per site, and every decision
with its comment, as Markdown or as an Excel workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import now
from kasus.errors import KasusError
from kasus.export.files import check_target, write_output, write_text
from kasus.export.writers import add_sheet, md_escape, md_table
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
        *md_table(header, _agreement_rows(data.overall)), "", "## Agreement per site", "",
    ]
    for site, report in data.by_site:
        lines += [f"### {site}", ""]
        lines += (md_table(header, _agreement_rows(report)) if report.codes
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
                  f"> {md_escape(d['passage'])}", "", f"Comment: {md_escape(d['comment'])}", ""]
    return "\n".join(lines)


def _xlsx(data: ReviewData, out: Path) -> None:
    from openpyxl import Workbook

    a, b = (*data.session.coders, "", "")[:2]
    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    header = ["code", "units", "both", f"only {a}", f"only {b}", *STAT_COLUMNS]
    add_sheet(workbook, "Agreement", header,
              [_numbers(code) for code in [*data.overall.codes, data.overall.overall]])
    add_sheet(workbook, "By site", ["site", *header],
              [[site, *_numbers(code)] for site, report in data.by_site
               for code in [*report.codes, report.overall]])
    columns = ["key", "site", "document", "code", "applied_by", "not_applied_by", "verdict",
               "new_code", "comment", "reviewer", "decided_at", "passage"]
    add_sheet(workbook, "Decisions", columns, [[d[c] for c in columns] for d in data.decisions])
    workbook.save(out)


def _numbers(code: CodeAgreement) -> list[Any]:
    # Numbers stay numbers in Excel; an undefined statistic is an empty cell.
    table = code.table or {}
    stats = (code.percent_agreement, code.cohen_kappa, code.krippendorff_alpha,
             code.prevalence, code.segment_overlap)
    return [code.code_id, code.units, table.get("both"), table.get("only_a"),
            table.get("only_b"), *(s.value for s in stats)]


def write_review_report(db: Database, session: ReviewSession, fmt: str, out: Path,
                        force: bool = False) -> Path:
    """Write the report; an existing file is kept unless force. The file is owner-only."""
    if fmt not in REPORT_FORMATS:
        raise KasusError(f"format {fmt!r} is not one of {', '.join(REPORT_FORMATS)}")
    check_target(out, force)
    data = gather(db, session)
    if fmt == "md":
        text = _markdown(data)
        return write_output(out, force, lambda path: write_text(path, text))
    return write_output(out, force, lambda path: _xlsx(data, path))

