"""Hostile and broken input: every reader and the codebook loader refuse it in one line."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from kasus.codebook.file import load_codebook
from kasus.errors import CodebookError, ImportFileError, KasusError
from kasus.importing.formats import extract, normalise_text
from kasus.importing.importer import run_import
from tests.core.test_formats import make_pdf

HYPOTHESIS = settings(max_examples=50, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])
NORSK = "Bolig og økonomi på Karmøy, hjemmetjenesten i Tromsø."
# Text that XML and the Office libraries accept: no control characters, no surrogates.
XML_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs"),
                                 blacklist_characters="\ufffe\uffff"), max_size=60)


def refused(path: Path, *fragments: str) -> str:
    """Extracting `path` fails with one line naming the path and each fragment."""
    with pytest.raises(ImportFileError) as info:
        extract(path)
    message = str(info.value)
    assert message.startswith(f"{path}"), message
    assert "\n" not in message, message
    for fragment in fragments:  # after the path: tmp_path is named after the test
        assert fragment in message.removeprefix(str(path)), message
    return message


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def docx_bytes(paragraphs: Sequence[str] = (NORSK,)) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odt_bytes(paragraphs: Sequence[str] = (NORSK,)) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def repack(package: bytes, replace: Mapping[str, bytes | str] = {},
           extra: Sequence[tuple[str, bytes | str]] = ()) -> bytes:
    """The package with some members replaced and others added, names taken as given."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, data in extra:
            # A ZipInfo keeps names such as '../x' as given (writestr(name) would clean them).
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()


PACKAGES = {".docx": (docx_bytes, "word/document.xml"), ".odt": (odt_bytes, "content.xml")}
BILLION_LAUGHS = ('<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                  + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                            for i in range(8)) + "]>")
EXTERNAL = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>'


def with_doctype(package: bytes, part: str, doctype: str, entity: str) -> bytes:
    """The package with a DTD before the root element of one XML part, and the entity used."""
    xml = zipfile.ZipFile(io.BytesIO(package)).read(part).decode()
    root = xml.index("<", xml.index("?>") + 2)
    body = xml[root:].replace("Bolig og", f"&{entity}; og", 1)
    return repack(package, {part: xml[:root] + doctype + body})


# --- zipped documents: bombs, traversal, entities ----------------------------------------


@pytest.mark.parametrize("suffix", sorted(PACKAGES))
def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, suffix: str) -> None:
    build, _ = PACKAGES[suffix]
    bomb = repack(build(), extra=[("bomb.xml", b"\0" * (60 * 1024 * 1024))])
    refused(write(tmp_path, f"bombe{suffix}", bomb), "refusing to unpack", "zip bomb")


@pytest.mark.parametrize("suffix", sorted(PACKAGES))
@pytest.mark.parametrize("member", ["../../evil.xml", "/etc/evil.xml", "word/../../evil.xml",
                                    "C:/evil.xml"])
def test_path_traversal_member_is_refused(tmp_path: Path, suffix: str, member: str) -> None:
    build, _ = PACKAGES[suffix]
    package = repack(build(), extra=[(member, b"<x/>")])
    refused(write(tmp_path, f"sti{suffix}", package), "unsafe part name", member)


@pytest.mark.parametrize("suffix", sorted(PACKAGES))
@pytest.mark.parametrize(("doctype", "entity"), [(BILLION_LAUGHS, "i"), (EXTERNAL, "x")],
                         ids=["billion-laughs", "external-entity"])
def test_xml_entities_are_refused(tmp_path: Path, suffix: str, doctype: str,
                                  entity: str) -> None:
    build, part = PACKAGES[suffix]
    package = with_doctype(build(), part, doctype, entity)
    refused(write(tmp_path, f"entitet{suffix}", package), part, "DTD")


