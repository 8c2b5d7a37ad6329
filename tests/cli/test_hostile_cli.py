"""Hostile names and text through the real `kasus` entry point: nothing steers the terminal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, CliResult

Cli = Callable[..., CliResult]
# What must never reach a terminal from a name or a note: ESC (colour, cursor, title, OSC 52
# clipboard), BEL, the 8-bit CSI, and the bidi overrides, isolates and marks.
STEERING = ["\x1b", "\x07", "\x9b", "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200e"]
NOTE = "Et godt notat om bolig og rus på Horten."


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        for char in STEERING:
            assert char not in output, f"{char!r} reached the terminal: {output!r}"


def test_file_names_with_escape_sequences_and_newlines(project_path: Path, tmp_path: Path,
                                                       cli: Cli) -> None:
    folder = tmp_path / "notater"
    folder.mkdir()
    names = ["tittel\x1b]0;hacked\x07.txt", "ny\nlinje.txt", "\u202etxt.exe.txt",
             "farge\x1b[31m.txt"]
    for number, name in enumerate(names):
        (folder / name).write_text(f"{NOTE} Notat nummer {number}.", encoding="utf-8")
    (folder / "tom\x1b[2J.md").write_text("", encoding="utf-8")
    result = cli("--project", str(project_path), "import", str(folder), "--site", "Horten")
    assert result.code == 1  # the empty note failed; the others are in
    assert_clean(result.out, result.err)
    assert "4 added" in result.out and "1 failed" in result.out
    # Each name is listed whole on its row, its controls written out as escapes.
    for shown in ["tittel\\x1b]0;hacked\\x07.txt", "ny\\nlinje.txt", "\\u202etxt.exe.txt",
                  "farge\\x1b[31m.txt"]:
        [row] = [line for line in result.out.splitlines() if shown in line]
        assert "added" in row
    [failed] = [line for line in result.out.splitlines() if "tom\\x1b[2J.md" in line]
    assert "failed" in failed and "empty" in failed


# Any character a Linux file name may hold, weighted towards the ones that steer terminals.
FILE_NAME = st.lists(
    st.characters(codec="utf-8", blacklist_characters="/\x00")
    | st.sampled_from([*STEERING, "\n", "\r", "\t", "\x1b[31m", "\x1b]0;tittel\x07"]),
    min_size=1, max_size=20,
).map("".join).filter(lambda name: name not in (".", "..") and len(name.encode()) < 200)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=FILE_NAME)
def test_any_file_name_is_printed_safely(project_path: Path, cli: Cli, name: str,
                                         tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("navn")
    (folder / f"{name}.txt").write_text(f"{NOTE} {name!r}", encoding="utf-8")
    result = cli("--project", str(project_path), "import", str(folder), "--site", "Horten")
    assert "Traceback" not in result.err
    assert_clean(result.out, result.err)


def test_json_keeps_hostile_names_exact_but_escaped(project_path: Path, tmp_path: Path,
                                                    cli: Cli) -> None:
    note = tmp_path / "\u202eny\x1b[31m\x85.txt"
    note.write_text(NOTE, encoding="utf-8")
    result = cli("--project", str(project_path), "import", str(note), "--site", "Horten",
                 "--json")
    assert result.code == 0, result.err
    assert_clean(result.out)
    assert "\x85" not in result.out
    assert json.loads(result.out)[0]["path"] == str(note)  # the data is unchanged


def test_titles_and_text_of_notes_reach_the_terminal_clean(project_path: Path, tmp_path: Path,
                                                           cli: Cli) -> None:
    note = tmp_path / "intervju.md"
    note.write_text('---\ntitle: "Intervju \\e[2J\\e]52;c;ZWNobyBoYWNrZWQ=\\a med\\nleder"\n'
                    "site: Horten\nrole: leder\n---\n"
                    "Samtale med \u200fعلي\u200e om bolig og \u202erus\u202c.\n",
                    encoding="utf-8")
    p = str(project_path)
    imported = json.loads(cli("--project", p, "import", str(note), "--json").out)
    document_id = imported[0]["document_id"]
    shown = cli("--project", p, "show", document_id)
    assert shown.code == 0, shown.err
    assert_clean(shown.out, shown.err)
    assert "Intervju [2J]52;c;ZWNobyBoYWNrZWQ= med leder" in shown.out
    assert "Samtale med علي om bolig og rus." in shown.out
    hits = cli("--project", p, "search", "bolig")
    assert_clean(hits.out)
    assert "علي om bolig" in hits.out
    as_json = cli("--project", p, "show", document_id, "--json")
    assert_clean(as_json.out)
    # The text of record keeps the harmless marks that place the name; JSON escapes them.
    assert "\u200fعلي\u200e" in json.loads(as_json.out)["text"]


def test_a_site_name_with_an_escape_sequence_is_printed_clean(project_path: Path,
                                                              tmp_path: Path, cli: Cli) -> None:
    note = tmp_path / "notat.txt"
    note.write_text(NOTE, encoding="utf-8")
    p = str(project_path)
    imported = cli("--project", p, "import", str(note), "--site", "Ny\x1b[5mby", "--new-site")
    assert_clean(imported.out, imported.err)
    stats = cli("--project", p, "stats")
    assert stats.code == 0, stats.err
    assert_clean(stats.out, stats.err)


def test_an_error_naming_a_file_with_a_newline_stays_one_line(tmp_path: Path, cli: Cli) -> None:
    missing = tmp_path / "ingen\nsånn\x1b[31m.yaml"
    result = cli("init", str(tmp_path / "p.db"), "--codebook", str(missing))
    assert result.code == 1
    assert_clean(result.err)
    assert result.err.count("\n") == 1 and result.err.startswith("error: ")
    assert "ingen\\nsånn\\x1b[31m.yaml" in result.err


def test_a_codebook_label_with_an_escape_sequence_is_refused(tmp_path: Path, cli: Cli) -> None:
    codebook = tmp_path / "kodebok.yaml"
    codebook.write_text("codes:\n  - {id: bolig, label_nb: \"Bolig\\e[8m\", label_en: Housing, "
                        "colour: '#4e79a7'}\n", encoding="utf-8")
    result = cli("init", str(tmp_path / "p.db"), "--codebook", str(codebook))
    assert result.code == 1
    assert_clean(result.err)
    assert result.err.count("\n") == 1
    assert f"{codebook}:2: code 'bolig': label_nb:" in result.err and "U+001B" in result.err
    assert not (tmp_path / "p.db").exists()


def test_symlink_loops_are_reported_and_the_rest_imported(project_path: Path, tmp_path: Path,
                                                          cli: Cli) -> None:
    folder = tmp_path / "notater"
    (folder / "under").mkdir(parents=True)
    (folder / "god.txt").write_text(NOTE, encoding="utf-8")
    (folder / "under" / "dyp.txt").write_text(NOTE + " Fra undermappen.", encoding="utf-8")
    (folder / "under" / "opp").symlink_to("..")  # a folder link back up the tree
    (folder / "selv.txt").symlink_to("selv.txt")  # a file link to itself
    result = cli("--project", str(project_path), "import", str(folder), "--site", "Horten")
    assert result.code == 1
    assert "2 added" in result.out, result.out
    assert "symbolic link loop" in result.out
    [looping] = [line for line in result.out.splitlines() if "selv.txt" in line]
    assert "failed" in looping and "looping symbolic link" in looping


def _run_without_root_privileges(args: list[str],
                                 env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real entry point in a new process; as root, without the capabilities that let root
    read any folder, so that permission bits hold as they do for a user."""
    command = [sys.executable, "-m", "kasus", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root and setpriv is not installed")
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False,
                          timeout=120)


def test_unreadable_folders_and_files_are_reported_and_the_rest_imported(
        project_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notater"
    locked = folder / "låst"
    locked.mkdir(parents=True)
    (folder / "god.txt").write_text(NOTE, encoding="utf-8")
    (locked / "inne.txt").write_text(NOTE + " Låst inne.", encoding="utf-8")
    secret = folder / "hemmelig.txt"
    secret.write_text(NOTE + " Hemmelig.", encoding="utf-8")
    locked.chmod(0)
    secret.chmod(0)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "300"}
    try:
        result = _run_without_root_privileges(
            ["--project", str(project_path), "import", str(folder), "--site", "Horten"], env)
    finally:
        locked.chmod(0o700)
        secret.chmod(0o600)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "1 added" in result.stdout and "2 failed" in result.stdout, result.stdout
    [folder_row] = [line for line in result.stdout.splitlines() if "låst" in line]
    assert "cannot read the folder (Permission denied)" in folder_row
    [file_row] = [line for line in result.stdout.splitlines() if "hemmelig.txt" in line]
    assert "Permission denied" in file_row
