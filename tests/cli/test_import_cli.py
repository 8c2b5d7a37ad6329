"""kasus import through the CLI: a PDF report becomes readable, searchable paragraphs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult
from tests.core.test_formats import report_pdf

Cli = Callable[..., CliResult]


def test_pdf_report_imports_as_readable_paragraphs(project_path: Path, tmp_path: Path,
                                                    cli: Cli) -> None:
    pdf = tmp_path / "statusrapport.pdf"
    pdf.write_bytes(report_pdf())
    p = str(project_path)
    imported = json.loads(cli("--project", p, "import", str(pdf), "--site", "Karmøy",
                              "--role", "rapport", "--json").out)
    assert imported[0]["status"] == "added"
    document = json.loads(cli("--project", p, "show", imported[0]["document_id"],
                              "--json").out)
    text = document["text"]
    assert "De fleste kommunene har lagt om" in text  # hyphenation across lines joined
    assert "rus- og psykisk helse" in text  # a real hyphen kept
    assert "Statusrapport 2019" not in text and "Side 1 av 3" not in text  # header, footer
    assert text.rstrip().endswith("beskriver ordningen.")  # footnotes kept, at the end
    assert "Fotnoter" in text
    paragraphs = [s for s in document["segments"] if s["kind"] == "paragraph"]
    assert len(paragraphs) >= 4
    hits = json.loads(cli("--project", p, "search", "kommunene", "--json").out)
    assert any("De fleste kommunene" in hit["snippet"] for hit in hits)


def test_import_reports_bad_files_and_goes_on(project_path: Path, tmp_path: Path,
                                              cli: Cli) -> None:
    folder = tmp_path / "mappe"
    folder.mkdir()
    (folder / "god.txt").write_text("Et godt notat om bolig.", encoding="utf-8")
    (folder / "tom.md").write_text("", encoding="utf-8")
    (folder / "bilde.png").write_bytes(b"\x89PNG")
    result = cli("--project", str(project_path), "import", str(folder), "--site", "Horten")
    assert result.code == 1  # some files failed
    assert "Traceback" not in result.err
    assert "tom.md" in result.out and "empty" in result.out
    assert "1 added" in result.out and "1 failed" in result.out and "1 skipped" in result.out


def test_an_unknown_site_is_refused_with_the_nearest_ones(project_path: Path, tmp_path: Path,
                                                         cli: Cli) -> None:
    note = tmp_path / "k.md"
    note.write_text("Boligene er få.\n", encoding="utf-8")
    p = str(project_path)
    refused = cli("import", str(note), "--site", "karmøy kommune", "--project", p)
    assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1
    assert "site 'karmøy kommune' is not in the project" in refused.err
    assert "did you mean Karmøy" in refused.err and "--new-site" in refused.err
    assert json.loads(cli("stats", "--json", "--project", p).out)["documents"] == 0
    misspelt = tmp_path / "t.md"
    misspelt.write_text("---\nsite: Tromsøe\nrole: NAV\n---\nVentetiden er lang.\n",
                        encoding="utf-8")
    result = json.loads(cli("import", str(misspelt), "--json", "--project", p).out)
    assert result[0]["status"] == "failed" and "did you mean Tromsø" in result[0]["reason"]
    added = json.loads(cli("import", str(note), "--site", "Karmøy kommune", "--new-site",
                           "--json", "--project", p).out)
    assert added[0]["status"] == "added" and added[0]["site"] == "karmoy-kommune"


def test_unknown_role_and_round_filters_are_refused(project_path: Path, tmp_path: Path,
                                                   cli: Cli) -> None:
    note = tmp_path / "k.md"
    note.write_text("---\nsite: Karmøy\nrole: leder ROP-tjenesten\nround: 2019\n---\n"
                    "Boligene er få.\n", encoding="utf-8")
    p = str(project_path)
    assert cli("import", str(note), "--project", p).code == 0
    roles = json.loads(cli("documents", "--json", "--project", p).out)
    assert [d["role"] for d in roles] == ["leder ROP-tjenesten"]  # case kept as written
    assert cli("search", "bolig", "--lemma", "--role", "LEDER rop-tjenesten", "--json",
               "--project", p).code == 0
    for args in (("--role", "nav"), ("--round", "2018"), ("--code", "rpo")):
        result = cli("search", "bolig", *args, "--project", p)
        assert result.code == 1 and len(result.err.strip().splitlines()) == 1, args


def test_a_hard_wrapped_text_is_reflowed_and_the_report_says_so(project_path: Path,
                                                               cli: Cli) -> None:
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "reflow" / "hard-wrapped.txt"
    p = str(project_path)
    imported = json.loads(cli("import", str(fixture), "--site", "Karmøy", "--json",
                              "--project", p).out)
    assert imported[0]["status"] == "added"
    assert any(r.startswith("reflowed hard-wrapped text") for r in imported[0]["repairs"])
    table = cli("import", str(fixture), "--site", "Karmøy", "--project", p)
    assert table.code == 0  # unchanged now: no repair line for a file that adds nothing
