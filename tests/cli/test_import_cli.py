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
