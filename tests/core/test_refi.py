"""REFI-QDA exchange: exports validate and repeat byte for byte, a round trip loses nothing,
files from other tools import, and damaged or hostile files are refused in one line."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from sqlite_utils import Database

from kasus.audit import now
from kasus.coding.codings import apply_coding
from kasus.coding.history import undo
from kasus.errors import KasusError
from kasus.evidence.links import link_coding
from kasus.project import init_project
from kasus.refi import archive
from kasus.refi.export import export_refi
from kasus.refi.load import import_refi
from kasus.refi.read import normalise_with_map
from kasus.store import open_project
from kasus.store.connect import create_project
from tests.core import refi_files

ROOT = Path(__file__).resolve().parents[2]
# The normative schemas beside the project (CI has ../shared); the copies kasus ships must
# be the same files.
SHARED_XSD = ROOT.parent / "shared" / "refi"
SHIPPED_XSD = ROOT / "kasus" / "refi" / "schemas"
XSD = SHARED_XSD if (SHARED_XSD / "Project.xsd").exists() else SHIPPED_XSD


@pytest.fixture(scope="module")
def refi_master(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project (two coders, ~1,900 codings) with memos on every kind of target,
    an evidence link and an orphaned coding: everything an export must carry."""
    path = tmp_path_factory.mktemp("refi-demo") / "demo.db"
    path.write_bytes(demo_master.read_bytes())
    db = open_project(path)
    try:
        stamp = now()
        for kind, target, text in (("project", "", "Prosjektnotat: husk & <merk>"),
                                   ("site", "karmoy", "Karmøy: to runder"),
                                   ("document", "karmoy-01", "Leder ble intervjuet alene"),
                                   ("code", "bolig", "Boligkoden dekker også \x0b bostøtte")):
            db.table("memos").insert({"target_kind": kind, "target_id": target,
                                      "author": "demo-a", "text": text, "created_at": stamp,
                                      "updated_at": stamp, "guid": f"{kind}-memo-guid"})
        db.execute("UPDATE memos SET guid = lower(hex(randomblob(4))) || '-aaaa-4aaa-8aaa-' || "
                   "lower(hex(randomblob(6)))")
        first = db.execute("SELECT id FROM codings WHERE coder = 'demo-a' ORDER BY id "
                           "LIMIT 1").fetchone()[0]
        link_coding(db, first, 32, "supports", "demo-a", note="Flere får bolig")
        db.execute("UPDATE codings SET status = 'orphaned' WHERE id = (SELECT max(id) FROM "
                   "codings)")
        db.conn.commit()
    finally:
        db.close()
    return path


@pytest.fixture
def demo(refi_master: Path, tmp_path: Path) -> Database:
    copy = tmp_path / "source.db"
    copy.write_bytes(refi_master.read_bytes())
    database = open_project(copy)
    yield database
    database.close()


@pytest.fixture
def target(tmp_path: Path) -> Database:
    """A new, empty project with the shipped codebook, as `kasus init` makes it."""
    database = init_project(tmp_path / "target.db", actor="tester")
    yield database
    database.close()


def _validate(xml: bytes, schema: str) -> None:
    xsd = etree.XMLSchema(etree.parse(str(XSD / schema)))
    document = etree.fromstring(xml)
    assert xsd.validate(document), xsd.error_log


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zipped:
        return zipped.read(name)


def _codings(db: Database) -> list[tuple[Any, ...]]:
    return sorted(db.execute(
        'SELECT d.title, c.code_id, c.start, c."end", c.quote, c.coder, c.memo FROM codings c '
        "JOIN documents d ON d.id = c.document_id WHERE c.removed_at IS NULL AND "
        "c.status != 'orphaned'").fetchall())


def test_shipped_schemas_are_the_normative_ones() -> None:
    for name in ("Project.xsd", "Codebook.xsd"):
        assert (SHIPPED_XSD / name).read_bytes() == (XSD / name).read_bytes()


def test_exported_project_and_codebook_validate(demo: Database, tmp_path: Path) -> None:
    project = export_refi(demo, "qdpx", tmp_path / "p.qdpx")
    codebook = export_refi(demo, "codebook", tmp_path / "c.qdc")
    xml = _member(tmp_path / "p.qdpx", "project.qde")
    _validate(xml, "Project.xsd")
    _validate((tmp_path / "c.qdc").read_bytes(), "Codebook.xsd")
    live = demo.execute("SELECT count(*) FROM codings WHERE removed_at IS NULL AND "
                        "status != 'orphaned'").fetchone()[0]
    assert project.counts["codings"] == live
    assert codebook.counts["codes"] == demo.execute("SELECT count(*) FROM codes").fetchone()[0]
    assert any("orphaned" in line for line in project.not_carried)
    # A control character in a memo cannot be XML; it is replaced, not a broken file.
    assert "\x0b" not in xml.decode()


