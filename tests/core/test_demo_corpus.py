"""The demo corpus: marked fictional, names no informant, covers six sites in several formats."""

from __future__ import annotations

import yaml
from sqlite_utils import Database

from kasus.coding.batch import check_batch
from kasus.demo import CORPUS, DEMO_CODINGS
from kasus.importing.formats import extract
from kasus.importing.importer import run_import

MARK = "FIKTIVT DEMOMATERIALE"
NOTE_SUFFIXES = {".md", ".docx", ".odt"}


def notes() -> list:  # type: ignore[type-arg]
    return sorted(p for p in CORPUS.rglob("*")
                  if p.suffix in NOTE_SUFFIXES and p.stem != "README")


def test_every_note_is_marked_fictional() -> None:
    for path in notes():
        assert MARK in extract(path).text, path


def test_six_sites_with_at_least_four_notes_each() -> None:
    folders = {path.parent.name for path in notes()}
    assert folders == {"oslo", "sagene", "trondheim", "horten", "karmoy", "tromso"}
    for folder in folders:
        assert len([p for p in notes() if p.parent.name == folder]) >= 4
    assert {p.suffix for p in notes()} == NOTE_SUFFIXES


def test_sites_file_has_attributes() -> None:
    sites = yaml.safe_load((CORPUS / "sites.yaml").read_text(encoding="utf-8"))["sites"]
    cases = [site for site in sites if site["kind"] in {"kommune", "bydel"}]
    assert len(cases) == 12 and len({site["id"] for site in sites}) == len(sites)
    for site in cases:
        assert site["population"] > 0 and site["county"] and site["region"], site["id"]
        assert (site["part_of"] == "oslo") if site["kind"] == "bydel" else "part_of" not in site
    others = [site for site in sites if site not in cases]
    assert sorted(site["kind"] for site in others) == ["national", "regional"]
    assert all(site["population"] is None for site in others)
    demo_sites = {path.parent.name for path in notes()}
    assert all(site["rounds"] == [2019] for site in sites if site["id"] in demo_sites)


def test_both_demo_coders_code_every_note_with_quotes_that_are_found(db: Database) -> None:
    run_import(db, [CORPUS], "tester")
    documents = {row["id"] for row in db.table("documents").rows}
    assert len(documents) == 24
    for coder in DEMO_CODINGS:
        good, bad = check_batch(db, CORPUS / "codings" / f"{coder}.jsonl", coder)
        assert bad == [], bad[:3]
        passages: dict[str, set[tuple[int, int]]] = {}
        for coding in good:
            passages.setdefault(coding.document_id, set()).add((coding.start, coding.end))
        assert set(passages) == documents, coder
        assert all(15 <= len(spans) <= 40 for spans in passages.values()), coder
        assert sum(1 for c in good if c.memo) >= len(good) // 12, coder


def test_notes_copy_no_report_phrasing_and_vary_as_real_notes_do() -> None:
    import re

    texts = {path.name: extract(path).text for path in notes()}
    copied = ("det er behov for å kjøpe og leie flere boliger men at",
              "at det er satt ned en gruppe som utreder saken og at")
    for name, text in texts.items():
        flat = " ".join(text.split()).replace(",", "")
        assert not any(phrase in flat for phrase in copied), name
        assert "Interviewers merknader" not in text, name
    assert sum("Intervjuerens merknader" in text for text in texts.values()) >= 12
    # Headings differ from note to note (real notes follow the guide loosely).
    heading_sets = set()
    for path in notes():
        if path.suffix == ".md":
            heading_sets.add(tuple(re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"),
                                              re.MULTILINE)))
    assert len(heading_sets) >= 10


def test_notes_put_no_words_in_a_named_office_holders_mouth_nor_speak_of_deaths() -> None:
    offices = ("virksomhetslederen for", "Seksjonsleder, seksjon for", "seksjonslederen for")
    for path in notes():
        text = extract(path).text
        assert not any(office in text for office in offices), path.name
        if path.parent.name in ("tromso", "sagene", "karmoy"):
            assert "dødsfall" not in text and "mistet to pasienter" not in text, path.name
