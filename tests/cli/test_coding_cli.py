"""Coding through the CLI: real processes for restart, concurrency, backup and check."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.demo import CORPUS
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def kasus(project: Path, *args: str, coder: str = "tester") -> subprocess.CompletedProcess[str]:
    """Run kasus as its own process, as a researcher's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "kasus", "--project", str(project), "--coder", coder, *args],
        capture_output=True, text=True, check=False,
    )


@pytest.fixture
def demo_project(project_path: Path, cli: Cli) -> Path:
    assert cli("--project", str(project_path), "import", str(CORPUS / "karmoy")).code == 0
    return project_path


def test_code_show_codings_and_memo(demo_project: Path, cli: Cli) -> None:
    p = str(demo_project)
    shown = json.loads(cli("--project", p, "show", "karmoy-01", "--json").out)
    sentence = next(s for s in shown["segments"] if s["kind"] == "sentence" and s["start"] > 200)
    coded = json.loads(cli("--project", p, "code", "karmoy-01", str(sentence["start"]),
                           str(sentence["end"]), "rop", "--memo", "kjerne", "--json").out)
    assert coded["quote"] == shown["text"][sentence["start"]:sentence["end"]]
    assert coded["coder"] == "tester" and coded["memo"] == "kjerne"
    again = json.loads(cli("--project", p, "show", "karmoy-01", "--json").out)
    assert [(c["start"], c["end"], c["quote"], c["status"]) for c in again["codings"]] == [
        (coded["start"], coded["end"], coded["quote"], "anchored")]
    listed = cli("--project", p, "codings", "--code", "rop", "--csv").out.splitlines()
    assert listed[0].startswith("id,document_id,site,role,round") and len(listed) == 2
    assert cli("--project", p, "memo", str(coded["id"]), "endret").code == 0
    assert json.loads(cli("--project", p, "codings", "--json").out)[0]["memo"] == "endret"


def test_undo_and_redo_after_a_restart(demo_project: Path) -> None:
    made = kasus(demo_project, "code", "karmoy-02", "0", "40", "bolig", "--json")
    assert made.returncode == 0, made.stderr
    assert kasus(demo_project, "undo").returncode == 0
    listed = json.loads(kasus(demo_project, "codings", "--json").stdout)
    assert listed == []
    assert kasus(demo_project, "redo").returncode == 0
    listed = json.loads(kasus(demo_project, "codings", "--json").stdout)
    assert [c["id"] for c in listed] == [json.loads(made.stdout)["id"]]


WRITER = """
import sys
from kasus.coding.codings import apply_coding
from kasus.store import open_project
db = open_project(sys.argv[1])
coder = sys.argv[2]
for i in range(500):
    apply_coding(db, "karmoy-01", i, i + 30, "rop", coder)
print("done")
"""


def test_two_writer_processes_lose_nothing(demo_project: Path) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(demo_project), name],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name in ("anna", "bjorn")]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    stats = json.loads(kasus(demo_project, "stats", "--json").stdout)
    assert stats["coders"] == {"anna": 500, "bjorn": 500}
    assert kasus(demo_project, "check").returncode == 0


def test_backup_is_a_sound_copy(demo_project: Path, tmp_path: Path) -> None:
    kasus(demo_project, "code", "karmoy-01", "0", "40", "rop")
    out = tmp_path / "copy.db"
    assert kasus(demo_project, "backup", str(out)).returncode == 0
    assert out.stat().st_mode & 0o077 == 0
    copied = json.loads(kasus(out, "stats", "--json").stdout)
    assert copied["codings"] == 1 and copied["documents"] == 4
    refused = kasus(demo_project, "backup", str(out))
    assert refused.returncode == 1 and "already exists" in refused.stderr


def test_check_reports_a_planted_inconsistency(demo_project: Path) -> None:
    made = json.loads(kasus(demo_project, "code", "karmoy-01", "0", "40", "rop", "--json").stdout)
    assert kasus(demo_project, "check").returncode == 0
    conn = sqlite3.connect(demo_project)
    conn.execute("UPDATE codings SET quote = 'noe annet' WHERE id = ?", [made["id"]])
    conn.commit()
    conn.close()
    checked = kasus(demo_project, "check")
    assert checked.returncode == 1
    assert f"coding {made['id']} in karmoy-01: quote differs" in checked.stdout


def test_search_cli_json_has_document_offsets(demo_project: Path, cli: Cli) -> None:
    hits = json.loads(cli("--project", str(demo_project), "search", "bolig", "--lemma",
                          "--json").out)
    assert hits and {"document_id", "start", "end", "site", "snippet"} <= set(hits[0])
    human = cli("--project", str(demo_project), "search", "bolig")
    assert human.code == 0 and "Karmøy" in human.out


def test_brackets_in_notes_are_text_not_markup(project_path: Path, tmp_path: Path,
                                               cli: Cli) -> None:
    note = tmp_path / "klammer.md"
    note.write_text("---\nid: klammer\nsite: Horten\n---\nHan sa [sic] at [/] boligen var god.\n",
                    encoding="utf-8")
    p = str(project_path)
    assert cli("--project", p, "import", str(note)).code == 0
    shown = cli("--project", p, "show", "klammer")
    assert "Han sa [sic] at [/] boligen" in shown.out
    coded = cli("--project", p, "code", "klammer", "0", "20", "bolig")
    assert coded.code == 0 and "[sic] at [/]" in coded.out
    assert "[sic] at [/]" in cli("--project", p, "codings").out
    refused = cli("--project", p, "search", "[/]")
    assert refused.code == 1 and "no words" in refused.err


def test_search_cli_pages_with_limit_and_offset(demo_project: Path, cli: Cli) -> None:
    p = str(demo_project)
    every = json.loads(cli("--project", p, "search", "og", "--limit", "1000", "--json").out)
    page = json.loads(cli("--project", p, "search", "og", "--limit", "3", "--offset", "4",
                          "--json").out)
    assert page == every[4:7]
    human = cli("--project", p, "search", "og", "--limit", "3", "--offset", "4")
    assert human.code == 0 and f"hits 5–7 of {len(every):,}" in human.out
    refused = cli("--project", p, "search", "og", "--offset", "-2")
    assert refused.code == 1 and "must not be negative" in refused.err


def test_a_lemma_search_process_loads_no_lemma_dictionary(demo_project: Path) -> None:
    """The query is looked up in the project's word forms, not in simplemma's tables."""
    probe = (
        "import json, sys\n"
        "from simplemma.strategies.dictionaries import dictionary_factory as f\n"
        "from kasus.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(f.DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_info().currsize,"
        " file=sys.stderr)\n")
    done = subprocess.run(
        [sys.executable, "-c", probe, "--project", str(demo_project), "search", "brukerne",
         "--lemma", "--json"], capture_output=True, text=True, check=False)
    assert json.loads(done.stdout), done.stderr
    assert done.stderr.strip().splitlines()[-1] == "0"