def test_malformed_odt_xml_is_refused_without_printing_it(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    package = repack(odt_bytes(), {"content.xml": b"<office:document-content><broken"})
    refused(write(tmp_path, "brutt.odt", package), "not a readable .odt")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""  # odfpy prints the XML it failed on


@HYPOTHESIS
@given(paragraphs=st.lists(XML_TEXT, max_size=5))
def test_docx_from_generated_text(tmp_path: Path, paragraphs: list[str]) -> None:
    path = write(tmp_path, "generert.docx", docx_bytes(paragraphs))
    read_or_refused(path, paragraphs)


@HYPOTHESIS
@given(paragraphs=st.lists(XML_TEXT, max_size=5))
def test_odt_from_generated_text(tmp_path: Path, paragraphs: list[str]) -> None:
    path = write(tmp_path, "generert.odt", odt_bytes(paragraphs))
    read_or_refused(path, paragraphs)


def read_or_refused(path: Path, paragraphs: Sequence[str]) -> None:
    """Either the text of record holding every paragraph, or a one-line ImportFileError."""
    try:
        text = extract(path).text
    except ImportFileError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
        assert not any(normalise_text(p) for p in paragraphs), str(error)
        return
    assert text == normalise_text(text)
    for paragraph in paragraphs:
        assert normalise_text(paragraph) in text


# --- RTF ---------------------------------------------------------------------------------


def rtf_escape(text: str) -> str:
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif char in "\r\n":  # raw line ends are no text in RTF
            out.append("\\par ")
        elif 32 <= ord(char) < 127:
            out.append(char)
        else:
            for unit in range(0, len(char.encode("utf-16-le")), 2):
                value = int.from_bytes(char.encode("utf-16-le")[unit:unit + 2], "little")
                out.append(f"\\u{value - 65536 if value > 32767 else value}?")
    return "".join(out)


@HYPOTHESIS
@given(st.text(st.characters(codec="utf-8"), max_size=80))
def test_rtf_from_generated_text(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, "generert.rtf", "{\\rtf1\\ansi\\uc1 " + rtf_escape(text) + "}")
    try:
        extracted = extract(path).text
    except ImportFileError as error:
        assert "\n" not in str(error) and not normalise_text(text), str(error)
        return
    assert extracted == normalise_text(text.replace("\r", "\n").replace("\n", "\n\n"))


RTF_TOKENS = st.sampled_from(["{", "}", "\\", "\\par ", "\\u-1?", "\\u55357?", "\\'e6",
                              "\\'", "\\*\\fonttbl", "\\bin5 ", "hei ", "ø", "\0", "\\uc0"])


@HYPOTHESIS
@given(st.lists(RTF_TOKENS, max_size=40))
def test_rtf_from_generated_tokens(tmp_path: Path, tokens: list[str]) -> None:
    path = write(tmp_path, "rot.rtf", ("{\\rtf1 " + "".join(tokens)).encode("utf-8"))
    try:
        text = extract(path).text
    except ImportFileError as error:
        assert "\n" not in str(error)
        return
    assert text == normalise_text(text)


def test_deeply_nested_rtf_is_read_or_refused_in_one_line(tmp_path: Path) -> None:
    depth = 2_000_000
    data = b"{\\rtf1 " + b"{" * depth + b"hei" + b"}" * depth + b"}"
    path = write(tmp_path, "dyp.rtf", data)
    try:
        text = extract(path).text
    except ImportFileError as error:
        assert "\n" not in str(error)
    else:
        assert text == "hei"


# --- PDF ---------------------------------------------------------------------------------

WIN_ANSI = st.text(st.characters(codec="cp1252", blacklist_categories=("Cc", "Cs")), max_size=40)


@HYPOTHESIS
@given(st.lists(st.lists(WIN_ANSI, max_size=4), min_size=1, max_size=3))
def test_pdf_from_generated_lines(tmp_path: Path, pages: list[list[str]]) -> None:
    layout = [[(72, 760 - 14 * i, 11, line) for i, line in enumerate(page)] for page in pages]
    path = write(tmp_path, "generert.pdf", make_pdf(layout))
    try:
        text = extract(path).text
    except ImportFileError as error:
        assert "\n" not in str(error)
        assert "OCR" in str(error), str(error)  # every generated PDF is well-formed
        return
    assert text == normalise_text(text)


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    refused(write(tmp_path, "skannet.pdf", make_pdf([[], []])), "no text layer", "OCR")


def test_pdf_with_a_password_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[(72, 700, 11, NORSK)]]))))
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    refused(write(tmp_path, "låst.pdf", buffer.getvalue()), "encrypted PDF", "password")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_corrupt_pdf_is_refused(tmp_path: Path, cut: float) -> None:
    data = make_pdf([[(72, 700, 11, NORSK)]] * 3)
    broken = data[: int(len(data) * cut)] + b"\x00garbage" * 10
    path = write(tmp_path, "ødelagt.pdf", broken)
    try:
        text = extract(path).text  # pypdf may recover the pages before the cut
    except ImportFileError as error:
        assert "\n" not in str(error)
    else:
        assert "Karmøy" in text


