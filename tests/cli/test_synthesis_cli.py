"""The synthesis through the real entry point: matrix, summary, goals, goal, and the exports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def p(demo_master: Path, tmp_path: Path) -> str:
    """A private copy of the demo project, as a --project value."""
    copy = tmp_path / "demo.db"
    shutil.copy(demo_master, copy)
    return str(copy)


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


def one_line_error(result: CliResult, *words: str) -> None:
    assert result.code != 0
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]


def codings_of(cli: Cli, p: str, code: str, site: str) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(
        ok(cli("codings", "--code", code, "--site", site, "--json", "--project", p)).out)
    return listed


def test_matrix_json_has_every_site_and_column_and_saves_a_choice(cli: Cli, p: str) -> None:
    default = json.loads(ok(cli("matrix", "--json", "--project", p)).out)
    assert [c["id"] for c in default["columns"]] == ["opptrapping", "hm1", "hm2", "hm3", "hm4",
                                                     "hm5"]
    assert len(default["cells"]) == len(default["sites"]) * 6
    chosen = json.loads(ok(cli("matrix", "--codes", "rop,bolig", "--codes", "hm4.arbeid",
                               "--save", "--json", "--project", p)).out)
    assert [c["id"] for c in chosen["columns"]] == ["rop", "bolig", "hm4.arbeid"]
    again = json.loads(ok(cli("matrix", "--json", "--project", p)).out)
    assert again["columns"] == chosen["columns"]
    karmoy = next(c for c in again["cells"] if (c["site_id"], c["column_id"]) == ("karmoy",
                                                                                 "rop"))
    assert karmoy["status"] == "to summarise" and karmoy["passages"] > 0
    shown = ok(cli("matrix", "--goal", "4", "--project", p)).out
    assert "Karmøy" in shown and "hm4.arbeid" in shown and "to summarise" in shown


def test_matrix_refuses_an_unknown_code_or_goal_in_one_line(cli: Cli, p: str) -> None:
    one_line_error(cli("matrix", "--codes", "rop,ropp", "--project", p), "no code 'ropp'")
    one_line_error(cli("matrix", "--goal", "7", "--project", p), "no goal '7'")


def test_summary_set_history_restore_and_status(cli: Cli, p: str, tmp_path: Path) -> None:
    ok(cli("summary", "Karmøy", "rop", "--set", "Første utkast om ROP på Karmøy.", "--project", p))
    note = tmp_path / "ny.md"
    note.write_text("Andre versjon: ROP-teamet er styrket.\n\nVentetid til DPS.", encoding="utf-8")
    saved = json.loads(ok(cli("summary", "karmoy", "rop", "--file", str(note), "--json",
                              "--project", p)).out)
    assert (saved["version"], saved["author"], saved["status"]) == (2, "tester", "draft")
    history = json.loads(ok(cli("summary", "karmoy", "rop", "--history", "--json",
                                "--project", p)).out)
    assert [v["text"] for v in history] == ["Første utkast om ROP på Karmøy.",
                                            note.read_text(encoding="utf-8").strip()]
    restored = json.loads(ok(cli("summary", "karmoy", "rop", "--restore", "1", "--json",
                                 "--project", p)).out)
    assert (restored["version"], restored["restored_from"]) == (3, 1)
    assert ok(cli("summary", "karmoy", "rop", "--status", "reviewed", "--project",
                  p)).out.startswith("summary of karmoy/rop: version 4 (reviewed")
    shown = ok(cli("summary", "karmoy", "rop", "--project", p)).out
    assert "Første utkast om ROP på Karmøy." in shown and "reviewed" in shown
    detail = json.loads(ok(cli("summary", "karmoy", "rop", "--json", "--project", p)).out)
    assert len(detail["passages"]) == karmoy_rop_passages(cli, p)
    assert detail["summary"]["version"] == 4 and detail["indicators"]


def karmoy_rop_passages(cli: Cli, p: str) -> int:
    return len(codings_of(cli, p, "rop", "karmoy"))


def test_summary_errors_are_one_line(cli: Cli, p: str, tmp_path: Path) -> None:
    one_line_error(cli("summary", "Atlantis", "rop", "--set", "x", "--project", p),
                   "no site 'Atlantis'")
    one_line_error(cli("summary", "karmoy", "ropp", "--project", p), "no code 'ropp'")
    one_line_error(cli("summary", "karmoy", "rop", "--restore", "2", "--project", p),
                   "no summary version 2")
    one_line_error(cli("summary", "karmoy", "rop", "--file", str(tmp_path / "nope.md"),
                       "--project", p), "no such file")
    one_line_error(cli("summary", "karmoy", "rop", "--status", "reviewed", "--project", p),
                   "has no summary yet")


def test_goal_judge_cite_history_and_the_goals_table(cli: Cli, p: str) -> None:
    passage = codings_of(cli, p, "hm4", "karmoy")[0]
    ok(cli("summary", "Karmøy", "hm4", "--set", "Få i arbeid.", "--project", p))
    made = json.loads(ok(cli("goal", "4", "--level", "lav", "--text",
                             "Måloppnåelsen vurderes å være lav.", "--cite", "indicator:77",
                             "--cite", f"coding:{passage['id']}", "--cite", "cell:Karmøy/hm4",
                             "--json", "--project", p)).out)
    assert made["judgement"]["level"] == "lav"
    assert [g["label"] for g in made["cited"]] == ["indicator:77", f"coding:{passage['id']}",
                                                   "cell:karmoy/hm4"]
    ok(cli("goal", "4", "--text", "Lav, særlig for arbeid.", "--project", p))
    history = json.loads(ok(cli("goal", "4", "--history", "--json", "--project", p)).out)
    assert [(v["version"], v["text"]) for v in history] == [
        (1, "Måloppnåelsen vurderes å være lav."), (2, "Lav, særlig for arbeid.")]
    ok(cli("goal", "1", "--level", "sammensatt", "--text", "Bildet er sammensatt.",
           "--sub", "individnivå=relativt høy", "--sub", "systemnivå=lav=få brukerråd",
           "--project", p))
    ok(cli("summary", "karmoy", "hm4", "--set", "Ingen i arbeid.", "--project", p))
    rows = json.loads(ok(cli("goals", "--json", "--project", p)).out)
    assert [r["number"] for r in rows] == ["0", "1", "2", "3", "4", "5"]
    four, one = rows[4], rows[1]
    assert four["judgement"]["version"] == 2
    cell = next(g for g in four["grounds"] if g["kind"] == "cell")
    assert cell["flagged"] and "rewritten" in cell["flags"][0]
    assert [(s["label"], s["level"], s["text"]) for s in one["judgement"]["parts"]] == [
        ("individnivå", "relativt høy", ""), ("systemnivå", "lav", "få brukerråd")]
    assert "cites no indicator" in one["warnings"]
    table = ok(cli("goals", "--project", p)).out
    assert "Mål | Måloppnåelse" in table and "sammensatt – ikke mulig å vurdere samlet" in table
    shown = ok(cli("goal", "4", "--project", p)).out
    assert "summary rewritten since it was cited" in shown and "Evidence by site" in shown


def test_goal_uncite_takes_a_ground_off(cli: Cli, p: str) -> None:
    cited = json.loads(ok(cli("goal", "4", "--cite", "indicator:77", "--json",
                              "--project", p)).out)["cited"][0]
    ok(cli("goal", "4", "--uncite", str(cited["id"]), "--project", p))
    assert json.loads(ok(cli("goal", "4", "--json", "--project", p)).out)["grounds"] == []


def test_goal_errors_are_one_line_and_save_nothing(cli: Cli, p: str) -> None:
    one_line_error(cli("goal", "9", "--project", p), "no goal '9'")
    one_line_error(cli("goal", "4", "--level", "god", "--text", "x", "--project", p),
                   "not on the scale")
    one_line_error(cli("goal", "4", "--level", "lav", "--text", "x", "--cite", "indicator:77",
                       "--cite", "bolig:1", "--project", p), "not of a known kind")
    one_line_error(cli("goal", "4", "--cite", "cell:Atlantis/rop", "--project", p), "no site")
    one_line_error(cli("goal", "4", "--sub", "bare-en-etikett", "--level", "lav", "--text", "x",
                       "--project", p), "LABEL=LEVEL")
    assert json.loads(ok(cli("goal", "4", "--history", "--json", "--project", p)).out) == []
    assert json.loads(ok(cli("goal", "4", "--json", "--project", p)).out)["grounds"] == []


def test_export_matrix_with_summaries_and_goals_in_each_format(cli: Cli, p: str,
                                                               tmp_path: Path) -> None:
    ok(cli("summary", "Karmøy", "rop", "--set", "Tjenestene for ROP er samlet på Karmøy.",
           "--project", p))
    ok(cli("goal", "4", "--level", "lav", "--text", "Måloppnåelsen vurderes å være lav.",
           "--cite", "indicator:77", "--project", p))
    for fmt in ("md", "docx", "xlsx"):
        ok(cli("export", "matrix", "--with-summaries", "--code", "rop", "--format", fmt,
               "--out", str(tmp_path / f"matrix.{fmt}"), "--project", p))
        ok(cli("export", "goals", "--format", fmt, "--out", str(tmp_path / f"goals.{fmt}"),
               "--project", p))
    matrix_md = (tmp_path / "matrix.md").read_text(encoding="utf-8")
    assert "Tjenestene for ROP er samlet på Karmøy." in matrix_md
    assert "å oppsummere" in matrix_md  # the other sites' cells
    paragraphs = [x.text for x in Document(str(tmp_path / "matrix.docx")).paragraphs]
    assert "Tjenestene for ROP er samlet på Karmøy." in paragraphs
    sheet = load_workbook(tmp_path / "matrix.xlsx")["Oppsummeringer"]
    assert ["Karmøy", "rop"] in [[r[0].value, r[1].value] for r in sheet.iter_rows()]
    goals_md = (tmp_path / "goals.md").read_text(encoding="utf-8")
    assert "Lav. Måloppnåelsen vurderes å være lav. (utkast)" in goals_md
    assert "| 77 | Andel brukere med tilfredsstillende bosituasjon" in goals_md
    one_line_error(cli("export", "goals", "--format", "csv", "--out", str(tmp_path / "g.csv"),
                       "--project", p), "goals exports as")


def test_a_site_profile_leads_with_the_sites_summaries(cli: Cli, p: str, tmp_path: Path) -> None:
    ok(cli("summary", "Karmøy", "rop", "--set", "ROP: samlet tjeneste siden 2015.", "--project",
           p))
    ok(cli("summary", "Horten", "rop", "--set", "Horten: ikke med her.", "--project", p))
    ok(cli("export", "site", "--site", "Karmøy", "--format", "md", "--out",
           str(tmp_path / "karmoy.md"), "--project", p))
    text = (tmp_path / "karmoy.md").read_text(encoding="utf-8")
    assert text.index("## Oppsummeringer") < text.index("ROP: samlet tjeneste siden 2015.")
    assert "*utkast, versjon 1, tester*" in text
    assert "Horten: ikke med her." not in text
    ok(cli("export", "site", "--site", "Karmøy", "--format", "docx", "--out",
           str(tmp_path / "karmoy.docx"), "--project", p))
    paragraphs = [x.text for x in Document(str(tmp_path / "karmoy.docx")).paragraphs]
    assert paragraphs.index("Oppsummeringer") < paragraphs.index(
        "ROP: samlet tjeneste siden 2015.")
