"""Pseudonymising stored notes: names and identifiers replaced by stable placeholders, codings
kept anchored, nothing of the originals left in the project, the key owner-only beside it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from kasus.coding.codings import apply_coding, list_codings
from kasus.coding.history import undo
from kasus.corpus.keyfile import Key, key_folder, load_key
from kasus.corpus.names import Entity, load_names
from kasus.corpus.pseudonymise import pseudonymise_documents
from kasus.corpus.replacing import Pseudonymiser
from kasus.documents import get_document
from kasus.errors import KasusError
from kasus.importing.importer import run_import
from kasus.safety import check_project
from kasus.search import search

NAMES = """\
names:
  - name: Kari Nordmann
    kind: person
    aliases: [Kari, Nordmann]
  - name: Per Hansen
    kind: person
  - name: Berg
    kind: person
  - name: Pilehagen
    kind: place
"""
NOTE_1 = """---
id: ps-01
site: Karmøy
role: leder
informant: Kari Nordmann
---
Vi møtte Kari Nordmann på Pilehagen en tirsdag. Karis team er lite, sier hun.

Ring henne på 912 34 567 eller skriv til kari@karmoy.kommune.no om boligene.

Per Hansen sier at Berg har rett. Fjellet bak er et berg.
"""
NOTE_2 = """---
id: ps-02
site: Karmøy
role: nav
---
Veilederen kjenner Kari godt. Hun har nummer 91234567 og bor ved Pilehagen i Karmøy.
"""


def _replacer(*entities: Entity) -> Pseudonymiser:
    key = Key(Path("unused"))
    key.add_names(list(entities))
    return Pseudonymiser(key)


KARI = Entity("Kari Nordmann", "PERSON", ("Kari", "Nordmann"))


def test_names_match_whole_words_case_aware_with_possessive_and_line_breaks() -> None:
    replacer = _replacer(KARI, Entity("Berg", "PERSON"))
    text = ("Kari\nNordmann kom. Karis bror, KARI og Karianne. kari er ikke henne. "
            "Berg sa det; et berg er et fjell. Bergen er en by.")
    assert replacer.text(text) == (
        "[PERSON-1] kom. [PERSON-1]s bror, [PERSON-1] og Karianne. kari er ikke henne. "
        "[PERSON-2] sa det; et berg er et fjell. Bergen er en by.")


def test_the_longest_form_wins() -> None:
    replacer = _replacer(Entity("Kari", "PERSON"), Entity("Kari Nordmann", "PERSON"))
    assert replacer.text("Kari Nordmann og Kari.") == "[PERSON-2] og [PERSON-1]."


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "ps-01.md").write_text(NOTE_1, encoding="utf-8")
    (folder / "ps-02.md").write_text(NOTE_2, encoding="utf-8")
    return folder


@pytest.fixture
def names_file(tmp_path: Path) -> Path:
    path = tmp_path / "names.yaml"
    path.write_text(NAMES, encoding="utf-8")
    return path


@pytest.fixture
def imported(db: Database, notes: Path) -> Database:
    report = run_import(db, [notes], "tester")
    assert [r.status for r in report.results] == ["added", "added"]
    return db


def _span(db: Database, passage: str, document_id: str = "ps-01") -> tuple[int, int]:
    start = get_document(db, document_id).text.index(passage)
    return start, start + len(passage)


def _code(db: Database, document_id: str, passage: str, code: str = "bolig") -> int:
    return apply_coding(db, document_id, *_span(db, passage, document_id), code, "tester").id


def test_same_entity_same_placeholder_across_documents(imported: Database,
                                                      names_file: Path) -> None:
    pseudonymise_documents(imported, "tester", names_file=names_file)
    first, second = get_document(imported, "ps-01").text, get_document(imported, "ps-02").text
    assert "Vi møtte [PERSON-1] på [STED-1] en tirsdag. [PERSON-1]s team" in first
    assert "Ring henne på [TLF-1] eller skriv til [EPOST-1] om" in first
    assert "[PERSON-2] sier at [PERSON-3] har rett. Fjellet bak er et berg." in first
    assert second.endswith("kjenner [PERSON-1] godt. Hun har nummer [TLF-1] og bor ved "
                           "[STED-1] i Karmøy.")
    assert get_document(imported, "ps-01").informant == "[PERSON-1]"


def test_placeholders_stay_the_same_in_a_later_run(db: Database, tmp_path: Path,
                                                   notes: Path, names_file: Path) -> None:
    run_import(db, [notes / "ps-01.md"], "tester")
    pseudonymise_documents(db, "tester", names_file=names_file)
    run_import(db, [notes / "ps-02.md"], "tester")
    # The second run needs no names file: the project's list is kept with the key.
    pseudonymise_documents(db, "tester", ["ps-02"])
    assert "kjenner [PERSON-1] godt. Hun har nummer [TLF-1]" in get_document(db, "ps-02").text
    marked = db.execute("SELECT count(*) FROM audit_log WHERE action = 'project.pseudonymised'")
    assert marked.fetchone()[0] == 1


def test_codings_stay_anchored_with_their_quotes(imported: Database, names_file: Path) -> None:
    db = imported
    before_any = _code(db, "ps-01", "Vi møtte")
    spanning = _code(db, "ps-01", "Kari Nordmann på Pilehagen en tirsdag")
    inside = _code(db, "ps-01", "mann på", "hm1")
    after_all = _code(db, "ps-01", "Fjellet bak er et berg.")
    other = _code(db, "ps-02", "Hun har nummer 91234567")
    report = pseudonymise_documents(db, "tester", names_file=names_file)
    quotes = {c.id: c.quote for c in list_codings(db)}
    assert quotes == {
        before_any: "Vi møtte",
        spanning: "[PERSON-1] på [STED-1] en tirsdag",
        inside: "[PERSON-1] på",  # a coding cutting into a name takes in its placeholder
        after_all: "Fjellet bak er et berg.",
        other: "Hun har nummer [TLF-1]",
    }
    assert all(c.status == "anchored" and c.document_version == 2 for c in list_codings(db))
    assert check_project(db) == []
    assert {r.document_id: r.codings for r in report.documents} == {"ps-01": 3, "ps-02": 1}


def test_nothing_of_the_originals_is_left_in_the_project(imported: Database,
                                                        project_path: Path,
                                                        names_file: Path) -> None:
    _code(imported, "ps-01", "Kari Nordmann på Pilehagen")
    pseudonymise_documents(imported, "tester", names_file=names_file)
    assert search(imported, "Pilehagen") == []
    assert [hit.document_id for hit in search(imported, "STED")] == ["ps-01", "ps-02"]
    raw = b"".join(p.read_bytes() for p in project_path.parent.glob("project.db*") if p.is_file())
    for original in ("Nordmann", "Pilehagen", "912 34 567", "kari@karmoy"):
        assert original.encode() not in raw, original


def test_a_dry_run_changes_nothing(imported: Database, project_path: Path,
                                   names_file: Path) -> None:
    _code(imported, "ps-01", "Kari Nordmann på Pilehagen")
    dump = list(imported.conn.iterdump())
    report = pseudonymise_documents(imported, "tester", names_file=names_file, dry_run=True)
    assert list(imported.conn.iterdump()) == dump
    assert not key_folder(project_path).exists()
    shown = {(c.document_id, c.line, c.original, c.placeholder) for c in report.changes}
    assert ("ps-01", 1, "Kari Nordmann", "[PERSON-1]") in shown
    assert ("ps-01", 3, "912 34 567", "[TLF-1]") in shown
    assert ("ps-02", 1, "91234567", "[TLF-1]") in shown


def test_the_key_is_owner_only_beside_the_project(imported: Database, project_path: Path,
                                                  names_file: Path) -> None:
    pseudonymise_documents(imported, "tester", names_file=names_file)
    folder = key_folder(project_path)
    assert folder.parent == project_path.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = [p for p in folder.iterdir() if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    originals = load_key(project_path).originals()
    assert originals["[PERSON-1]"] == "Kari Nordmann"
    assert originals["[TLF-1]"] == "91234567"
    assert originals["[EPOST-1]"] == "kari@karmoy.kommune.no"


def test_sentence_starts_and_sites_are_not_taken_for_names(imported: Database,
                                                           names_file: Path) -> None:
    report = pseudonymise_documents(imported, "tester", names_file=names_file)
    # "Veilederen", "Vi" and "Ring" start sentences, Karmøy is a site, the rest are replaced.
    assert report.leftovers == []
    assert "Veilederen" in get_document(imported, "ps-02").text


def test_the_warning_names_a_planted_name_and_where(db: Database, tmp_path: Path,
                                                    names_file: Path) -> None:
    note = tmp_path / "ps-03.md"
    note.write_text("---\nid: ps-03\nsite: Karmøy\n---\nNAV og DPS møtte Kari i Horten.\n\n"
                    "Etterpå snakket vi med Solveig om Housing First.\n", encoding="utf-8")
    run_import(db, [note], "tester")
    report = pseudonymise_documents(db, "tester", names_file=names_file)
    assert [(i.word, i.document_id, i.line) for i in report.leftovers] == [
        ("Solveig", "ps-03", 3)]


def test_earlier_versions_and_the_audit_trail_are_pseudonymised(db: Database, notes: Path,
                                                               names_file: Path) -> None:
    run_import(db, [notes / "ps-01.md"], "tester")
    _code(db, "ps-01", "Per Hansen sier")
    (notes / "ps-01.md").write_text(NOTE_1.replace("en tirsdag", "en onsdag"), "utf-8")
    run_import(db, [notes / "ps-01.md"], "tester")
    pseudonymise_documents(db, "tester", names_file=names_file)
    versions = [row[0] for row in db.execute(
        "SELECT text FROM document_versions WHERE document_id = 'ps-01' ORDER BY version")]
    assert len(versions) == 3 and not any("Nordmann" in text for text in versions)
    assert "en tirsdag" in versions[0]
    audit = " ".join(str(row) for row in db.execute("SELECT before, after FROM audit_log"))
    assert "Per Hansen" not in audit and "[PERSON-2] sier" in audit
    # Each version's segments were moved with its own text: every sentence still ends on its
    # full stop (check_project measures old versions against the current text, so not it).
    for version, text in enumerate(versions, start=1):
        ends = [row[0] for row in db.execute(
            "SELECT \"end\" FROM segments WHERE document_id = 'ps-01' AND version = ? "
            "AND kind = 'sentence'", [version])]
        assert ends and all(text[end - 1] in ".?!" for end in ends), version


def test_undo_refuses_clearly(imported: Database, names_file: Path) -> None:
    _code(imported, "ps-01", "Kari Nordmann på Pilehagen")
    pseudonymise_documents(imported, "tester", names_file=names_file)
    with pytest.raises(KasusError, match=r"pseudonymisation\).*cannot be undone"):
        undo(imported, "tester")
    assert [c.quote for c in list_codings(imported)] == ["[PERSON-1] på [STED-1]"]


def test_names_file_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("name,kind,aliases\nKari Nordmann,person,Kari; Nordmann\n"
                    "Pilehagen bokollektiv,sted,Pilehagen\n", encoding="utf-8")
    assert load_names(path) == [Entity("Kari Nordmann", "PERSON", ("Kari", "Nordmann")),
                                Entity("Pilehagen bokollektiv", "STED", ("Pilehagen",))]


@pytest.mark.parametrize(("content", "message"), [
    ("names:\n  - name: Kari\n    kind: cat\n", r"names.yaml: entry 1 \(Kari\): kind 'cat'"),
    ("names:\n  - kind: person\n", "names.yaml: entry 1 has no name"),
    ("names: [\n", r"names.yaml:2: YAML syntax error"),
    ("names:\n  - name: Kari\n  - name: Kari Berg\n    aliases: [Kari]\n",
     "'Kari' is given for both"),
])
def test_a_bad_names_file_is_one_line_naming_it(tmp_path: Path, content: str,
                                                message: str) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KasusError, match=message):
        load_names(path)


def test_another_coders_older_span_change_is_not_undone_onto_the_new_text(
        imported: Database, names_file: Path) -> None:
    from kasus.coding.codings import reanchor_coding

    # The coding moves from the end of the note to its start, before any name: the move
    # itself is untouched by the replacements, but undoing it would use old offsets.
    coding = apply_coding(imported, "ps-01", *_span(imported, "Fjellet bak er et berg."),
                          "bolig", "other").id
    reanchor_coding(imported, coding, 0, len("Vi møtte"), "other")
    pseudonymise_documents(imported, "tester", names_file=names_file)
    with pytest.raises(KasusError, match="tester changed it since"):
        undo(imported, "other")
    assert [c.quote for c in list_codings(imported)] == ["Vi møtte"]
    assert check_project(imported) == []


def test_services_compounds_and_possessives_of_known_words_are_not_names(
        db: Database, tmp_path: Path, names_file: Path) -> None:
    note = tmp_path / "ps-04.md"
    note.write_text("---\nid: ps-04\nsite: Karmøy\n---\nVi snakket om NAVs rolle, at "
                    "MO-senteret og KoRus Vest hjelper, og at Karmøys tilbud er godt, men "
                    "Torshov har mer.\n", encoding="utf-8")
    run_import(db, [note], "tester")
    report = pseudonymise_documents(db, "tester", ["ps-04"], names_file=names_file)
    assert [item.word for item in report.leftovers] == ["Torshov"]


def test_an_unreadable_key_is_refused_naming_it(imported: Database, project_path: Path,
                                                names_file: Path) -> None:
    folder = key_folder(project_path)
    folder.mkdir(mode=0o700)
    (folder / "pseudonyms.json").write_text("{not json", encoding="utf-8")
    dump = list(imported.conn.iterdump())
    with pytest.raises(KasusError, match=r"pseudonyms.json: unreadable pseudonym key"):
        pseudonymise_documents(imported, "tester", names_file=names_file)
    assert list(imported.conn.iterdump()) == dump


def test_coding_memos_are_pseudonymised_too(imported: Database, names_file: Path) -> None:
    from kasus.coding.codings import set_memo

    coding = _code(imported, "ps-02", "Veilederen kjenner")
    set_memo(imported, coding, "Sjekk med Per Hansen, tlf 22 33 44 55", "tester")
    dry = pseudonymise_documents(imported, "tester", ["ps-02"], names_file, dry_run=True)
    assert [(r.document_id, r.memos) for r in dry.documents] == [("ps-02", 1)]
    pseudonymise_documents(imported, "tester", ["ps-02"], names_file)
    assert [c.memo for c in list_codings(imported)] == ["Sjekk med [PERSON-2], tlf [TLF-2]"]
    audit = " ".join(str(row) for row in imported.execute("SELECT before, after FROM audit_log"))
    assert "Hansen" not in audit and "22 33" not in audit


def test_a_names_file_in_decomposed_unicode_matches_the_stored_text(tmp_path: Path) -> None:
    import unicodedata

    path = tmp_path / "names.csv"
    path.write_text(unicodedata.normalize("NFD", "name,kind\nÅsgården,sted\n"), "utf-8")
    key = Key(tmp_path / "key.json")
    key.add_names(load_names(path))
    assert Pseudonymiser(key).text("Vi besøkte Åsgården.") == "Vi besøkte [STED-1]."


def test_a_run_that_replaces_nothing_leaves_undo_alone(db: Database, tmp_path: Path,
                                                       names_file: Path) -> None:
    note = tmp_path / "ps-05.md"
    note.write_text("---\nid: ps-05\nsite: Karmøy\n---\nBoligene er for få.\n", "utf-8")
    run_import(db, [note], "tester")
    coding = _code(db, "ps-05", "Boligene")
    report = pseudonymise_documents(db, "tester", names_file=names_file)
    assert report.documents[0].replacements == 0
    step = undo(db, "tester")  # the coding, not a refusal
    assert step is not None and step.entity_id == str(coding)
    assert list_codings(db) == []