def test_pdf_stream_that_inflates_past_pypdfs_limit_is_refused(tmp_path: Path) -> None:
    import zlib

    # A 100 MB page stream packed into 100 KB: pypdf stops inflating at 75 MB.
    content = b"BT /F1 11 Tf 72 700 Td (hei) Tj ET\n" + b" " * (100 * 1024 * 1024)
    packed = zlib.compress(content, 9)
    pdf = make_pdf([[(72, 700, 11, "PLASSHOLDER")]])
    start = pdf.index(b"<< /Length", pdf.index(b"2 0 obj"))
    end = pdf.index(b"endstream", start) + len(b"endstream")
    bomb = (pdf[:start] + b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
            % (len(packed), packed) + pdf[end:])
    refused(write(tmp_path, "bombe.pdf", bomb), "not a readable PDF")


# --- size limits ------------------------------------------------------------------------


def test_file_over_the_size_limit_names_the_limit_and_how_to_raise_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KASUS_MAX_FILE_MB", "1")
    path = write(tmp_path, "stor.txt", (NORSK + "\n") * 30_000)  # 1.6 MB
    refused(path, "file too large", "the limit is 1 MB", "KASUS_MAX_FILE_MB")
    monkeypatch.setenv("KASUS_MAX_FILE_MB", "2")
    assert extract(path).text.startswith(NORSK)


@pytest.mark.parametrize("value", ["mange", "-3", "0"])
def test_a_bad_size_limit_setting_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              value: str) -> None:
    monkeypatch.setenv("KASUS_MAX_FILE_MB", value)
    with pytest.raises(KasusError) as info:
        extract(write(tmp_path, "notat.txt", NORSK))
    assert "KASUS_MAX_FILE_MB" in str(info.value) and value in str(info.value)


def test_five_megabyte_single_line_imports(db: Database, tmp_path: Path) -> None:
    line = "Bolig og økonomi på Karmøy, " * 190_000  # 5.3 MB, no line break
    path = write(tmp_path, "linje.txt", line)
    [result] = run_import(db, [path], "tester", site="Karmøy").results
    assert result.status == "added", result.reason
    stored = db.execute("SELECT length(text) FROM documents WHERE id = ?",
                        [result.document_id]).fetchone()[0]
    assert stored == len(line.strip())


# --- encodings and characters -----------------------------------------------------------


def test_invalid_utf8_is_decoded_or_refused_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "ugyldig.txt", b"Bolig p\xe5 Karm\xf8y \xc3\x28 og \xed\xa0\x80")
    text = extract(path).text
    assert text.startswith("Bolig på Karmøy")
    refused(write(tmp_path, "udefinert.txt", b"Bolig \x81\x8d\x90 p\xe5"), "cannot decode",
            "UTF-8")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path, "u16.txt", ("Bolig og økonomi på Karmøy.\nÆØÅ.\n" * 3).encode(codec))
    extracted = extract(path)
    assert extracted.text.startswith("Bolig og økonomi på Karmøy.\nÆØÅ.")
    assert extracted.encoding == codec


def test_nul_bytes_make_a_binary_file(tmp_path: Path) -> None:
    refused(write(tmp_path, "nul.txt", b"Bolig\x00\x01\x02 p\x00\x00\x00\x00 " * 8),
            "binary file")


def test_stray_nul_bytes_in_a_text_note_are_dropped(tmp_path: Path) -> None:
    # A broken editor or a cut-off sync leaves a NUL or two in an otherwise good note.
    data = (NORSK + "\n").encode() * 60
    path = write(tmp_path, "nul.txt", data[:500] + b"\x00\x00" + data[500:])
    text = extract(path).text
    assert "\x00" not in text and text.count("Karmøy") == 60


def test_control_and_bidi_override_characters_leave_the_text_of_record(tmp_path: Path) -> None:
    raw = ("Hei \x1b[31mrød\x1b[0m \x07\x08 og \u202egnirots\u202c, \u2066isolert\u2069, "
           "\u200fnavn\u200e\x9b2J.")
    text = extract(write(tmp_path, "tegn.txt", raw)).text
    for char in "\x1b\x07\x08\x9b\u202e\u202c\u2066\u2069":
        assert char not in text
    assert "\u200f" in text and "\u200e" in text  # marks are harmless and place RTL names
    assert text.startswith("Hei [31mrød[0m  og gnirots, isolert,")