def test_every_selection_covers_its_quote_in_the_source_file(demo: Database,
                                                             tmp_path: Path) -> None:
    export_refi(demo, "qdpx", tmp_path / "p.qdpx")
    root = etree.fromstring(_member(tmp_path / "p.qdpx", "project.qde"))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    checked = 0
    for source in root.iterfind(".//q:TextSource", ns):
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        text = _member(tmp_path / "p.qdpx", "sources/" + path.removeprefix("internal://"))
        text = text.decode("utf-8")
        assert not text.startswith("\ufeff") and "\r" not in text
        for selection in source.iterfind("q:PlainTextSelection", ns):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == selection.get("name")
            checked += 1
    assert checked > 1000


def test_exporting_twice_gives_the_same_bytes(demo: Database, tmp_path: Path) -> None:
    export_refi(demo, "qdpx", tmp_path / "one.qdpx")
    export_refi(demo, "qdpx", tmp_path / "two.qdpx")
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest()
              for n in ("one.qdpx", "two.qdpx")]
    assert digest[0] == digest[1]


def test_round_trip_loses_nothing(demo: Database, target: Database, tmp_path: Path) -> None:
    export_refi(demo, "qdpx", tmp_path / "p.qdpx")
    report = import_refi(target, tmp_path / "p.qdpx", "tester")

    documents = "SELECT id, title, text, site_id, role, informant, date, interviewer, round " \
                "FROM documents ORDER BY id"
    assert target.execute(documents).fetchall() == demo.execute(documents).fetchall()
    for ours, theirs in zip(target.execute("SELECT text FROM documents ORDER BY id"),
                            demo.execute("SELECT text FROM documents ORDER BY id"), strict=True):
        assert ours[0].encode() == theirs[0].encode()
    assert report.codes_matched == demo.execute("SELECT count(*) FROM codes").fetchone()[0]
    assert not report.codes_added
    assert _codings(target) == _codings(demo)
    assert report.codings_added == len(_codings(demo))
    memos = "SELECT target_kind, target_id, author, text FROM memos ORDER BY text"
    carried = [(k, i, a, t.replace("\x0b", "\ufffd")) for k, i, a, t in
               demo.execute(memos).fetchall()]
    assert target.execute(memos).fetchall() == carried
    links = "SELECT c.quote, l.indicator_id, l.stance, l.note FROM evidence_links l " \
            "JOIN codings c ON c.id = l.coding_id"
    assert target.execute(links).fetchall() == demo.execute(links).fetchall()

    again = import_refi(target, tmp_path / "p.qdpx", "tester")
    assert (again.codings_added, again.memos_added, again.links_added) == (0, 0, 0)
    assert again.documents_matched == len(report.documents_added)


def test_an_import_is_undone_as_one_step(demo: Database, target: Database,
                                         tmp_path: Path) -> None:
    export_refi(demo, "qdpx", tmp_path / "p.qdpx")
    import_refi(target, tmp_path / "p.qdpx", "tester")
    undo(target, "tester")
    assert target.execute("SELECT count(*) FROM codings WHERE removed_at IS NULL"
                          ).fetchone()[0] == 0


def test_codebook_round_trip_into_an_empty_codebook(demo: Database, tmp_path: Path) -> None:
    export_refi(demo, "codebook", tmp_path / "c.qdc")
    empty = create_project(tmp_path / "empty.db")
    report = import_refi(empty, tmp_path / "c.qdc", "tester")
    ours = "SELECT guid, label_nb, label_en, colour, definition FROM codes ORDER BY guid"
    assert empty.execute(ours).fetchall() == demo.execute(ours).fetchall()
    parents = ("SELECT c.label_nb, p.label_nb FROM codes c LEFT JOIN codes p "
               "ON p.id = c.parent_id ORDER BY c.label_nb")
    assert empty.execute(parents).fetchall() == demo.execute(parents).fetchall()
    assert report.branch is None  # an empty codebook takes the codes as they are
    empty.close()


