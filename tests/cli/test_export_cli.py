"""Exports through the CLI, each read back by its own reader (Markdown text, openpyxl, csv)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
NOTE = ("---\nsite: Karmøy\nrole: NAV-veileder\ndate: 2019-10-16\n---\n"
        "Brukerne sier «det er lang kø» for bolig <b>fet</b> [x] *stjerne* i Åkrehamn.\n\n"
        "Ventetiden er lang, sier veilederen.\n")


def project(tmp_path: Path, cli: Cli) -> str:
    p = str(tmp_path / "p.db")
    assert cli("init", p).code == 0
    note = tmp_path / "k.md"
    note.write_text(NOTE, encoding="utf-8")
    assert cli("import", str(note), "--project", p).code == 0
    shown = json.loads(cli("show", "karmoy-k", "--json", "--project", p).out)
    first = next(s for s in shown["segments"] if s["kind"] == "sentence")
    assert cli("code", "karmoy-k", str(first["start"]), str(first["end"]), "bolig",
               "--memo", "kø & <ventetid>", "--project", p).code == 0
    return p


def test_summary_markdown_keeps_text_as_written(tmp_path: Path, cli: Cli) -> None:
    p = project(tmp_path, cli)
    out = tmp_path / "bolig.md"
    result = cli("export", "summary", "--format", "md", "--code", "bolig", "--code",
                 "hm5.nd", "--out", str(out), "--project", p)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert "«det er lang kø»" in text and "Åkrehamn" in text
    assert r"\<b\>fet\</b\> \[x\] \*stjerne\*" in text  # literal, not markup
    assert "— Karmøy, NAV-veileder, 2019-10-16 (karmoy-k" in text
    assert "Memo: kø & \\<ventetid\\>" in text
    assert "No passages are coded with this code." in text  # hm5.nd has none
    again = cli("export", "summary", "--format", "md", "--code", "bolig", "--out", str(out),
                "--project", p)
    assert again.code == 1 and "already exists" in again.err
    assert cli("export", "summary", "--format", "md", "--code", "bolig", "--out", str(out),
               "--force", "--project", p).code == 0


def test_summary_xlsx_matrix_and_codings_read_back(tmp_path: Path, cli: Cli) -> None:
    p = project(tmp_path, cli)
    xlsx = tmp_path / "goal4.xlsx"
    assert cli("export", "summary", "--format", "xlsx", "--goal", "4", "--out", str(xlsx),
               "--project", p).code == 0
    workbook = load_workbook(xlsx)
    assert "bolig" in workbook.sheetnames and workbook.sheetnames[-1] == "Code x site"
    rows = list(workbook["bolig"].iter_rows(values_only=True))
    assert rows[0] == ("site", "document", "role", "date", "coder", "quote", "memo")
    assert rows[1][0] == "Karmøy" and "«det er lang kø»" in rows[1][5]
    assert workbook["bolig"].freeze_panes == "A2" and workbook["bolig"].auto_filter.ref
    matrix = tmp_path / "matrix.csv"
    assert cli("export", "matrix", "--format", "csv", "--out", str(matrix),
               "--project", p).code == 0
    with matrix.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    bolig = next(row for row in table if row["code"] == "bolig")
    assert bolig["Karmøy passages"] == "1" and bolig["Karmøy documents"] == "1"
    cells = tmp_path / "cells.xlsx"
    assert cli("export", "matrix", "--format", "xlsx", "--with-passages", "--out", str(cells),
               "--project", p).code == 0
    sheet_rows = list(load_workbook(cells)["matrix"].iter_rows(values_only=True))
    bolig_row = next(row for row in sheet_rows if row[0] == "bolig")
    assert sheet_rows[0][-1] == "Karmøy text" and "«det er lang kø»" in bolig_row[-1]
    codings = tmp_path / "codings.xlsx"
    assert cli("export", "codings", "--format", "xlsx", "--out", str(codings),
               "--project", p).code == 0
    sheet = list(load_workbook(codings)["codings"].iter_rows(values_only=True))
    assert sheet[0][:4] == ("id", "document", "site", "role") and sheet[1][6] == "bolig"
    assert sheet[1][8] == "bolig"  # the theme column
    later = cli("export", "codings", "--format", "csv", "--round", "2019", "--out",
                str(tmp_path / "r.csv"), "--project", p)
    assert later.code == 1 and "no document from round 2019" in later.err  # the note has none
    wrong = cli("export", "matrix", "--format", "html", "--project", p)
    assert wrong.code == 1 and "matrix exports as csv or xlsx or md or docx" in wrong.err


def test_summary_html_and_docx_through_the_cli(tmp_path: Path, cli: Cli) -> None:
    from docx import Document

    p = project(tmp_path, cli)
    html, docx = tmp_path / "bolig.html", tmp_path / "bolig.docx"
    assert cli("export", "summary", "--format", "html", "--code", "bolig", "--out", str(html),
               "--project", p).code == 0
    page = html.read_text(encoding="utf-8")
    assert "<svg" in page and "&lt;b&gt;fet&lt;/b&gt;" in page and "http" not in page
    assert cli("export", "summary", "--format", "docx", "--code", "bolig", "--out", str(docx),
               "--project", p).code == 0
    document = Document(str(docx))
    quotes = [para.text for para in document.paragraphs if para.style.name == "Quote"]
    assert any("«det er lang kø»" in quote and "<b>fet</b>" in quote for quote in quotes)
    assert len(document.inline_shapes) >= 1  # the indicator charts


def test_every_format_from_the_demo_project_reads_back(tmp_path: Path, cli: Cli) -> None:
    from docx import Document

    from kasus.demo import build_demo

    demo = tmp_path / "demo.db"
    build_demo(demo)
    p = str(demo)
    outputs = {
        ("summary", "md"): "g4.md", ("summary", "html"): "g4.html",
        ("summary", "docx"): "g4.docx", ("summary", "xlsx"): "g4.xlsx",
        ("site", "md"): "karmoy.md", ("site", "docx"): "karmoy.docx",
        ("matrix", "csv"): "m.csv", ("matrix", "xlsx"): "m.xlsx",
        ("codings", "csv"): "c.csv", ("codings", "xlsx"): "c.xlsx",
    }
    for (kind, fmt), name in outputs.items():
        scope = {"summary": ["--goal", "4"], "site": ["--site", "Karmøy"]}.get(kind, [])
        result = cli("export", kind, "--format", fmt, *scope, "--out", str(tmp_path / name),
                     "--project", p)
        assert result.code == 0, (kind, fmt, result.err)
    assert "### Karmøy" in (tmp_path / "g4.md").read_text(encoding="utf-8")
    assert "# Tema: Casebeskrivelse: Karmøy" in (tmp_path / "karmoy.md").read_text(
        encoding="utf-8")
    assert "<svg" in (tmp_path / "g4.html").read_text(encoding="utf-8")
    assert Document(str(tmp_path / "karmoy.docx")).paragraphs
    assert len(load_workbook(tmp_path / "g4.xlsx").sheetnames) > 5
    with (tmp_path / "c.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) > 1900  # both demo coders' codings