# --- generated plain text and Markdown --------------------------------------------------

BOMS = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"])
CODECS = st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1252", "latin-1"])


@HYPOTHESIS
@given(suffix=st.sampled_from([".txt", ".md"]), bom=BOMS, codec=CODECS,
       text=st.text(max_size=200), noise=st.binary(max_size=20))
def test_text_and_markdown_from_any_bytes(tmp_path: Path, suffix: str, bom: bytes, codec: str,
                                          text: str, noise: bytes) -> None:
    data = bom + text.encode(codec, errors="replace") + noise
    path = write(tmp_path, f"notat{suffix}", data)
    try:
        extracted = extract(path).text
    except ImportFileError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
        return
    assert extracted == normalise_text(extracted)
    assert all(char == "\n" or ord(char) >= 0x20 for char in extracted)


# --- the codebook ----------------------------------------------------------------------

CODE = "  - {{id: {id}, label_nb: {label}, label_en: {label}, colour: '#4e79a7'{more}}}\n"


def codebook_text(*codes: str) -> str:
    return "version: 1\nname: test\ncodes:\n" + "".join(codes)


def code(code_id: str, label: str = "Bolig", more: str = "") -> str:
    return CODE.format(id=code_id, label=label, more=more)


def codebook_refused(tmp_path: Path, text: str, line: int | None, *fragments: str) -> str:
    path = write(tmp_path, "codebook.yaml", text)
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: " if line else f"{path}"), message
    assert "\n" not in message, message
    for fragment in fragments:  # after the path: tmp_path is named after the test
        assert fragment in message.removeprefix(str(path)), message
    return message


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in range(1, 9):
        name, previous = chr(97 + level), chr(96 + level)
        bomb += f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    codebook_refused(tmp_path, bomb + "codes: *i\n", None, "aliases")


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    codebook_refused(tmp_path, "codes: &a [*a]\n", 1, "alias")


@pytest.mark.parametrize("text", ["codes: " + "[" * 50_000 + "]" * 50_000 + "\n",
                                  "codes:\n" + "".join(" " * i + "a:\n" for i in range(1500))],
                         ids=["flow", "block"])
def test_deeply_nested_yaml_is_refused(tmp_path: Path, text: str) -> None:
    codebook_refused(tmp_path, text, None, "nested")


def test_huge_codebook_is_refused_before_parsing(tmp_path: Path) -> None:
    text = codebook_text(code("bolig")) + "# " + "x" * (12 * 1024 * 1024) + "\n"
    codebook_refused(tmp_path, text, None, "too large")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']",
                                 "!!python/name:os.system ''", "!custom x"])
def test_python_and_unknown_tags_are_refused(tmp_path: Path, tag: str) -> None:
    text = codebook_text(code("bolig"), code("rop", more=f", definition: {tag}"))
    codebook_refused(tmp_path, text, 5, "tag", "not allowed")


def test_a_cycle_of_parents_is_named_as_a_cycle(tmp_path: Path) -> None:
    text = codebook_text(code("a", more=", parent: c"), code("b", more=", parent: a"),
                         code("c", more=", parent: b"))
    codebook_refused(tmp_path, text, 4, "cycle")


@pytest.mark.parametrize(("text", "line"), [
    ("version: 1\nname: a\nname: b\ncodes:\n" + code("bolig"), 3),
    (codebook_text(code("bolig", more=", id: rop")), 4),
    (codebook_text("  - id: bolig\n    label_nb: B\n    label_en: H\n    label_nb: C\n"
                   "    colour: '#4e79a7'\n"), 7),
], ids=["top-level", "in-flow-mapping", "in-block-mapping"])
def test_duplicate_keys_are_refused(tmp_path: Path, text: str, line: int) -> None:
    codebook_refused(tmp_path, text, line, "duplicate key")


@pytest.mark.parametrize("label", ['"Bolig\\e[31m"', '"Bo\\u202elig"', '"Bolig\\nRus"'])
def test_control_characters_in_labels_are_refused(tmp_path: Path, label: str) -> None:
    codebook_refused(tmp_path, codebook_text(code("bolig", label=label)), 4, "character")


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "kind", "parent", "label_nb", "label_en", "colour", "codes",
                         "indicators", "goals", "name", "version", "x"]), inner, max_size=5),
    max_leaves=20,
)