def test_qualcoder_style_file(target: Database, tmp_path: Path) -> None:
    report = import_refi(target, refi_files.qualcoder_style(tmp_path), "tester")
    assert len(report.documents_added) == 1 and report.codings_added == 1
    document = report.documents_added[0]
    text, site = target.execute("SELECT text, site_id FROM documents WHERE id = ?",
                                [document]).fetchone()
    assert site == "karmoy" and "\r" not in text and not text.startswith("\ufeff")
    quote, coder, code = target.execute(
        "SELECT quote, coder, code_id FROM codings WHERE document_id = ?", [document]).fetchone()
    assert quote == "Boligsosialt arbeid er styrket" and coder == "kari"
    # "Bolig" is the shipped codebook's code by name; its sub-code is new, under it.
    assert "Bolig → bolig" in report.codes_matched_by_name
    parent = target.execute("SELECT parent_id FROM codes WHERE id = ?", [code]).fetchone()[0]
    assert parent == "bolig" and report.branch is None


def test_nvivo_style_text_from_the_docx(target: Database, tmp_path: Path) -> None:
    path, quotes = refi_files.nvivo_style(tmp_path)
    report = import_refi(target, path, "tester")
    assert report.codings_added == 2 and not report.codings_orphaned
    assert sorted(row[0] for row in target.execute("SELECT quote FROM codings")) == sorted(quotes)
    text = target.execute("SELECT text FROM documents").fetchone()[0]
    assert text.count("\n\n") == 2  # one paragraph per line of the plain text
    assert target.execute("SELECT count(*) FROM segments WHERE kind = 'paragraph'"
                          ).fetchone()[0] == 3


def test_maxqda_style_nested_codes_and_what_kasus_cannot_take(target: Database,
                                                              tmp_path: Path) -> None:
    report = import_refi(target, refi_files.maxqda_style(tmp_path, depth=5), "tester",
                         site="Trondheim")
    assert report.branch == "import-maxqda-2022"
    chain = []
    code = target.execute("SELECT id FROM codes WHERE label_nb = 'Nivå 5'").fetchone()[0]
    while code:
        label, code = target.execute(
            "SELECT label_nb, parent_id FROM codes WHERE id = ?", [code]).fetchone()
        chain.append(label)
    assert chain == ["Nivå 5", "Nivå 4", "Nivå 3", "Nivå 2", "Nivå 1", "Import: MAXQDA 2022"]
    assert target.execute("SELECT definition, status FROM codes WHERE label_nb = 'Nivå 1'"
                          ).fetchone() == ("Beskrivelse på nivå 1 & mer", "retired")
    assert sorted(row[0] for row in target.execute("SELECT quote FROM codings")) == [
        "ROP-lidelser og samhandling", "individuell plan"]
    assert report.unsupported == {"PDF region selections": 1, "audio sources": 1, "sets": 1,
                                  "graphs": 1}


def test_atlas_style_cut_short_quotes_and_line_ends(target: Database, tmp_path: Path) -> None:
    path, quote = refi_files.atlas_style(tmp_path)
    report = import_refi(target, path, "tester")
    assert report.codings_added == 1 and not report.codings_orphaned
    assert target.execute("SELECT quote, coder FROM codings").fetchone() == (quote,
                                                                            "atlas-bruker")
    assert target.execute("SELECT colour FROM codes WHERE label_nb = 'Import: Atlas'"
                          ).fetchone() is None  # 'bolig' matched by name, no branch
    assert report.codes_matched_by_name == ["bolig → bolig"]


def test_an_empty_project_imports_nothing_without_error(target: Database,
                                                        tmp_path: Path) -> None:
    report = import_refi(target, refi_files.empty_project(tmp_path), "tester")
    assert (report.documents_added, report.codings_added, report.codes_added) == ([], 0, [])


def test_a_source_without_a_case_needs_a_site_and_nothing_is_kept(target: Database,
                                                                  tmp_path: Path) -> None:
    before = target.execute("SELECT count(*) FROM codes").fetchone()[0]
    with pytest.raises(KasusError, match=r"belongs to no case.*--site"):
        import_refi(target, refi_files.maxqda_style(tmp_path), "tester")
    assert target.execute("SELECT count(*) FROM codes").fetchone()[0] == before
    assert target.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_positions_carry_over_line_ends_bom_and_decomposed_letters() -> None:
    raw = "\ufeffA\r\nbo\u0308k\r\n\r\nslutt"
    mapped = normalise_with_map(raw)
    text, offsets = mapped.text, mapped.by_raw
    assert text == "A\nbök\n\nslutt"
    start = raw.index("slutt")
    assert text[offsets[start]:offsets[start + 5]] == "slutt"
    assert text[offsets[raw.index("b")]:offsets[raw.index("k") + 1]] == "bök"


