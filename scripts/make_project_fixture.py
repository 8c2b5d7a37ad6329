"""Build a project fixture at the current schema head, for the migration tests.

Usage: PYTHONPATH=. python scripts/make_project_fixture.py [OUT_FOLDER]   (default tests/fixtures)

It writes project-<head>.db (named for the last schema step, e.g. project-m005_indicator_
direction.db) and project-<head>.json, the snapshot of what the project holds
(tests/project_snapshot.py). Build one whenever a schema step is added, *before* adding the
next: tests/core/test_migrations.py then opens every kept fixture with the current kasus and
checks it reaches the head with everything in its snapshot intact and `kasus check` clean.

What the project holds, all made through the core API as a user would: three notes at two
sites (one re-imported with edits, so version 2, with moved and orphaned codings), codings by
two coders with memos, one removed, one merged from a third coder's project, evidence links
(one removed), project, site, document and code memos (no command writes these yet; raw SQL),
a review session with accepted, rejected and a superseded decision, and an undone change.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

from sqlite_utils import Database

from kasus.audit import now
from kasus.coding.codings import apply_coding, remove_coding, set_memo
from kasus.coding.history import undo
from kasus.documents import segments_of
from kasus.evidence.links import link_coding, unlink
from kasus.importing.importer import run_import
from kasus.project import init_project
from kasus.review.decisions import decide, list_disagreements, open_session
from kasus.review.merge import merge_project
from kasus.store.schema import SCHEMA_STEPS, new_guid
from tests.project_snapshot import snapshot

NOTES = {
    "karmoy/leder.md": ("---\nsite: Karmøy\nrole: leder\ndate: 2019-10-14\n---\n"
                        "Kommunen har for få boliger til brukerne med ROP-lidelser. "
                        "Ventelisten er lang.\n\nROP-teamet samarbeider godt med DPS. "
                        "Brukerne får tettere oppfølging.\n\nNAV følger opp arbeid og "
                        "aktivitet for dem som vil.\n"),
    "karmoy/nav.md": ("---\nsite: Karmøy\nrole: nav\n---\nIPS er ikke på plass ennå. "
                      "Mange brukere står langt fra arbeidslivet.\n\nPårørende ønsker mer "
                      "informasjon fra tjenestene.\n"),
    "horten/bruker.md": ("---\nsite: Horten\nrole: bruker\n---\nBrukerrådet blir hørt i "
                         "planarbeidet. Det gir en følelse av medvirkning.\n\nHousing first "
                         "har gitt flere en stabil bolig.\n"),
}
EDITED = NOTES["karmoy/leder.md"].replace(
    "Ventelisten er lang.", "Ventelisten er blitt kortere i år.").replace(
    "NAV følger opp arbeid og aktivitet for dem som vil.", "Aktivitetstilbudet er nytt.")


def write_notes(folder: Path, notes: dict[str, str]) -> Path:
    for name, text in notes.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def code_sentence(db: Database, document: str, index: int, code: str, coder: str,
                  memo: str = "") -> int:
    sentence = segments_of(db, document, "sentence")[index]
    return apply_coding(db, document, sentence.start, sentence.end, code, coder, memo=memo).id


def add_memos(db: Database) -> None:
    for kind, target, text in (("project", "", "Runde 2019: seks kommuner."),
                               ("site", "karmoy", "Karmøy har eget ROP-team."),
                               ("document", "karmoy-leder", "Intervjuet ble avbrutt."),
                               ("code", "bolig", "Skill mellom bolig og botilbud.")):
        db.execute("INSERT INTO memos (target_kind, target_id, author, text, created_at, "
                   "updated_at, guid) VALUES (?, ?, 'anna', ?, ?, ?, ?)",
                   [kind, target, text, now(), now(), new_guid()])
    db.conn.commit()


def build(out_folder: Path) -> Path:
    head = SCHEMA_STEPS[-1]
    target = out_folder / f"project-{head}.db"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        notes = write_notes(work / "notes", NOTES)
        db = init_project(work / "study.db", "anna")
        run_import(db, [notes], "anna")
        bolig = code_sentence(db, "karmoy-leder", 0, "bolig", "anna", "for få boliger")
        code_sentence(db, "karmoy-leder", 1, "bolig", "anna")  # fuzzy after the edit below
        code_sentence(db, "karmoy-leder", 4, "hm4.arbeid", "anna")  # orphaned by it
        rop = code_sentence(db, "karmoy-leder", 2, "rop", "anna")
        code_sentence(db, "karmoy-leder", 2, "rop", "bo")
        code_sentence(db, "karmoy-leder", 0, "hm4.arbeid", "bo", "uenig: bolig")
        gone = code_sentence(db, "horten-bruker", 0, "hm1", "anna")
        remove_coding(db, gone, "anna")
        set_memo(db, rop, "ROP-team med DPS", "anna")
        link_coding(db, bolig, 77, "contradicts", "anna", note="venteliste")
        removed_link = link_coding(db, rop, 77, "explains", "anna")
        unlink(db, removed_link.id, "anna")
        code_sentence(db, "karmoy-nav", 0, "hm4.arbeid", "anna")
        undo(db, "anna")  # the last coding, undone: kept, removed
        add_memos(db)
        session = open_session(db, ("anna", "bo"), "sentence", 0.5, "cato")
        first, second = list_disagreements(db, session)[:2]
        decide(db, session, first, "accept", "enig etter samtale", "cato")
        decide(db, session, second, "reject", "ikke dekket av teksten", "cato")
        decide(db, session, list_disagreements(db, session)[1], "accept", "likevel dekket",
               "cato")  # supersedes the rejection
        other = init_project(work / "dag.db", "dag")
        run_import(other, [notes], "dag")
        code_sentence(other, "horten-bruker", 1, "bolig", "dag", "Housing first")
        other.close()
        merge_project(db, work / "dag.db", "anna")
        write_notes(notes, {"karmoy/leder.md": EDITED})
        run_import(db, [notes], "anna")
        db.close()
        target.unlink(missing_ok=True)
        # A compact single file, no -wal beside it: VACUUM INTO writes a fresh copy.
        conn = sqlite3.connect(work / "study.db")
        conn.execute("VACUUM INTO ?", [str(target)])
        conn.close()
    db = Database(sqlite3.connect(target))
    data = snapshot(db)
    db.close()
    target.with_suffix(".json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("tests/fixtures")
    print(build(folder))
