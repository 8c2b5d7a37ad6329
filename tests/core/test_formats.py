"""Tests for the file readers: each format's happy path, each failure, and normalisation."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kasus.errors import ImportFileError
from kasus.importing import formats
from kasus.importing.formats import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    ExtractedText,
    extract,
    normalise_text,
)
from kasus.importing.normalise import rebuild_pdf_text, strip_markdown_headings

NORSK = "Bolig og økonomi på Karmøy, hjemmetjenesten i Tromsø"
ÆØÅ = "ÆØÅ æøå"


def fails(path: Path, reason: str) -> ImportFileError:
    """Assert that extracting `path` fails with a message naming the path and `reason`."""
    with pytest.raises(ImportFileError) as info:
        extract(path)
    message = str(info.value)
    assert str(path) in message
    assert reason in message
    return info.value


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- fixture builders -----------------------------------------------------------------


def make_docx(path: Path, paragraphs: Sequence[str], rows: Sequence[Sequence[str]] = (),
              title: str = "", author: str = "") -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    document.core_properties.title = title
    document.core_properties.author = author
    document.save(str(path))
    return path


def make_odt(path: Path) -> Path:
    from odf import dc, meta
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, Note, NoteBody, NoteCitation, P, S

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Intervju 7"))
    document.meta.addElement(meta.InitialCreator(text="Kari Nordmann"))
    document.text.addElement(H(outlinelevel=1, text="Bolig og økonomi"))

    paragraph = P(text="Hun bor på Karmøy")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="Kilde: kommunens årsmelding."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" og jobber i")
    paragraph.addElement(S(c=2))
    paragraph.addText("hjemmetjenesten.")
    comment = Annotation()
    comment.addElement(P(text="KOMMENTAR SOM IKKE ER TEKST"))
    paragraph.addElement(comment)
    document.text.addElement(paragraph)

    document.text.addElement(P(text=""))
    verse = P(text="Første linje")
    verse.addElement(LineBreak())
    verse.addText("andre linje i Tromsø")
    document.text.addElement(verse)

    table = Table(name="Tabell1")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in (("Kommune", "Tiltak"), ("Bodø", "Bolig først")):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.save(str(path))
    return path


def _pdf_string(text: str) -> str:
    """A PDF literal string in WinAnsi: æøå as octal escapes (ø = \\370)."""
    out = []
    for char in text:
        if char in "()\\":
            out.append("\\" + char)
        elif ord(char) < 128:
            out.append(char)
        else:
            out.append(f"\\{char.encode('cp1252')[0]:03o}")
    return "".join(out)


def make_pdf(pages: Sequence[Sequence[tuple[int, int, int, str]]]) -> bytes:
    """A minimal PDF 1.4: Helvetica in WinAnsiEncoding, one text object per (x, y, size,
    text) line, and an xref table with the real byte offsets."""
    objects: list[bytes] = [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    ]
    content_ids = []
    for lines in pages:
        ops = "\n".join(f"BT /F1 {size} Tf {x} {y} Td ({_pdf_string(text)}) Tj ET"
                        for x, y, size, text in lines)
        stream = ops.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_ids.append(len(objects))
    pages_id = len(objects) + len(pages) + 1
    page_ids = []
    for content_id in content_ids:
        objects.append(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 1 0 R >> >> /Contents %d 0 R >>"
            % (pages_id, content_id)
        )
        page_ids.append(len(objects))
    kids = " ".join(f"{page_id} 0 R" for page_id in page_ids).encode()
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids)))
    objects.append(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)
    return bytes(out)


REPORT_PAGES = [
    [
        "Bolig og økonomi på Karmøy er tema i denne rapporten om helse- og",
        "omsorgstjenestene. De fleste kommu-",
        "nene har lagt om tjenestene sine, og rus-",
        "og psykisk helse er samlet i en enhet.1",
        "Dette er kort.",
        "Neste avsnitt begynner her og fortsetter over flere linjer i teksten",
        "slik at vi kan se hvordan det går i hjemmetjenesten i Tromsø og i",
    ],
    [
        "Nord-Norge ellers. Her fortsetter avsnittet fra forrige side, og det",
        "handler om NAV-",
        "kontoret i byen.2",
        "Innledning",
        "Kapitlet beskriver metoden som er brukt i arbeidet med rapporten, og",
        "hvordan dataene ble samlet inn.",
    ],
    [
        "Siste side har bare litt tekst om hvordan kommunene har organisert",
        "arbeidet med psykisk helse.",
    ],
]
REPORT_NOTES = [
    ["1 Kilde: SSB, tabell 12345."],
    ["2 Se også Helsedirektoratet (2018), som", "beskriver ordningen."],
    [],
]
REPORT_FOOTERS = ["Side 1 av 3", "- 2 -", "3"]


def report_pdf() -> bytes:
    pages = []
    for body, notes, footer in zip(REPORT_PAGES, REPORT_NOTES, REPORT_FOOTERS, strict=True):
        lines = [(72, 800, 9, "Statusrapport 2019")]
        lines += [(72, 760 - 14 * i, 11, text) for i, text in enumerate(body)]
        lines += [(72, 100 - 10 * i, 8, text) for i, text in enumerate(notes)]
        lines.append((290, 50, 9, footer))
        pages.append(lines)
    return make_pdf(pages)


# --- plain text -----------------------------------------------------------------------


def test_txt_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "notat.txt", f"{NORSK}\r\n\r\n\r\n{ÆØÅ}  \r\n".encode())
    assert extract(path) == ExtractedText(f"{NORSK}\n\n{ÆØÅ}", {}, "utf-8")


def test_txt_utf8_sig(tmp_path: Path) -> None:
    path = write(tmp_path, "notat.txt", b"\xef\xbb\xbf" + NORSK.encode())
    assert extract(path) == ExtractedText(NORSK, {}, "utf-8-sig")


def test_txt_utf16_with_bom(tmp_path: Path) -> None:
    # Windows Notepad's "Unicode": NUL bytes everywhere, but text.
    path = write(tmp_path, "notat.txt", NORSK.encode("utf-16"))
    assert extract(path) == ExtractedText(NORSK, {}, "utf-16")


def test_txt_cp1252(tmp_path: Path) -> None:
    text = f"„{NORSK}“ \u2013 sa hun… {ÆØÅ}"
    path = write(tmp_path, "notat.txt", text.encode("cp1252"))
    assert extract(path) == ExtractedText(text, {}, "cp1252")


def test_txt_latin1(tmp_path: Path) -> None:
    path = write(tmp_path, "notat.txt", f"{NORSK}\n{ÆØÅ}".encode("latin-1"))
    extracted = extract(path)
    assert extracted.text == f"{NORSK}\n{ÆØÅ}"
    # Without bytes 0x80-0x9F the two code pages decode identically.
    assert extracted.encoding in {"cp1252", "latin-1"}


def test_txt_utf8_with_stray_cp1252_bytes(tmp_path: Path) -> None:
    data = f"{NORSK}. ".encode() + "Og på Bømlo.".encode("cp1252")
    assert extract(write(tmp_path, "notat.txt", data)).text == f"{NORSK}. Og på Bømlo."


def test_txt_utf8_cut_inside_last_character(tmp_path: Path) -> None:
    data = f"{NORSK} ø".encode()[:-1]
    assert extract(write(tmp_path, "notat.txt", data)) == ExtractedText(NORSK, {}, "utf-8")


def test_txt_binary_with_nul(tmp_path: Path) -> None:
    path = write(tmp_path, "bilde.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    error = fails(path, "binary file, not text")
    assert error.hint == "import .txt .md .docx .odt .rtf or .pdf files"


def test_txt_binary_without_nul(tmp_path: Path) -> None:
    path = write(tmp_path, "data.txt", bytes(range(1, 32)) * 20 + b"litt tekst")
    fails(path, "binary file, not text")


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n", "\ufeff\u200b\n".encode()])
def test_txt_empty(tmp_path: Path, data: bytes) -> None:
    fails(write(tmp_path, "tom.txt", data), "empty file")


def test_txt_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 1024 * 1024)
    path = write(tmp_path, "stor.txt", b"a" * (1024 * 1024 * 3 // 2))
    fails(path, "file too large (1.5 MB; the limit is 1 MB)")


def test_txt_undecodable(tmp_path: Path) -> None:
    path = write(tmp_path, "rart.txt", b"Hei p\xe5 deg \x81\x8d")
    fails(path, "cannot decode the text")


def test_txt_invalid_after_utf8_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "rart.txt", b"\xef\xbb\xbfHei p\xe5 deg")
    fails(path, "cannot decode the text")


def test_missing_file(tmp_path: Path) -> None:
    fails(tmp_path / "borte.txt", "file not found")


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "mappe.txt").mkdir()
    fails(tmp_path / "mappe.txt", "not a regular file")


@pytest.mark.parametrize("name", ["notat.xyz", "notat.doc", "notat"])
def test_unsupported_suffix(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, b"tekst")
    error = fails(path, "unsupported file type")
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in error.hint
    if name == "notat.xyz":
        assert "'.xyz'" in str(error)


def test_suffix_case_is_ignored(tmp_path: Path) -> None:
    assert extract(write(tmp_path, "NOTAT.TXT", NORSK.encode())).text == NORSK


# --- Markdown -------------------------------------------------------------------------

MARKDOWN = """---
title: Intervju 3
author: Kari Nordmann
dato: 2019-05-14
tema: [bolig, økonomi]
anonym: true
tom:
---
# Bolig og økonomi