HOSTILE = {
    "not a zip": (lambda p: p.write_bytes(b"PK\x03\x04 not really"), "not a readable zip"),
    "no project": (lambda p: refi_files.qdpx(p, "<x/>", qde_name="readme.txt"),
                   "no project.qde"),
    "traversal": (lambda p: refi_files.qdpx(p, "<Project/>", {"../../evil.txt": b"x"}),
                  "points outside the archive"),
    "absolute": (lambda p: refi_files.qdpx(p, "<Project/>", {"/etc/evil": b"x"}),
                 "points outside the archive"),
    "bomb": (lambda p: refi_files.qdpx(p, "<Project/>", {"sources/b.txt": b"0" * 30_000_000}),
             "zip bomb"),
    "entities": (lambda p: refi_files.qdpx(
        p, '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 '
           '"&lol;&lol;&lol;">]><Project name="&lol2;"/>'), "DTD or entities"),
    "external entity": (lambda p: refi_files.qdpx(
        p, '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<Project name="&x;"/>'), "DTD or entities"),
    "broken xml": (lambda p: refi_files.qdpx(p, "<Project name='x'><Sources>"),
                   "not well-formed"),
    "wrong root": (lambda p: refi_files.qdpx(p, "<html/>"), "root element 'html'"),
    "bad position": (lambda p: refi_files.qdpx(
        p, f'<Project {refi_files.NS} name="x"><Sources><TextSource guid="{refi_files.SOURCE}">'
           '<PlainTextContent>abc</PlainTextContent><PlainTextSelection guid="'
           f'{refi_files.CASE}" startPosition="one" endPosition="2"/></TextSource></Sources>'
           '</Project>'), "startPosition='one'"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_damaged_and_hostile_files_are_refused_in_one_line(case: str, target: Database,
                                                           tmp_path: Path) -> None:
    make, message = HOSTILE[case]
    path = tmp_path / "bad.qdpx"
    make(path)
    before = target.execute("SELECT count(*) FROM documents").fetchone()[0]
    with pytest.raises(KasusError, match=message) as error:
        import_refi(target, path, "tester")
    assert "\n" not in str(error.value) and str(path) in str(error.value)
    assert target.execute("SELECT count(*) FROM documents").fetchone()[0] == before


def test_a_member_larger_than_the_limit_is_refused(target: Database, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = refi_files.nvivo_style(tmp_path)
    monkeypatch.setattr(archive, "MAX_XML_BYTES", 100)
    with pytest.raises(KasusError, match="the limit is"):
        import_refi(target, path, "tester")


def test_a_qdc_that_is_not_a_codebook(target: Database, tmp_path: Path) -> None:
    path = tmp_path / "x.qdc"
    path.write_text(f'<Project {refi_files.NS} name="x"/>')
    with pytest.raises(KasusError, match="not a REFI-QDA codebook"):
        import_refi(target, path, "tester")


def test_apply_coding_still_refuses_duplicates_after_import(target: Database,
                                                            tmp_path: Path) -> None:
    report = import_refi(target, refi_files.qualcoder_style(tmp_path), "tester")
    row = target.execute('SELECT document_id, start, "end", code_id, coder FROM codings'
                         ).fetchone()
    with pytest.raises(KasusError, match="already codes"):
        apply_coding(target, row[0], row[1], row[2], row[3], row[4])
    assert report.codings_added == 1


def test_a_selection_named_with_a_label_is_placed_by_its_positions(target: Database,
                                                                   tmp_path: Path) -> None:
    """Some tools give a selection a label ("Segment 3") rather than its quote: a name the
    text does not hold is no reason to orphan the coding."""
    text = "Kommunen har fått flere boliger. Ventetiden er lang."
    start, end = 0, text.index(".") + 1
    project = f"""<Project {refi_files.NS} name="labels">
  <CodeBook><Codes><Code guid="{refi_files.CODE_BOLIG}" name="bolig" isCodable="true"/>
  </Codes></CodeBook>
  <Sources><TextSource guid="{refi_files.SOURCE}" name="note">
    <PlainTextContent>{text}</PlainTextContent>
    <PlainTextSelection guid="{refi_files.CASE}" name="Segment 3" startPosition="{start}"
        endPosition="{end}"><Coding guid="c0d10000-0000-4000-8000-000000000901">
        <CodeRef targetGUID="{refi_files.CODE_BOLIG}"/></Coding></PlainTextSelection>
  </TextSource></Sources></Project>"""
    path = refi_files.qdpx(tmp_path / "labels.qdpx", project)
    report = import_refi(target, path, "tester", site="Karmøy")
    assert (report.codings_added, report.codings_unchecked, report.codings_orphaned) == (1, 1, [])
    assert target.execute("SELECT quote, status FROM codings").fetchone() == (
        "Kommunen har fått flere boliger.", "anchored")
