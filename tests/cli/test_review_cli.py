"""Review through the CLI on the demo project: batch coding, agreement, merge, decisions and
the report, each read back by its own reader."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kasus.demo import CORPUS
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def demo(demo_master: Path, tmp_path: Path) -> str:
    path = tmp_path / "demo.db"
    shutil.copy(demo_master, path)
    return str(path)


def test_the_demo_holds_both_coders(demo: str, cli: Cli) -> None:
    coders = json.loads(cli("stats", "--project", demo, "--json").out)["coders"]
    assert set(coders) == {"demo-a", "demo-b"} and min(coders.values()) > 500


def test_agreement_json_reports_every_code_used(demo: str, cli: Cli) -> None:
    result = cli("agreement", "--coders", "demo-a,demo-b", "--unit", "paragraph", "--json",
                 "--project", demo)
    assert result.code == 0, result.err
    report = json.loads(result.out)
    used = {c["code_id"] for c in json.loads(cli("codings", "--json", "--project", demo).out)}
    assert {code["code"] for code in report["codes"]} == used
    for code in report["codes"]:
        assert set(code["table"]) == {"both", "only_a", "only_b", "neither"}
        assert sum(code["table"].values()) == code["units"]
        for name in ("percent_agreement", "cohen_kappa", "krippendorff_alpha", "prevalence",
                     "segment_overlap"):
            statistic = code[name]
            assert statistic["value"] is not None or statistic["undefined"], (code, name)
    assert 0 < report["overall"]["cohen_kappa"]["value"] < 1
    csv_lines = cli("agreement", "--coders", "demo-a,demo-b", "--csv", "--project",
                    demo).out.splitlines()
    assert csv_lines[0].startswith("code,units,both,only_a,only_b,neither")
    assert len(csv_lines) == len(report["codes"]) + 2  # header and overall


def test_batch_errors_name_the_line_and_store_nothing(demo: str, cli: Cli,
                                                     tmp_path: Path) -> None:
    batch = tmp_path / "mine.csv"
    batch.write_text("document,quote,code\nkarmoy-01,Kommunen har ikke IPS,hm4.arbeid\n"
                     "karmoy-01,dette står ikke i notatet,rop\n", encoding="utf-8")
    result = cli("code", "--batch", str(batch), "--project", demo, "--coder", "kari")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    assert f"{batch}:3: quote «dette står ikke i notatet» not found" in result.err
    assert "kari" not in json.loads(cli("stats", "--json", "--project", demo).out)["coders"]
    result = cli("code", "--batch", str(batch), "--skip-bad", "--project", demo, "--coder",
                 "kari")
    assert result.code == 0 and "1 coding(s) added" in result.out


def test_merging_a_project_twice_adds_its_codings_once(demo: str, cli: Cli,
                                                      tmp_path: Path) -> None:
    other = tmp_path / "kari.db"
    assert cli("init", str(other)).code == 0
    assert cli("import", str(CORPUS / "karmoy"), "--project", str(other)).code == 0
    assert cli("code", "karmoy-02", "0", "40", "bolig", "--project", str(other),
               "--coder", "kari").code == 0
    first = json.loads(cli("merge", str(other), "--json", "--project", demo).out)
    second = json.loads(cli("merge", str(other), "--json", "--project", demo).out)
    assert (first["codings_added"], second["codings_added"]) == (1, 0)
    assert second["already_there"] == 1
    kari = json.loads(cli("codings", "--coder", "kari", "--json", "--project", demo).out)
    assert [(c["code_id"], c["origin"]) for c in kari] == [("bolig", "merged")]


def test_review_decide_list_and_report(demo: str, cli: Cli, tmp_path: Path) -> None:
    session = ("--coders", "demo-a,demo-b", "--unit", "paragraph", "--project", demo)
    listed = json.loads(cli("review", "list", *session, "--json").out)
    assert listed["decided"] == 0 and listed["total"] > 40
    first, second = listed["disagreements"][:2]
    assert cli("review", "decide", first["key"], "accept", "--comment", "«riktig» kode",
               *session, "--coder", "rita").code == 0
    result = cli("review", "decide", second["key"], "recode", "--code", "samarbeid",
                 "--comment", "heller samarbeid", *session, "--coder", "rita")
    assert result.code == 0, result.err
    bad = cli("review", "decide", second["key"], "accept", "--comment", " ", *session)
    assert bad.code == 1 and "needs a comment" in bad.err
    after = json.loads(cli("review", "list", *session, "--json", "--open").out)
    assert after["decided"] == 2 and first["key"] not in [d["key"] for d in
                                                          after["disagreements"]]
    md, xlsx = tmp_path / "review.md", tmp_path / "review.xlsx"
    assert cli("review", "report", *session, "--format", "md", "--out", str(md)).code == 0
    assert cli("review", "report", *session, "--format", "xlsx", "--out", str(xlsx)).code == 0
    assert oct(md.stat().st_mode & 0o777) == "0o600"
    text = md.read_text(encoding="utf-8")
    assert "## Agreement per site" in text and "### karmoy" in text
    assert f"### {first['key']}: accept" in text and "Comment: «riktig» kode" in text
    workbook = load_workbook(xlsx)
    assert workbook.sheetnames == ["Agreement", "By site", "Decisions"]
    decisions = list(workbook["Decisions"].iter_rows(values_only=True))
    assert decisions[0][:3] == ("key", "site", "document") and len(decisions) == 3
    assert {row[6] for row in decisions[1:]} == {"accept", "recode"}
    agreement = list(workbook["Agreement"].iter_rows(values_only=True))
    assert agreement[-1][0] == "overall" and isinstance(agreement[-1][6], float)
    again = cli("review", "report", *session, "--format", "md", "--out", str(md))
    assert again.code == 1 and "already exists" in again.err


def test_project_and_coder_after_the_sub_command_and_the_login_fallback_said(
        demo: str, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    stats = json.loads(cli("stats", "--project", demo, "--json").out)
    assert stats["documents"] == 24
    made = cli("code", "karmoy-02", "0", "40", "bolig", "--coder", "kari", "--project", demo,
               "--json")
    assert made.code == 0 and json.loads(made.out)["coder"] == "kari" and made.err == ""
    monkeypatch.delenv("KASUS_CODER")
    monkeypatch.setattr("getpass.getuser", lambda: "loginname")
    fallback = cli("code", "karmoy-02", "0", "40", "rop", "--project", demo)
    assert fallback.code == 0 and "(coder loginname)" in fallback.out
    assert "working as 'loginname', your login name" in fallback.err
    listed = cli("documents", "--project", demo, "--site", "Karmøy", "--csv").out.splitlines()
    assert listed[0] == "id,site,role,date,round,word_count,codings,version"
    assert [line.split(",")[0] for line in listed[1:]] == [f"karmoy-0{n}" for n in range(1, 5)]
    assert cli("codings", "--role", "nobody", "--project", demo).code == 1
    rows = cli("codings", "--round", "2019", "--code", "bolig", "--csv", "--project",
               demo).out.splitlines()
    assert rows[0].startswith("id,document_id,site,role,round,date,code_id,goal,theme")
    assert ",2019," in rows[1] and ",bolig," in rows[1]


def test_codebook_code_and_another_coders_coding_through_the_cli(demo: str, cli: Cli) -> None:
    shown = cli("codebook", "rop.team", "--project", demo).out
    assert "Definition:" in shown and "Include:" in shown and "Exclude:" in shown
    assert "ROP-team og ROP-tjenester" in shown
    assert cli("codebook", "rpo", "--project", demo).code == 1
    theirs = json.loads(cli("codings", "--coder", "demo-a", "--json", "--project", demo).out)[0]
    for args in (("uncode", str(theirs["id"])), ("memo", str(theirs["id"]), "nei"),
                 ("recode", str(theirs["id"]), "bolig")):
        refused = cli(*args, "--project", demo, "--coder", "kari")
        assert refused.code == 1 and "is demo-a's, not kari's" in refused.err, args
        assert len(refused.err.strip().splitlines()) == 1
    removed = cli("uncode", str(theirs["id"]), "--force", "--project", demo, "--coder", "kari")
    assert removed.code == 0 and f"{theirs['code_id']} {theirs['start']}–" in removed.out
    undone = cli("undo", "--project", demo, "--coder", "kari")
    assert f"restored {theirs['code_id']}" in undone.out