Hun bor på **Karmøy**.

## Hjemmetjenesten ##
#hashtag blir stående

```
# ikke en overskrift
```
"""


def test_markdown_front_matter_and_headings(tmp_path: Path) -> None:
    extracted = extract(write(tmp_path, "intervju.md", MARKDOWN.encode()))
    assert extracted.metadata == {
        "title": "Intervju 3",
        "author": "Kari Nordmann",
        "dato": "2019-05-14",
        "tema": "bolig, økonomi",
        "anonym": "true",
    }
    assert extracted.text == (
        "Bolig og økonomi\n\nHun bor på **Karmøy**.\n\nHjemmetjenesten\n#hashtag blir stående"
        "\n\n```\n# ikke en overskrift\n```"
    )
    assert extracted.encoding == "utf-8"


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "notat.markdown", f"### {NORSK}\nTekst.".encode("cp1252"))
    assert extract(path) == ExtractedText(f"{NORSK}\nTekst.", {}, "cp1252")


def test_markdown_bad_front_matter_names_line(tmp_path: Path) -> None:
    source = "---\ntitle: Intervju\nauthor: [Kari\n---\nTekst.\n"
    fails(write(tmp_path, "intervju.md", source.encode()), "intervju.md:3: bad front matter")


def test_markdown_front_matter_not_a_mapping(tmp_path: Path) -> None:
    source = "---\n- bolig\n- økonomi\n---\nTekst.\n"
    fails(write(tmp_path, "intervju.md", source.encode()), "intervju.md:2: bad front matter")


def test_markdown_front_matter_not_closed(tmp_path: Path) -> None:
    source = "---\ntitle: Intervju\nTekst.\n"
    fails(write(tmp_path, "intervju.md", source.encode()), "intervju.md:1: front matter")


def test_markdown_only_front_matter_is_empty(tmp_path: Path) -> None:
    fails(write(tmp_path, "intervju.md", b"---\ntitle: Intervju\n---\n\n"), "empty file")


def test_strip_markdown_headings() -> None:
    source = "# A\n   ## B ##\n#C\n####### D\n    # kode\n~~~\n# E\n~~~\n# C#"
    assert strip_markdown_headings(source) == (
        "A\nB\n#C\n####### D\n    # kode\n~~~\n# E\n~~~\nC#"
    )


# --- .docx ----------------------------------------------------------------------------


def test_docx(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "intervju.docx",
        [f"Tema: {NORSK}", "", "   ", f"Hun sa:\t«{ÆØÅ}»"],
        rows=[("Kommune", "Tiltak"), ("Bodø", "")],
        title="Intervju 5",
        author="Ola Nordmann",
    )
    extracted = extract(path)
    assert extracted == ExtractedText(
        f"Tema: {NORSK}\n\nHun sa: «{ÆØÅ}»\n\nKommune\n\nTiltak\n\nBodø",
        {"title": "Intervju 5", "author": "Ola Nordmann"},
        None,
    )


def test_docx_tracked_insertions_and_line_breaks(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    path = make_docx(tmp_path / "intervju.docx", ["Første"])
    document = docx.Document(str(path))
    paragraph = document.paragraphs[0]
    paragraph.runs[0].add_break()
    paragraph.add_run("andre linje")
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="x"><w:r><w:t> på Karmøy</w:t></w:r></w:ins>'
    ))
    document.save(str(path))
    assert extract(path).text == "Første\nandre linje på Karmøy"


def test_docx_empty_properties_are_left_out(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "notat.docx", [NORSK])
    assert extract(path).metadata == {}


def test_docx_python_docx_placeholder_author_is_dropped(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph(NORSK)
    document.save(str(tmp_path / "notat.docx"))
    assert extract(tmp_path / "notat.docx").metadata == {}


def test_docx_truncated(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "hel.docx", [NORSK] * 50).read_bytes()
    path = write(tmp_path, "halv.docx", data[: len(data) // 2])
    fails(path, "not a readable .docx (corrupt or truncated)")


def test_docx_not_a_zip(tmp_path: Path) -> None:
    # An old Word .doc (OLE2) renamed to .docx.
    path = write(tmp_path, "gammel.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    fails(path, "not a readable .docx (corrupt or truncated)")


def test_docx_without_document_part(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hei.txt", NORSK)
    fails(write(tmp_path, "tom.docx", buffer.getvalue()), "not a readable .docx")


def test_docx_zip_bomb_ratio(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (5 * 1024 * 1024))
    error = fails(write(tmp_path, "bombe.docx", buffer.getvalue()), "refusing to unpack")
    assert "zip bomb" in error.hint


def test_docx_zip_bomb_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_docx(tmp_path / "intervju.docx", [NORSK])
    monkeypatch.setattr(formats, "MAX_UNZIPPED_BYTES", 1000)
    fails(path, "refusing to unpack")


def test_docx_without_text(tmp_path: Path) -> None:
    fails(make_docx(tmp_path / "tom.docx", ["", " "]), "no text in the document")


# --- .odt -----------------------------------------------------------------------------


def test_odt(tmp_path: Path) -> None:
    extracted = extract(make_odt(tmp_path / "intervju.odt"))
    assert extracted == ExtractedText(
        "Bolig og økonomi\n\n"
        "Hun bor på Karmøy1 og jobber i  hjemmetjenesten.\n\n"
        "Første linje\nandre linje i Tromsø\n\n"
        "Kommune\n\nTiltak\n\nBodø\n\nBolig først\n\n"
        "Fotnoter\n\n1 Kilde: kommunens årsmelding.",
        {"title": "Intervju 7", "author": "Kari Nordmann"},
        None,
    )


def test_odt_corrupt(tmp_path: Path) -> None:
    data = make_odt(tmp_path / "hel.odt").read_bytes()
    fails(write(tmp_path, "halv.odt", data[: len(data) // 2]), "not a readable .odt")


def test_odt_not_a_zip(tmp_path: Path) -> None:
    fails(write(tmp_path, "falsk.odt", NORSK.encode()), "not a readable .odt")


def test_odt_spreadsheet(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet

    path = tmp_path / "regneark.odt"
    OpenDocumentSpreadsheet().save(str(path))
    fails(path, "not an OpenDocument text file")


# --- .rtf -----------------------------------------------------------------------------

RTF = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helvetica;}}"
    r"{\info{\title Skjult tittel}}"
    "\n"
    r"\f0\fs24 Bolig og \'f8konomi p\'e5 Karm\'f8y, hjemmetjenesten i Troms\'f8\par"
    "\n"
    r"\'c6\'d8\'c5 \'e6\'f8\'e5\line ny linje med \u8220?sitat\u8221?\par"
    "\n"
    r"\par Bod\u248?\~kommune}"
)


def test_rtf(tmp_path: Path) -> None:
    path = write(tmp_path, "notat.rtf", RTF.encode("ascii"))
    assert extract(path) == ExtractedText(
        f"{NORSK}\n\n{ÆØÅ}\nny linje med “sitat”\n\nBodø kommune", {}, None
    )


def test_rtf_raw_8bit_bytes_use_code_page(tmp_path: Path) -> None:
    data = rb"{\rtf1\ansi\ansicpg1252 " + "Bømlo og Østfold".encode("cp1252") + rb"\par}"
    assert extract(write(tmp_path, "notat.rtf", data)).text == "Bømlo og Østfold"


def test_rtf_not_rtf(tmp_path: Path) -> None:
    fails(write(tmp_path, "notat.rtf", NORSK.encode()), "not an RTF file")


def test_rtf_without_text(tmp_path: Path) -> None:
    fails(write(tmp_path, "tom.rtf", rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\par}"),
          "no text in the document")


# --- .pdf -----------------------------------------------------------------------------


def test_pdf_fixture_is_read_by_pypdf() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(report_pdf()))
    first = reader.pages[0].extract_text()
    assert first.startswith("Statusrapport 2019\nBolig og økonomi på Karmøy")
    assert "kommu-\nnene" in first


def test_pdf(tmp_path: Path) -> None:
    extracted = extract(write(tmp_path, "rapport.pdf", report_pdf()))
    assert extracted.metadata == {}
    assert extracted.encoding is None
    assert extracted.text == (
        "Bolig og økonomi på Karmøy er tema i denne rapporten om helse- og "
        "omsorgstjenestene. De fleste kommunene har lagt om tjenestene sine, og rus- og "
        "psykisk helse er samlet i en enhet.1\n\n"
        "Dette er kort.\n\n"
        "Neste avsnitt begynner her og fortsetter over flere linjer i teksten slik at vi kan "
        "se hvordan det går i hjemmetjenesten i Tromsø og i Nord-Norge ellers. Her "
        "fortsetter avsnittet fra forrige side, og det handler om NAV-kontoret i byen.2\n\n"
        "Innledning\n\n"
        "Kapitlet beskriver metoden som er brukt i arbeidet med rapporten, og hvordan dataene "
        "ble samlet inn.\n\n"
        "Siste side har bare litt tekst om hvordan kommunene har organisert arbeidet med "
        "psykisk helse.\n\n"
        "Fotnoter\n\n"
        "1 Kilde: SSB, tabell 12345.\n\n"
        "2 Se også Helsedirektoratet (2018), som beskriver ordningen."
    )
    assert "Statusrapport" not in extracted.text
    assert "Side 1" not in extracted.text


def test_pdf_encrypted(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report_pdf())))
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    fails(write(tmp_path, "hemmelig.pdf", buffer.getvalue()), "encrypted PDF")


def test_pdf_encrypted_without_user_password_opens(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(report_pdf())))
    writer.encrypt(user_password="", owner_password="eier", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    text = extract(write(tmp_path, "låst.pdf", buffer.getvalue())).text
    assert text.startswith("Bolig og økonomi på Karmøy")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    # Pages with no text objects, as a scanner makes them (minus the images).
    fails(write(tmp_path, "skannet.pdf", make_pdf([[], []])),
          "PDF has no text layer (scanned?); OCR it first")


def test_pdf_corrupt(tmp_path: Path) -> None:
    data = report_pdf()
    fails(write(tmp_path, "halv.pdf", data[:200]), "not a readable PDF")
    fails(write(tmp_path, "falsk.pdf", NORSK.encode()), "not a readable PDF")


@pytest.mark.parametrize("footer", ["12", "- 12 -", "Side 12", "12 av 40", "side 3 av 40",
                                    "Page 7 of 9", "\u2013 4 \u2013", "xiv"])
def test_rebuild_pdf_drops_page_numbers(footer: str) -> None:
    assert rebuild_pdf_text([f"Første linje.\n{footer}"]) == "Første linje."


def test_rebuild_pdf_keeps_numbers_inside_the_body() -> None:
    page = "Først\nen linje til\nVi telte\n12\nkommuner i alt, og\ndet var\nmange."
    assert rebuild_pdf_text([page]).endswith("Vi telte 12 kommuner i alt, og det var mange.")


def test_rebuild_pdf_hyphenation() -> None:
    page = (
        "Tjenestene i kommu-\nnene, helse- og omsorg og rus-\nog psykisk helse i Sør-\n"
        "Trøndelag og IKT-\nsystemer eller barne-\neller ungdomstjenester."
    )
    assert rebuild_pdf_text([page]) == (
        "Tjenestene i kommunene, helse- og omsorg og rus- og psykisk helse i Sør-Trøndelag "
        "og IKT-systemer eller barne- eller ungdomstjenester."
    )


def test_rebuild_pdf_numbered_body_line_is_not_a_footnote() -> None:
    page = "Innledning med en lang linje om noe viktig her\nog mer tekst.\n12 kommuner svarte."
    assert "Fotnoter" not in rebuild_pdf_text([page])


@pytest.mark.parametrize("marker", ["enhet.1", "enhet. 1", "enheten1"])
def test_rebuild_pdf_footnote_marker_forms(marker: str) -> None:
    page = f"Første linje i teksten her.\nOg rus er samlet i en {marker}\n1 Kilde: SSB."
    assert rebuild_pdf_text([page]).endswith("Fotnoter\n\n1 Kilde: SSB.")


@pytest.mark.parametrize("body", ["Se www.w3.org/TR for detaljer", "Utslipp av CO1-gass",
                                  "Versjon 4.1 av standarden", "Avsnitt ASN.1 her"])
def test_rebuild_pdf_numbers_that_are_not_markers(body: str) -> None:
    page = f"Første linje i teksten her.\n{body}\n1 Kilde: SSB."
    assert "Fotnoter" not in rebuild_pdf_text([page])


def test_rebuild_pdf_contents_and_numbered_headings() -> None:
    page = (
        "Innhold\n1 Innledning ........ 3\n2 Metode . . . . . . 5\n"
        "Dette er en helt vanlig og ganske lang linje med tekst i avsnittet.\n"
        "2.1 Utvalg\nVi intervjuet ledere."
    )
    assert rebuild_pdf_text([page]) == (
        "Innhold\n\n1 Innledning ........ 3\n\n2 Metode . . . . . . 5\n\n"
        "Dette er en helt vanlig og ganske lang linje med tekst i avsnittet.\n\n"
        "2.1 Utvalg\n\nVi intervjuet ledere."
    )


def test_rebuild_pdf_bullets_and_blank_lines() -> None:
    page = "Dette sa hun:\n• bolig\n• økonomi\n\nNytt avsnitt."
    assert rebuild_pdf_text([page]) == "Dette sa hun:\n\n• bolig\n\n• økonomi\n\nNytt avsnitt."


# --- normalise_text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc\u2028d\u2029e\ff\vg\x85h", "a\nb\nc\nd\ne\nf\ng\nh"),
        ("Karmo\u0308y og a\u030a", "Karmöy og å"),  # NFC
        ("\ufeffHei\u200b på\u200c deg\u200d\u2060", "Hei på deg"),
        ("kommu\u00adnene", "kommunene"),  # soft hyphen
        ("👩\u200d💻 og \u200d", "👩\u200d💻 og"),  # a joiner inside an emoji stays
        ("a\x00b\x07c\x1bd\x7fe\x9ff\x1cg", "abcdefg"),
        ("a\tb\t\tc", "a b  c"),
        ("10\u00a0000\u202fkr\u2007i alt", "10 000 kr i alt"),
        ("NAV\u2011kontoret", "NAV-kontoret"),
        ("a  \nb\t\n c \u3000", "a\nb\n c"),
        ("a\n\n\n\nb\n \n\t\n\n  c", "a\n\nb\n\n  c"),
        ("\n\n  Hei  \n\n", "Hei"),
        ("a\ud800b", "ab"),
        (" \t\u200b\n\r\n", ""),
        (f"{NORSK}\n\n{ÆØÅ}", f"{NORSK}\n\n{ÆØÅ}"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


_TRICKY = list(
    "\r\n\t \u00a0\u202f\u2007\u2028\u2029\f\v\x85\x00\x1b\x7f\x9f\u200b\u200c\u200d"
    "\u2060\ufeff\u00ad\u2011\u0301\u0308\u030a\u3000\u2000\u1100\u1161\u11a8"
    "aeæøåÆØÅ👩💻\ufe0f"
)
_TEXT = st.text(st.one_of(st.characters(), st.sampled_from(_TRICKY)), max_size=60)


@settings(max_examples=400)
@given(_TEXT)
def test_normalise_text_is_idempotent(raw: str) -> None:
    once = normalise_text(raw)
    assert normalise_text(once) == once


@settings(max_examples=200)
@given(_TEXT)
def test_normalise_text_shape(raw: str) -> None:
    text = normalise_text(raw)
    assert unicodedata.is_normalized("NFC", text)
    assert text == text.strip()
    assert "\n\n\n" not in text
    # splitlines() must agree with the offsets kasus stores against "\n".
    assert text.splitlines() == (text.split("\n") if text else [])
    for line in text.split("\n"):
        assert line == line.rstrip()
    for char in text:
        assert char == "\n" or unicodedata.category(char) not in {"Cc", "Cs"}
    text.encode("utf-8")  # storable


# --- robustness -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)),
    data=st.one_of(
        st.binary(max_size=300),
        st.sampled_from([b"PK\x03\x04" + bytes(40), b"%PDF-1.4\n" + bytes(40),
                         b"{\\rtf1 {\\u-10179?", b"---\n: :\n---\n"]),
    ),
)
def test_garbage_raises_only_import_errors(tmp_path_factory: pytest.TempPathFactory,
                                           suffix: str, data: bytes) -> None:
    path = tmp_path_factory.mktemp("søppel") / f"fil{suffix}"
    path.write_bytes(data)
    try:
        extracted = extract(path)
    except ImportFileError as error:
        assert str(path) in str(error)
    else:
        assert extracted.text == normalise_text(extracted.text)