@HYPOTHESIS
@given(YAML_VALUES, st.integers(min_value=0, max_value=200), st.text(max_size=5))
def test_codebook_loader_on_generated_yaml(tmp_path: Path, value: object, cut: int,
                                           noise: str) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    for variant in (text, text[:cut] + noise + text[cut:]):
        path = write(tmp_path, "generert.yaml", variant)
        try:
            load_codebook(path)
        except CodebookError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error), str(error)


# --- YAML beside the notes: front matter and sidecars --------------------------------------

ALIAS_BOMB = "".join(
    [f"a{0}: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 9)])
HOSTILE_YAML = {
    "alias-bomb": ALIAS_BOMB + "title: *a8\n",
    "deep": "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "python-tag": "title: !!python/object/apply:os.system ['true']\n",
    "duplicate-key": "title: Intervju 1\ntitle: Intervju 2\n",
}


@pytest.mark.parametrize("yaml_text", HOSTILE_YAML.values(), ids=HOSTILE_YAML.keys())
def test_hostile_front_matter_is_refused_in_one_line(tmp_path: Path, yaml_text: str) -> None:
    refused(write(tmp_path, "notat.md", f"---\n{yaml_text}---\n{NORSK}\n"), "front matter")


@pytest.mark.parametrize("yaml_text", HOSTILE_YAML.values(), ids=HOSTILE_YAML.keys())
def test_hostile_sidecar_fails_its_note_and_the_rest_import(db: Database, tmp_path: Path,
                                                            yaml_text: str) -> None:
    write(tmp_path, "god.txt", NORSK)
    bad = write(tmp_path, "dårlig.txt", NORSK + " Et annet notat.")
    write(tmp_path, "dårlig.txt.yaml", yaml_text)
    results = {Path(r.path).name: r for r in run_import(db, [tmp_path], "tester",
                                                        site="Horten").results}
    assert results["god.txt"].status == "added"
    failed = results["dårlig.txt"]
    assert failed.status == "failed" and "\n" not in failed.reason
    assert f"{bad}.yaml" in failed.reason and "sidecar" in failed.reason


def test_site_names_from_outside_are_stored_as_one_clean_line(db: Database,
                                                               tmp_path: Path) -> None:
    from kasus.sites import list_sites

    note = write(tmp_path, "notat.txt", NORSK)
    [result] = run_import(db, [note], "tester", site="Ny\x1b[5m\nby\u202e", new_sites=True).results
    assert result.status == "added", result.reason
    assert "Ny[5m by" in [site.name for site in list_sites(db)]


# --- nothing already saved is lost ------------------------------------------------------


def test_hostile_files_and_codebooks_leave_saved_work_alone(db: Database,
                                                             tmp_path: Path) -> None:
    from kasus.codebook.codes import list_codes
    from kasus.coding.codings import apply_coding, list_codings
    from kasus.project import reload_codebook

    good = tmp_path / "god"
    good.mkdir()
    [added] = run_import(db, [write(good, "notat.txt", NORSK)], "tester", site="Horten").results
    assert added.document_id is not None
    coding = apply_coding(db, added.document_id, 0, 5, "bolig", "tester")
    codes_before = list_codes(db)
    hostile = tmp_path / "fiendtlig"
    hostile.mkdir()
    write(hostile, "bombe.docx", repack(docx_bytes(), extra=[("b.xml", b"\0" * 30_000_000)]))
    write(hostile, "entitet.odt", with_doctype(odt_bytes(), "content.xml", BILLION_LAUGHS, "i"))
    write(hostile, "dyp.md", "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nTekst.\n")
    write(hostile, "u16.txt", "Notat om bolig\n".encode("utf-16-le"))
    report = run_import(db, [hostile], "tester", site="Horten")
    assert sorted(r.status for r in report.results) == ["added", "failed", "failed", "failed"]
    bomb = tmp_path / "codebook.yaml"
    bomb.write_text("codes: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(CodebookError):
        reload_codebook(db, bomb, "tester")
    assert list_codes(db) == codes_before
    [kept] = list_codings(db, document_id=added.document_id)
    assert (kept.id, kept.quote, kept.status) == (coding.id, "Bolig", coding.status)
