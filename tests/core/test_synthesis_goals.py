"""Goal-attainment judgements on the demo project: levels, versions, grounds that are flagged
when what they cite changes or goes, warnings, the evidence tally, and the exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlite_utils import Database

from kasus.coding.codings import apply_coding, list_codings, remove_coding
from kasus.documents import get_document
from kasus.errors import KasusError
from kasus.evidence.links import link_coding, unlink
from kasus.export.run import run_export
from kasus.importing.importer import run_import
from kasus.model import Coding
from kasus.synthesis.columns import GOAL_ROWS, goal_key
from kasus.synthesis.grounds import cite, grounds_of, uncite
from kasus.synthesis.judgements import (
    LEVELS,
    SubJudgement,
    judgement_history,
    parse_level,
    restore_judgement,
    save_judgement,
)
from kasus.synthesis.overview import NO_EVIDENCE, NO_INDICATOR, goal_row, goal_table
from kasus.synthesis.summaries import save_summary

FIRST = "Måloppnåelsen vurderes å være lav: få får hjelp til arbeid og aktivitet."
EDITED = "Måloppnåelsen vurderes å være lav; særlig arbeid og økonomi trekker ned, også på Karmøy."
INDICATORS = (77, 81, 84)


def goal_four_passages(db: Database) -> list[Coding]:
    """Two goal-4 passages from Karmøy and two from Trondheim."""
    return [c for site in ("karmoy", "trondheim")
            for c in list_codings(db, code_id="hm4", site_id=site, with_descendants=True)[:2]]


def judged_goal_four(db: Database) -> list[Coding]:
    passages = goal_four_passages(db)
    save_judgement(db, 4, "anna", "lav", FIRST)
    for indicator in INDICATORS:
        cite(db, 4, f"indicator:{indicator}", "anna")
    for coding in passages:
        cite(db, 4, f"coding:{coding.id}", "anna")
    return passages


@pytest.mark.parametrize(("typed", "level"), [
    ("høy", "høy"), ("Relativt hoy", "relativt høy"), ("relativt-høy", "relativt høy"),
    ("MIDDELS", "middels"), ("lav", "lav"), ("sammensatt", LEVELS[-1]), (LEVELS[-1], LEVELS[-1]),
])
def test_levels_are_the_fixed_scale_however_typed(typed: str, level: str) -> None:
    assert parse_level(typed) == level


@pytest.mark.parametrize("typed", ["", "god", "høyest", "relativt"])
def test_a_level_off_the_scale_is_refused_naming_the_scale(typed: str) -> None:
    with pytest.raises(KasusError, match="not on the scale") as raised:
        parse_level(typed)
    assert "relativt høy" in str(raised.value)


def test_the_six_rows_are_the_overall_escalation_and_the_five_goals(demo: Database) -> None:
    rows = goal_table(demo)
    assert [r.goal_id for r in rows] == list(GOAL_ROWS)
    assert [r.number for r in rows] == ["0", "1", "2", "3", "4", "5"]
    assert all(r.judgement is None and "no judgement yet" in r.warnings for r in rows)
    assert goal_key("overall") == goal_key(0) == "opptrapping"
    with pytest.raises(KasusError, match="no goal '6'"):
        goal_key(6)


def test_a_goal_four_judgement_with_grounds_edited_once_keeps_both_versions(
        demo: Database) -> None:
    passages = judged_goal_four(demo)
    assert len({p.document_id.split("-")[0] for p in passages}) == 2
    edited = save_judgement(demo, "4", "bo", text=EDITED)
    history = judgement_history(demo, 4)
    assert [(v.version, v.level, v.text, v.author) for v in history] == [
        (1, "lav", FIRST, "anna"), (2, "lav", EDITED, "bo")]
    row = goal_row(demo, 4)
    assert row.judgement == edited
    assert row.warnings == []
    assert [g.label for g in row.grounds] == [
        *(f"indicator:{i}" for i in INDICATORS), *(f"coding:{p.id}" for p in passages)]
    facts = [g.indicator for g in row.grounds if g.indicator is not None]
    assert [f.id for f in facts] == list(INDICATORS)
    assert all(f.verdict and f.latest for f in facts)
    quotes = [g for g in row.grounds if g.kind == "coding"]
    assert [(g.site_id, g.quote) for g in quotes] == [
        (p.document_id.split("-")[0], p.quote) for p in passages]
    assert all(g.role and g.document_id and not g.flags for g in quotes)


def test_an_end_of_period_value_keeps_its_qualifier(demo: Database) -> None:
    cite(demo, 4, "indicator:77", "anna")
    fact = grounds_of(demo, 4)[0].indicator
    assert fact is not None
    later = [e for e in fact.end_values if e.year == 2020]
    assert any(e.qualifier and e.qualifier in e.text for e in later)
    assert all(e.note.startswith("brudd") for e in later)  # BrukerPlan's 2020 sample break


def test_sub_judgements_and_status_are_versions_too(demo: Database) -> None:
    parts = [SubJudgement("individnivå", "relativt hoy"), SubJudgement("systemnivå", "lav")]
    first = save_judgement(demo, 1, "anna", "sammensatt", "Høy på individnivå, lav ellers.",
                           parts)
    assert [(p.label, p.level) for p in first.parts] == [("individnivå", "relativt høy"),
                                                         ("systemnivå", "lav")]
    reviewed = save_judgement(demo, 1, "bo", status="reviewed")
    assert (reviewed.version, reviewed.parts, reviewed.status) == (2, first.parts, "reviewed")
    back = restore_judgement(demo, 1, 1, "anna")
    assert (back.version, back.status, back.restored_from, back.text) == (
        3, "draft", 1, first.text)


def test_a_first_judgement_needs_a_level_and_a_text(demo: Database) -> None:
    with pytest.raises(KasusError, match="has no judgement yet"):
        save_judgement(demo, 2, "anna", text="Relativt høy.")
    with pytest.raises(KasusError, match="not on the scale"):
        save_judgement(demo, 2, "anna", "super", "Relativt høy.")
    assert demo.table("goal_judgements").count == 0


def test_a_cited_coding_that_is_then_removed_is_flagged_not_dropped(demo: Database) -> None:
    passages = judged_goal_four(demo)
    removed = passages[1]
    remove_coding(demo, removed.id, "anna", force=True)
    row = goal_row(demo, 4)
    ground = next(g for g in row.grounds if g.label == f"coding:{removed.id}")
    assert ground.flags == ("coding removed",)
    assert ground.quote == removed.quote  # what was cited is still shown
    assert [g for g in row.grounds if g.flags] == [ground]
    assert any("1 ground(s) flagged" in w for w in row.warnings)


def test_a_summary_rewritten_after_citing_flags_the_cell_ground(demo: Database) -> None:
    save_summary(demo, "Karmøy", "hm4", "anna", "Få er i arbeid.")
    cite(demo, 4, "cell:Karmøy/hm4", "anna")
    assert grounds_of(demo, 4)[0].flags == ()
    save_summary(demo, "karmoy", "hm4", "anna", status="reviewed")
    assert grounds_of(demo, 4)[0].flags == ()  # reviewing is no rewrite
    save_summary(demo, "karmoy", "hm4", "bo", "Ingen er i arbeid.")
    (ground,) = grounds_of(demo, 4)
    assert ground.flags == ("summary rewritten since it was cited (version 1 → 3)",)
    assert ground.summary_line == "Ingen er i arbeid."
    assert ground.cited["summary_line"] == "Få er i arbeid."


def test_a_judgement_without_indicators_or_without_evidence_warns(demo: Database) -> None:
    save_judgement(demo, 5, "anna", "høy", "Vurderes å være høy.")
    coding = list_codings(demo, code_id="hm5", with_descendants=True)[0]
    cite(demo, 5, f"coding:{coding.id}", "anna")
    assert NO_INDICATOR in goal_row(demo, 5).warnings
    assert NO_EVIDENCE not in goal_row(demo, 5).warnings
    save_judgement(demo, 2, "anna", "relativt høy", "Særlig for barn og unge.")
    cite(demo, 2, "indicator:39", "anna")
    assert goal_row(demo, 2).warnings == [NO_EVIDENCE]


def test_grounds_are_refused_when_unknown_or_cited_twice_and_uncited_on_purpose(
        demo: Database) -> None:
    for bad, message in [("bolig:3", "not of a known kind"), ("coding:abc", "not an id"),
                         ("coding:99999", "no coding 99999"), ("indicator:17", "no indicator"),
                         ("cell:karmoy", "names no cell"), ("cell:Atlantis/rop", "no site"),
                         ("cell:karmoy/nope", "no code 'nope'")]:
        with pytest.raises(KasusError, match=message):
            cite(demo, 4, bad, "anna")
    made = cite(demo, 4, "indicator:77", "anna")
    with pytest.raises(KasusError, match="already cites indicator:77"):
        cite(demo, 4, "indicator:77", "anna")
    uncite(demo, 4, made.id, "anna")
    assert grounds_of(demo, 4) == []
    assert demo.table("judgement_grounds").count == 1  # kept in the store


def test_the_tally_counts_evidence_by_stance_and_site(demo: Database) -> None:
    karmoy, trondheim = (list_codings(demo, code_id="bolig", site_id=site)[0]
                         for site in ("karmoy", "trondheim"))
    link_coding(demo, karmoy.id, 77, "contradicts", "anna")
    link_coding(demo, trondheim.id, 77, "supports", "anna")
    tally = goal_row(demo, 4).tally
    assert (tally.stances["contradicts"], tally.stances["supports"]) == (1, 1)
    sites = {s.site_id: s for s in tally.sites}
    assert sites["karmoy"].stances["contradicts"] == 1
    assert sites["trondheim"].stances["supports"] == 1
    assert sites["karmoy"].codings >= len(list_codings(demo, code_id="hm4", site_id="karmoy",
                                                       with_descendants=True))


def test_the_goal_table_exports_to_word_and_excel_with_its_grounds(demo: Database,
                                                                   tmp_path: Path) -> None:
    passages = judged_goal_four(demo)
    save_judgement(demo, 4, "bo", text=EDITED)
    docx_path = run_export(demo, "goals", "docx", tmp_path / "goals.docx")
    document = Document(str(docx_path))
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert table[0] == ["Mål", "Måloppnåelse"]
    goal_four = next(row for row in table if row[0].startswith("4."))
    assert EDITED in goal_four[1] and goal_four[1].startswith("Lav.")
    paragraphs = [p.text for p in document.paragraphs]
    for coding in passages:
        assert " ".join(coding.quote.split()) in paragraphs
    assert any(p.startswith("— Karmøy, ") for p in paragraphs)
    indicator_rows = [row.cells[0].text for row in document.tables[1].rows]
    assert indicator_rows[1:] == [str(i) for i in INDICATORS]

    xlsx_path = run_export(demo, "goals", "xlsx", tmp_path / "goals.xlsx")
    workbook = load_workbook(xlsx_path)
    assert workbook.sheetnames == ["Måloppnåelse", "Grunnlag"]
    rows = [[c.value for c in row] for row in workbook["Måloppnåelse"].iter_rows()]
    four = next(row for row in rows if str(row[0]).startswith("4."))
    assert (four[1], four[2], four[5]) == ("lav", EDITED, 2)
    grounds = [[c.value for c in row] for row in workbook["Grunnlag"].iter_rows()][1:]
    assert [g[1] for g in grounds] == [*(f"indicator:{i}" for i in INDICATORS),
                                      *(f"coding:{p.id}" for p in passages)]
    assert {g[3] for g in grounds if g[2] == "coding"} == {"Karmøy", "Trondheim"}


def test_the_goal_table_as_markdown_marks_drafts_and_flags(demo: Database,
                                                          tmp_path: Path) -> None:
    passages = judged_goal_four(demo)
    remove_coding(demo, passages[0].id, "anna", force=True)
    text = run_export(demo, "goals", "md", tmp_path / "goals.md").read_text(encoding="utf-8")
    assert "| Mål | Måloppnåelse |" in text
    assert "(utkast)" in text
    assert "**Flagget:** coding removed" in text
    assert "Ikke vurdert ennå." in text


def test_a_cited_evidence_link_that_is_unlinked_is_flagged(demo: Database) -> None:
    coding = list_codings(demo, code_id="bolig", site_id="karmoy")[0]
    link = link_coding(demo, coding.id, 77, "explains", "anna", "køer")
    cite(demo, 4, f"link:{link.id}", "anna")
    (ground,) = grounds_of(demo, 4)
    assert (ground.flags, ground.quote, ground.site_id) == ((), coding.quote, "karmoy")
    assert ground.cited["stance"] == "explains"
    unlink(demo, link.id, "anna")
    assert grounds_of(demo, 4)[0].flags == ("evidence link removed",)
    assert goal_row(demo, 4).warnings == ["no judgement yet", NO_INDICATOR,
                                          "1 ground(s) flagged: changed or gone since cited"]


def test_a_cited_coding_orphaned_by_a_re_import_is_flagged(db: Database, tmp_path: Path) -> None:
    header = "---\nid: karmoy-test\nsite: Karmøy\nrole: leder\n---\n"
    kept, lost = ("ROP-tjenesten har døgnbemanning.",
                  "Ventetiden på kommunal bolig er kort, men få boliger har bemanning.")
    note = tmp_path / "note.md"
    note.write_text(f"{header}{kept}\n\n{lost}\n", encoding="utf-8")
    run_import(db, [note], "tester")
    text = get_document(db, "karmoy-test").text
    coding = apply_coding(db, "karmoy-test", text.index(lost), text.index(lost) + len(lost),
                          "bolig", "tester")
    cite(db, 4, f"coding:{coding.id}", "tester")
    note.write_text(f"{header}{kept}\n", encoding="utf-8")
    run_import(db, [note], "tester")
    (ground,) = grounds_of(db, 4)
    assert ground.flags == ("coding orphaned: its passage is gone from the re-imported note",)
    assert (ground.quote, ground.site_id, ground.role) == (lost, "karmoy", "leder")


def test_a_cited_passage_opens_where_it_lies_and_a_removed_one_opens_its_note(
        demo: Database) -> None:
    from kasus.synthesis.grounds import ground_source

    kept, removed = goal_four_passages(demo)[:2]
    for coding in (kept, removed):
        cite(demo, 4, f"coding:{coding.id}", "anna")
    cite(demo, 4, "indicator:77", "anna")
    cite(demo, 4, "cell:karmoy/hm4", "anna")
    remove_coding(demo, removed.id, removed.coder)
    sources = {g.label: ground_source(demo, g) for g in grounds_of(demo, 4)}
    assert sources == {
        f"coding:{kept.id}": (kept.document_id, kept.start, kept.end),
        f"coding:{removed.id}": (removed.document_id, 0, 0),
        "indicator:77": None, "cell:karmoy/hm4": None}
