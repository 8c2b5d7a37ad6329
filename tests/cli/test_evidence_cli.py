"""Evidence through the CLI: links with stance, indicators with verdicts, the goal overview."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

from kasus.demo import CORPUS
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def coded(project: Path, cli: Cli) -> tuple[str, list[int]]:
    p = str(project)
    assert cli("import", str(CORPUS / "karmoy"), str(CORPUS / "tromso"), "--project", p).code == 0
    ids = []
    for document in ("karmoy-01", "tromso-02"):
        shown = json.loads(cli("show", document, "--json", "--project", p).out)
        sentence = next(s for s in shown["segments"] if s["kind"] == "sentence"
                        and "bolig" in shown["text"][s["start"]:s["end"]])
        made = json.loads(cli("code", document, str(sentence["start"]), str(sentence["end"]),
                              "bolig", "--json", "--project", p).out)
        ids.append(made["id"])
    return p, ids


def test_indicator_77_carries_its_evidence_and_links_list_as_csv(project_path: Path,
                                                                 cli: Cli) -> None:
    p, ids = coded(project_path, cli)
    assert cli("link", str(ids[0]), "77", "--stance", "contradicts", "--note", "køer",
               "--project", p).code == 0
    assert cli("link", str(ids[1]), "77", "--stance", "supports", "--project", p).code == 0
    shown = json.loads(cli("indicators", "77", "--json", "--project", p).out)
    evidence = shown["evidence"]
    assert {(e["site_id"], e["stance"]) for e in evidence} == {("karmoy", "contradicts"),
                                                               ("tromso", "supports")}
    assert all(e["quote"] and "bolig" in e["quote"] for e in evidence)
    assert next(e for e in evidence if e["site_id"] == "karmoy")["note"] == "køer"
    rows = list(csv.DictReader(io.StringIO(cli("links", "--csv", "--project", p).out)))
    assert [(r["indicator_id"], r["stance"]) for r in rows] == [("77", "contradicts"),
                                                                ("77", "supports")]
    human = cli("indicators", "77", "--project", p).out
    assert "brudd" in human and "2 linked passage(s)" in human


def test_verdicts_take_the_desired_direction_into_account(project_path: Path, cli: Cli) -> None:
    listed = json.loads(cli("indicators", "--json", "--project", str(project_path)).out)
    assert len(listed) == 85 and all(row["desired"] in ("up", "down", "neither")
                                     for row in listed)
    deaths = next(row for row in listed if row["id"] == 9)
    assert deaths["desired"] == "down"
    trend = deaths["trend"]
    assert trend["verdict"] == "worsening"  # 284 (2016) to 324 (2020): more deaths
    assert (trend["first_year"], trend["last_year"]) == (2016, 2020)
    assert (trend["first_value"], trend["last_value"]) == (284, 324)


def test_bad_links_are_refused_in_one_line_and_undo_removes_a_link(project_path: Path,
                                                                   cli: Cli) -> None:
    p, ids = coded(project_path, cli)
    for args in (("link", str(ids[0]), "17", "--stance", "supports"),
                 ("link", "9999", "77", "--stance", "supports")):
        result = cli(*args, "--project", p)
        assert result.code == 1 and len(result.err.strip().splitlines()) == 1, args
    assert cli("link", str(ids[0]), "77", "--stance", "agrees", "--project", p).code == 2
    assert cli("uncode", str(ids[1]), "--project", p).code == 0
    removed = cli("link", str(ids[1]), "77", "--stance", "supports", "--project", p)
    assert removed.code == 1 and "is removed" in removed.err
    assert cli("link", str(ids[0]), "77", "--stance", "nuances", "--project", p).code == 0
    assert "removed link" in cli("undo", "--project", p).out
    assert json.loads(cli("links", "--json", "--project", p).out) == []


def test_goal_overview_and_coverage_as_json(project_path: Path, cli: Cli) -> None:
    p, ids = coded(project_path, cli)
    cli("link", str(ids[0]), "77", "--stance", "contradicts", "--project", p)
    for coding in ids:  # a constructed disagreement: 73 improves, the passages contradict it
        cli("link", str(coding), "73", "--stance", "contradicts", "--project", p)
    overview = json.loads(cli("indicators", "--goal", "4", "--json", "--project", p).out)
    assert any("indicator 73 is improving, but 2 of 2" in f for f in overview["flags"])
    assert overview["flags"][0].startswith("most indicators of goal 4 are improving")
    assert overview["code_id"] == "hm4" and len(overview["indicators"]) == 18
    assert sum(overview["verdicts"].values()) == 18
    sites = {site["site_id"]: site for site in overview["sites"]}
    assert sites["karmoy"]["stances"]["contradicts"] == 2
    assert sites["karmoy"]["codings"] == 1 and sites["tromso"]["codings"] == 1  # bolig → hm4
    unlinked = json.loads(cli("indicators", "--unlinked", "--json", "--project", p).out)
    assert set(unlinked) == {"unlinked_indicators", "codes_without_indicators"}
