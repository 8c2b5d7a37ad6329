"""HTML and Word theme summaries and their charts, each read back by its own parser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding
from kasus.documents import get_document
from kasus.export.charts import chart_png, chart_svg
from kasus.export.docx import summary_docx
from kasus.export.html import summary_html
from kasus.export.summary import ThemeSummary, theme_summary
from kasus.importing.importer import run_import
from kasus.project import init_project

SENTENCE = "Brukerne sier «det er lang kø» for bolig <b>x</b> [x] *y* i Åkrehamn."
NOTE = f"---\nsite: Karmøy\nrole: NAV\ndate: 2019-10-16\n---\n{SENTENCE}\n\nVentetiden er lang.\n"


@pytest.fixture
def summary(tmp_path: Path) -> ThemeSummary:
    db: Database = init_project(tmp_path / "p.db", "tester")
    note = tmp_path / "k.md"
    note.write_text(NOTE, encoding="utf-8")
    document_id = run_import(db, [note], "tester").results[0].document_id
    assert document_id is not None
    start = get_document(db, document_id).text.index(SENTENCE)
    apply_coding(db, document_id, start, start + len(SENTENCE), "bolig", "tester",
                 memo="kø & <ventetid>")
    return theme_summary(db, ["bolig", "hm5.nd"])


def charted(summary: ThemeSummary) -> int:
    """Charts shown: codes without passages show no indicators, as in Markdown."""
    return sum(len(code.indicators) for code in summary.codes if code.passages)


def test_charts_render_as_png_and_svg(summary: ThemeSummary) -> None:
    line = summary.codes[0].indicators[0]
    assert chart_png(line).startswith(b"\x89PNG")
    svg = chart_svg(line)
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert chart_svg(line) == svg  # deterministic: no date, fixed hash salt


def test_html_is_self_contained_and_text_is_literal(summary: ThemeSummary,
                                                    tmp_path: Path) -> None:
    text = summary_html(summary)
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x</b>" not in text
    assert "http" not in text  # no external URL of any kind, not even namespace URIs
    assert "<style>" in text and "@media print" in text
    tree = lxml.html.fromstring(text)
    assert "Karmøy" in [h.text_content().strip() for h in tree.iter("h3")]
    quotes = [q.text_content() for q in tree.iter("blockquote")]
    assert any("«det er lang kø»" in q and "<b>x</b> [x] *y*" in q and "Åkrehamn" in q
               for q in quotes)
    footer = tree.find(".//blockquote/footer")
    assert footer is not None
    assert "Karmøy, NAV, 2019-10-16 (karmoy-k; coder tester)" in footer.text_content()
    assert any("Memo: kø & <ventetid>" in p.text_content() for p in tree.iter("p"))
    assert len(list(tree.iter("svg"))) == charted(summary) > 0
    assert not tree.xpath("//link | //script | //img | //iframe")
    for element in tree.iter():
        for name in ("src", "href"):
            assert "http" not in (element.get(name) or "")
    none = tree.get_element_by_id("code-hm5.nd")
    assert "No passages are coded with this code." in none.text_content()
    assert not list(none.iter("svg"))


def test_docx_has_headings_quotes_and_charts(summary: ThemeSummary, tmp_path: Path) -> None:
    out = tmp_path / "bolig.docx"
    summary_docx(summary, out)
    document = docx.Document(str(out))
    styled = [(p.style.name if p.style is not None else "", p.text)
              for p in document.paragraphs]
    headings = {style for style, _ in styled if style.startswith("Heading")}
    assert headings == {"Heading 1", "Heading 2", "Heading 3"}
    assert ("Heading 3", "Karmøy") in styled
    assert any(style == "Heading 2" and text.endswith("(bolig)") for style, text in styled)
    quotes = [text for style, text in styled if style == "Quote"]
    assert quotes == [SENTENCE]  # æøå, «» and markup-like characters intact
    assert any(text.startswith("— Karmøy, NAV, 2019-10-16") for _, text in styled)
    memo = next(p for p in document.paragraphs if p.text == "Memo: kø & <ventetid>")
    assert all(run.italic for run in memo.runs)
    assert len(document.inline_shapes) == charted(summary)
    assert "No passages are coded with this code." in [text for _, text in styled]
    assert document.tables and document.tables[0].cell(1, 0).text == "Karmøy"


def test_html_renders_in_chromium(summary: ThemeSummary, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium not installed: apt-get install chromium")
    page = tmp_path / "bolig.html"
    page.write_text(summary_html(summary), encoding="utf-8")
    # A profile of its own: chromium refuses to share one with a running browser.
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<h3>Karmøy</h3>" in dom
    assert "&lt;b&gt;x&lt;/b&gt; [x] *y*" in dom
    assert "<svg" in dom
