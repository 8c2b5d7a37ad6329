"""init, codebook, indicators, stats and the error contract, through the real entry point."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.cli import main_group
from kasus.project import DEFAULT_CODEBOOK, DEFAULT_INDICATORS
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
CODE_FIELDS = {"id", "parent_id", "kind", "label_nb", "label_en", "definition", "include",
               "exclude", "examples", "keywords", "colour", "indicators", "status", "codings"}


def test_init_then_codebook_prints_the_goal_and_theme_tree(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "p.db"
    assert cli("init", str(path)).code == 0
    result = cli("--project", str(path), "codebook")
    assert result.code == 0
    for label in ("hm1", "hm5", "bolig", "rop", "pakkeforlop", "recovery"):
        assert label in result.out
    assert "Hovedmål 1" in result.out


def test_codebook_json_gives_every_code_with_its_fields(project_path: Path, cli: Cli) -> None:
    result = cli("--project", str(project_path), "codebook", "--json")
    codes = json.loads(result.out)
    import yaml

    shipped = yaml.safe_load(DEFAULT_CODEBOOK.read_text(encoding="utf-8"))["codes"]
    assert [code["id"] for code in codes] == [code["id"] for code in shipped]
    for code in codes:
        assert set(code) >= CODE_FIELDS, code["id"]


def test_indicators_json_lists_every_row_with_yearly_values(project_path: Path,
                                                            cli: Cli) -> None:
    result = cli("--project", str(project_path), "indicators", "--json")
    listed = {item["id"]: item for item in json.loads(result.out)}
    with DEFAULT_INDICATORS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(listed) == len(rows) == 85
    for row in rows:
        item = listed[int(row["id"])]
        assert item["name_nb"] == row["name_nb"]
        for year in ("2016", "2017", "2018"):
            expected = float(row[f"v{year}"]) if row[f"v{year}"] else None
            assert item["values_by_year"].get(year) == expected


def test_one_indicator_shows_its_linked_codes(project_path: Path, cli: Cli) -> None:
    listed = json.loads(cli("--project", str(project_path), "codebook", "--json").out)
    linked = next(code for code in listed if code["indicators"])
    indicator_id = linked["indicators"][0]
    shown = json.loads(cli("--project", str(project_path), "indicators", str(indicator_id),
                           "--json").out)
    assert linked["id"] in shown["linked_codes"]
    human = cli("--project", str(project_path), "indicators", str(indicator_id))
    assert linked["id"] in human.out


def test_stats_on_a_new_project(project_path: Path, cli: Cli) -> None:
    stats = json.loads(cli("--project", str(project_path), "stats", "--json").out)
    assert stats["documents"] == 0 and stats["codes"] >= 40 and stats["indicators"] == 85
    assert {site["name"] for site in stats["sites"]} >= {"Karmøy", "Tromsø", "Bydel Sagene"}


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda text: text + "  - id: hm1\n    label_nb: x\n    label_en: x\n"
                             "    colour: '#000000'\n", "duplicate code id 'hm1'"),
        (lambda text: text.replace("codes:", "codes: [", 1), "YAML syntax error"),
    ],
    ids=["duplicate-id", "yaml-syntax"],
)
def test_init_refuses_a_bad_codebook_in_one_line(tmp_path: Path, edit: Callable[[str], str],
                                                  fragment: str) -> None:
    codebook = tmp_path / "bad.yaml"
    codebook.write_text(edit(DEFAULT_CODEBOOK.read_text(encoding="utf-8")), encoding="utf-8")
    target = tmp_path / "p.db"
    result = subprocess.run(
        [sys.executable, "-m", "kasus", "init", str(target), "--codebook", str(codebook)],
        capture_output=True, text=True,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{codebook}:" in lines[0] and fragment in lines[0]
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_errors_a_user_can_cause_print_one_line(tmp_path: Path, cli: Cli) -> None:
    not_a_project = tmp_path / "notes.txt"
    not_a_project.write_text("hello")
    for args in (("--project", str(not_a_project), "stats"),
                 ("--project", str(tmp_path / "missing.db"), "codebook"),
                 ("init", str(not_a_project))):
        result = cli(*args)
        assert result.code == 1
        assert len(result.err.strip().splitlines()) == 1, result.err


def test_project_from_environment(project_path: Path, cli: Cli,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KASUS_PROJECT", str(project_path))
    assert json.loads(cli("stats", "--json").out)["indicators"] == 85


def test_version_and_help_for_every_command(cli: Cli) -> None:
    assert "kasus" in cli("--version").out
    for name, command in main_group.commands.items():
        assert command.help, f"command {name} has no help"
        assert cli(name, "--help").code == 0


def test_readme_tours_every_command() -> None:
    from kasus.project import DEFAULT_CODEBOOK

    readme = (DEFAULT_CODEBOOK.parent / "README.md").read_text(encoding="utf-8")
    missing = [name for name in main_group.commands if f"kasus {name}" not in readme]
    assert missing == []


def test_indicator_names_are_whole_piped_and_wrapped_at_words_when_narrow(
        project_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from kasus.cli.base import console
    from kasus.evidence.indicators import list_indicators
    from kasus.store import open_project

    db = open_project(project_path)
    names = [indicator.name_nb for indicator in list_indicators(db)]
    db.close()
    piped = cli("indicators", "--project", str(project_path)).out
    assert all(name in piped for name in names)
    assert "…" not in piped.replace("nær …", "")
    monkeypatch.setattr(console, "width", 80)
    narrow = cli("indicators", "--project", str(project_path)).out
    assert max(len(line) for line in narrow.splitlines()) <= 80
    cells = " ".join(line.split("│")[2].strip() for line in narrow.splitlines()
                     if line.count("│") > 3)
    words = set(" ".join(names).split())
    # Only a word longer than the narrowest name column (18) may be folded.
    cut = [token for token in cells.split() if token not in words]
    assert all(any(token in word and len(word) > 18 for word in words) for token in cut), cut
    one = cli("indicators", "77", "--project", str(project_path)).out
    note = ("Revised BrukerPlan sample (without NAV/barnevern registrations), not comparable "
            "with the 2016-2018 series in indicators.csv.")
    tokens = set(one.replace("│", " ").split())
    assert all(word in tokens for word in note.split())  # the whole note, cut at words only
