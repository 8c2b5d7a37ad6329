"""TUI fixtures: the demo project built once per session, copied per test; a fixed coder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.coding.codings import apply_coding, list_codings
from kasus.demo import CORPUS, DEMO_CODER
from kasus.documents import segments_of
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.safety import backup
from kasus.store import open_project
from tui.app import KasusApp

CODER = "tester"
KARMOY = "karmoy-01"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def notes_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo notes without any codings: a clean slate for the coding mechanics."""
    path = tmp_path_factory.mktemp("notes-master") / "demo.db"
    db = init_project(path, DEMO_CODER, sites_path=CORPUS / "sites.yaml")
    try:
        run_import(db, [CORPUS], DEMO_CODER)
    finally:
        db.close()
    return path


def private_copy(master: Path, tmp_path: Path) -> Path:
    """A copy of a master project, always named demo.db (the status bar shows it)."""
    folder = tmp_path / "project"
    folder.mkdir()
    out = folder / "demo.db"
    db = open_project(master)
    try:
        backup(db, out)
    finally:
        db.close()
    return out


@pytest.fixture
def demo_project(demo_master: Path, tmp_path: Path) -> Path:
    """A private copy of the demo project, as `kasus demo` opens it."""
    return private_copy(demo_master, tmp_path)


@pytest.fixture
def notes_project(notes_master: Path, tmp_path: Path) -> Path:
    """A private copy of the uncoded demo notes."""
    return private_copy(notes_master, tmp_path)


@pytest.fixture
def coded_project(notes_project: Path) -> Path:
    """The uncoded notes with three codings on karmoy-01, two of them overlapping."""
    db = open_project(notes_project)
    try:
        sentences = segments_of(db, KARMOY, "sentence")
        first, second, third = sentences[2], sentences[3], sentences[4]
        apply_coding(db, KARMOY, first.start, second.end, "rop", CODER, memo="to ROP-tjenester")
        apply_coding(db, KARMOY, second.start, third.end, "organisering", CODER)
        apply_coding(db, KARMOY, sentences[8].start, sentences[8].end, "bolig", CODER)
    finally:
        db.close()
    return notes_project


@pytest.fixture
def linked_project(coded_project: Path) -> Path:
    """The coded notes with passages from two sites linked to indicator 77."""
    from kasus.evidence.links import link_coding

    db = open_project(coded_project)
    try:
        bolig = next(c for c in list_codings(db, coder=CODER) if c.code_id == "bolig")
        rop = next(c for c in list_codings(db, coder=CODER) if c.code_id == "rop")
        link_coding(db, bolig.id, 77, "contradicts", CODER, note="venteliste på bolig")
        link_coding(db, rop.id, 77, "explains", CODER)
        sentence = segments_of(db, "tromso-02", "sentence")[5]
        other = apply_coding(db, "tromso-02", sentence.start, sentence.end, "bolig", CODER)
        link_coding(db, other.id, 77, "supports", CODER, note="nok boliger")
    finally:
        db.close()
    return coded_project


@pytest.fixture
def make_app() -> Callable[..., KasusApp]:
    """Build the app the way the CLI does, for the fixed test coder and a fixed theme."""

    def make(project: Path, theme: str = "textual-dark") -> KasusApp:
        return KasusApp(project, CODER, theme=theme)

    return make


SUMMARY_KARMOY_ROP = ("Samlokalisert rus- og psykisk helsetjeneste siden 2015; brukerne "
                      "sendes ikke lenger fram og tilbake.\n"
                      "Ingen FACT-team: virksomheten dekker det selv.")


@pytest.fixture
def synthesis_project(demo_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo with a fixed clock for what synthesis saves, two cell summaries (one
    reviewed), and a goal-4 judgement citing an indicator and two codings, one since removed."""
    import kasus.synthesis.grounds as grounds
    import kasus.synthesis.judgements as judgements
    import kasus.synthesis.summaries as summaries
    from kasus.coding.codings import remove_coding
    from kasus.synthesis import cite, save_judgement, save_summary

    for module in (grounds, judgements, summaries):
        monkeypatch.setattr(module, "now", lambda: "2026-11-30T09:15:00.000+00:00")
    db = open_project(demo_project)
    try:
        save_summary(db, "karmoy", "rop", "demo-a", SUMMARY_KARMOY_ROP)
        save_summary(db, "karmoy", "hm4", "demo-a",
                     "Mange i arbeid via IPS; bolig er flaskehalsen.")
        save_summary(db, "karmoy", "hm4", "demo-b", status="reviewed")
        save_judgement(db, 4, "demo-a", "relativt høy",
                       "Relativt høy på individnivå, lav på tjeneste- og systemnivå.")
        cite(db, 4, "indicator:77", "demo-a")
        bolig = [c for c in list_codings(db) if c.code_id == "bolig"]
        cite(db, 4, f"coding:{bolig[0].id}", "demo-a")
        cite(db, 4, f"coding:{bolig[-1].id}", "demo-a", note="venteliste på bolig")
        cite(db, 4, "cell:karmoy/hm4", "demo-a")
        remove_coding(db, bolig[0].id, bolig[0].coder)
    finally:
        db.close()
    return demo_project
