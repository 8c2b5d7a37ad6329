"""Pseudonymisation through the real entry point: import --pseudonymise, kasus pseudonymise
(with --dry-run), and export --redact with the key kept out of every export."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from kasus.corpus.keyfile import key_folder
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
NAMES_CSV = "name,kind,aliases\nKari Nordmann,person,Kari;Nordmann\nPilehagen,sted,\n"
NOTE = ("---\nid: k-01\nsite: Karmøy\nrole: leder\ninformant: Kari Nordmann\n---\n"
        "Kari Nordmann viste oss Pilehagen. Karis telefon er 912 34 567.\n\n"
        "Etterpå møtte vi Solveig på kafeen.\n")


def _setup(tmp_path: Path, cli: Cli) -> tuple[str, Path, Path]:
    project = tmp_path / "p.db"
    assert cli("init", str(project)).code == 0
    note = tmp_path / "k-01.md"
    note.write_text(NOTE, encoding="utf-8")
    names = tmp_path / "names.csv"
    names.write_text(NAMES_CSV, encoding="utf-8")
    return str(project), note, names


def _text(cli: Cli, project: str, document_id: str = "k-01") -> str:
    return str(json.loads(cli("show", document_id, "--json", "--project", project).out)["text"])


def test_import_pseudonymise_replaces_before_storing(tmp_path: Path, cli: Cli) -> None:
    project, note, names = _setup(tmp_path, cli)
    result = cli("import", str(note), "--pseudonymise", "--names", str(names),
                 "--project", project)
    assert result.code == 0, result.err
    # Four in the text and the informant in the front matter.
    assert "pseudonymised: 5 replacement(s), 2 name(s) in the list (2 new)" in result.out
    assert _text(cli, project) == ("[PERSON-1] viste oss [STED-1]. [PERSON-1]s telefon er "
                                   "[TLF-1].\n\nEtterpå møtte vi Solveig på kafeen.")
    shown = json.loads(cli("show", "k-01", "--json", "--project", project).out)
    assert shown["informant"] == "[PERSON-1]"
    assert b"Nordmann" not in Path(project).read_bytes()
    # The name nobody listed is named in one warning line, with where it is.
    warning = [line for line in result.err.splitlines() if "likely names left" in line]
    assert len(warning) == 1 and "Solveig (k-01 line 3)" in warning[0]
    # Importing the same file again with the same key changes nothing.
    again = json.loads(cli("import", str(note), "--pseudonymise", "--json",
                           "--project", project).out)
    assert again[0]["status"] == "unchanged"


def test_a_pseudonymised_project_stays_so_on_later_imports(tmp_path: Path, cli: Cli) -> None:
    project, note, names = _setup(tmp_path, cli)
    assert cli("import", str(note), "--pseudonymise", "--names", str(names),
               "--project", project).code == 0
    other = tmp_path / "k-02.md"
    other.write_text("---\nsite: Karmøy\n---\nKari ringte fra 22 33 44 55.\n", encoding="utf-8")
    result = cli("import", str(other), "--project", project)
    assert result.code == 0 and "pseudonymising the new notes" in result.err
    assert _text(cli, project, "karmoy-k-02") == "[PERSON-1] ringte fra [TLF-2]."


def test_without_its_key_a_pseudonymised_project_refuses_new_placeholders(
        tmp_path: Path, cli: Cli) -> None:
    project, note, names = _setup(tmp_path, cli)
    assert cli("import", str(note), "--pseudonymise", "--names", str(names),
               "--project", project).code == 0
    # A colleague is sent the project file without the key.
    shared = tmp_path / "colleague"
    shared.mkdir()
    copy = shared / "p.db"
    assert cli("backup", str(copy), "--project", project).code == 0
    other = tmp_path / "k-02.md"
    other.write_text("---\nsite: Karmøy\n---\nPer ringte.\n", encoding="utf-8")
    for args in (("pseudonymise", "--names", str(names)), ("import", str(other)),
                 ("export", "codings", "--format", "csv", "--redact", "--out",
                  str(shared / "c.csv"))):
        result = cli(*args, "--project", str(copy))
        assert result.code == 1, args
        assert "pseudonymised but its key" in result.err and "is missing" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert sorted(p.name for p in shared.iterdir() if not p.name.endswith(("-wal", "-shm"))
                  ) == ["p.db"]  # no key folder started, no export written
    assert json.loads(cli("stats", "--json", "--project", str(copy)).out)["documents"] == 1


def test_pseudonymise_dry_run_then_for_real(tmp_path: Path, cli: Cli) -> None:
    project, note, names = _setup(tmp_path, cli)
    assert cli("import", str(note), "--project", project).code == 0
    text = _text(cli, project)
    start = text.index("Kari Nordmann viste")
    assert cli("code", "k-01", str(start), str(start + len("Kari Nordmann viste oss Pilehagen")),
               "bolig", "--project", project).code == 0

    dry = cli("pseudonymise", "--names", str(names), "--dry-run", "--project", project)
    assert dry.code == 0, dry.err
    assert "Kari Nordmann → [PERSON-1]" in dry.out and "912 34 567 → [TLF-1]" in dry.out
    assert _text(cli, project) == text and not key_folder(project).exists()

    listed = json.loads(cli("pseudonymise", "--names", str(names), "--dry-run", "--json",
                            "--project", project).out)
    assert {(c["line"], c["original"], c["placeholder"]) for c in listed["changes"]} == {
        (1, "Kari Nordmann", "[PERSON-1]"), (1, "Pilehagen", "[STED-1]"),
        (1, "Kari", "[PERSON-1]"), (1, "912 34 567", "[TLF-1]")}

    done = json.loads(cli("pseudonymise", "k-01", "--names", str(names), "--json",
                          "--project", project).out)
    assert done["documents"] == [{"document_id": "k-01", "replacements": 4, "codings": 1,
                                  "memos": 0, "version": 2}]
    codings = json.loads(cli("codings", "--json", "--project", project).out)
    assert [c["quote"] for c in codings] == ["[PERSON-1] viste oss [STED-1]"]
    assert cli("check", "--project", project).code == 0


def test_pseudonymise_refuses_an_unknown_document_in_one_line(tmp_path: Path,
                                                             cli: Cli) -> None:
    project, _, names = _setup(tmp_path, cli)
    result = cli("pseudonymise", "nope", "--names", str(names), "--project", project)
    assert result.code == 1 and "no document 'nope'" in result.err
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err


def test_redacted_exports_hold_no_original_and_no_key(tmp_path: Path, cli: Cli) -> None:
    project, note, names = _setup(tmp_path, cli)
    assert cli("import", str(note), "--project", project).code == 0
    text = _text(cli, project)
    assert cli("code", "k-01", "0", str(text.index("\n")), "bolig", "--memo",
               "Ring Kari på 91234567", "--project", project).code == 0
    exports = tmp_path / "exports"
    exports.mkdir()
    for kind, fmt in (("summary", "md"), ("codings", "csv"), ("codings", "xlsx")):
        out = exports / f"{kind}.{fmt}"
        result = cli("export", kind, "--format", fmt, "--code", "bolig", "--redact",
                     "--names", str(names), "--out", str(out), "--project", project)
        assert result.code == 0, result.err
    written = (exports / "summary.md").read_text(encoding="utf-8")
    assert "\\[PERSON-1\\] viste oss \\[STED-1\\]" in written
    assert "Ring \\[PERSON-1\\] på \\[TLF-1\\]" in written
    with (exports / "codings.csv").open(encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    sheet = load_workbook(exports / "codings.xlsx").active
    cells += [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row]
    cells.append(written)
    for original in ("Kari", "Nordmann", "Pilehagen", "912 34 567", "91234567"):
        assert not any(original in cell for cell in cells), original
    assert sorted(p.name for p in exports.iterdir()) == ["codings.csv", "codings.xlsx",
                                                         "summary.md"]
    # The project itself is untouched by a redacted export; the key is beside it, not here.
    assert "Kari Nordmann" in _text(cli, project)
    assert key_folder(project).parent == tmp_path


def test_an_export_into_the_key_folder_is_refused(tmp_path: Path, cli: Cli) -> None:
    project, note, names = _setup(tmp_path, cli)
    assert cli("import", str(note), "--pseudonymise", "--names", str(names),
               "--project", project).code == 0
    out = key_folder(project) / "codings.csv"
    result = cli("export", "codings", "--format", "csv", "--out", str(out), "--project", project)
    assert result.code == 1 and "inside the pseudonym key folder" in result.err
    assert not out.exists()
