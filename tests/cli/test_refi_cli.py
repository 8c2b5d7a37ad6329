"""The REFI-QDA commands through the real entry point: export qdpx and qdc, import them."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult
from tests.core import refi_files

Cli = Callable[..., CliResult]


def test_export_qdpx_and_codebook_then_import_them(cli: Cli, project_path: Path,
                                                   tmp_path: Path) -> None:
    project = str(project_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "karmoy-01.md").write_text("---\nsite: Karmøy\nrole: leder\n---\n"
                                        "Kommunen har fått flere boliger. Ventetiden er lang.\n")
    assert cli("import", str(notes), "--project", project).code == 0
    assert cli("code", "karmoy-01", "0", "32", "bolig", "--project", project).code == 0

    out = tmp_path / "p.qdpx"
    result = cli("export", "qdpx", "--out", str(out), "--project", project)
    assert result.code == 0, result.err
    assert "1 documents" in result.out and "1 codings" in result.out
    assert "indicators and their values" in result.out  # what the format cannot hold
    with zipfile.ZipFile(out) as archive:
        assert "project.qde" in archive.namelist()
    assert (out.stat().st_mode & 0o777) == 0o600
    result = cli("export", "codebook", "--format", "qdc", "--out", str(tmp_path / "c.qdc"),
                 "--project", project)
    assert result.code == 0 and "65 codes" in result.out

    other = tmp_path / "other.db"
    assert cli("init", str(other)).code == 0
    result = cli("import", str(out), "--project", str(other), "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)[0]
    assert report["documents_added"] == ["karmoy-01"] and report["codings_added"] == 1
    result = cli("codings", "--project", str(other), "--json")
    assert [c["quote"] for c in json.loads(result.out)] == ["Kommunen har fått flere boliger."]


def test_import_report_names_what_was_left_out(cli: Cli, project_path: Path,
                                               tmp_path: Path) -> None:
    path = refi_files.maxqda_style(tmp_path)
    result = cli("import", str(path), "--site", "Trondheim", "--project", str(project_path))
    assert result.code == 0, result.err
    for line in ("codes added", "not imported: audio sources", "not imported: graphs",
                 "PDF region selections"):
        assert line in result.out


def test_a_bad_exchange_file_is_one_line_and_changes_nothing(cli: Cli, project_path: Path,
                                                             tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"this is not a zip")
    result = cli("import", str(bad), "--project", str(project_path))
    assert result.code == 1
    assert result.err.strip().count("\n") == 0 and "not a readable zip" in result.err
    assert "Traceback" not in result.err


def test_export_qdpx_refuses_an_existing_file(cli: Cli, project_path: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "p.qdpx"
    out.write_text("keep me")
    result = cli("export", "qdpx", "--out", str(out), "--project", str(project_path))
    assert result.code == 1 and "already exists" in result.err
    assert out.read_text() == "keep me"
    assert cli("export", "summary", "--project", str(project_path)).err.count("give --format")


def test_a_pseudonymised_project_refuses_a_qdpx_and_a_redacted_qdpx(
        cli: Cli, project_path: Path, tmp_path: Path) -> None:
    """A qdpx's positions count the text as it stands, so names cannot be replaced on the
    way in or out without moving every coding: both are refused, nothing is changed."""
    project = str(project_path)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "karmoy-01.md").write_text("---\nsite: Karmøy\n---\nKari Nordmann bor på "
                                        "Pilehagen. Ventetiden er lang.\n")
    names = tmp_path / "names.yaml"
    names.write_text("names:\n  - name: Kari Nordmann\n    kind: person\n")
    assert cli("import", str(notes), "--pseudonymise", "--names", str(names),
               "--project", project).code == 0
    result = cli("export", "qdpx", "--redact", "--out", str(tmp_path / "r.qdpx"),
                 "--project", project)
    assert result.code == 1 and "cannot be redacted" in result.err
    assert not (tmp_path / "r.qdpx").exists()
    before = cli("stats", "--project", project, "--json").out
    result = cli("import", str(refi_files.qualcoder_style(tmp_path)), "--project", project)
    assert result.code == 1 and "pseudonymised project" in result.err
    assert cli("stats", "--project", project, "--json").out == before
