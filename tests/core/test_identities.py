"""Stable identities: GUIDs, coders, units per document version, upserted indicator values,
and the migration of a version-1 project file kept as a fixture."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from sqlite_utils import Database

from kasus.coding.codings import apply_coding, list_codings
from kasus.documents import segments_of
from kasus.evidence.indicators import load_indicators, sync_indicators
from kasus.importing.importer import run_import
from kasus.project import DEFAULT_INDICATORS
from kasus.safety import check_project
from kasus.search import search
from kasus.store import open_project
from kasus.store.schema import MIGRATIONS, code_guid

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOTE = "---\nsite: Karmøy\nrole: leder\n---\nFørste avsnitt om bolig.\n\nAndre avsnitt om ROP.\n"


def test_a_version_1_project_opens_migrated_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "project-v1.db", path)
    db = open_project(path)
    assert [m.name for m in MIGRATIONS.applied(db)][1:] == [
        "m002_stable_identities", "m003_review_decisions", "m004_lemma_readings",
        "m005_indicator_direction", "m006_synthesis", "m007_word_forms",
        "m008_sentence_ranges", "m009_documents_by_hash"]
    # The lemma column is indexed anew: the noun 'bruker' finds 'brukerne' in an old project.
    hits = search(db, "bruker", lemma=True)
    assert any(" brukerne " in f" {hit.snippet.lower()} " for hit in hits)
    codings = list_codings(db)
    assert [(c.code_id, c.coder, c.memo) for c in codings] == [
        ("recovery", "bo", ""), ("hm4.arbeid", "ah", "IPS mangler")]
    assert db.table("codings").count == 3  # the removed one is kept too
    for table in ("codes", "documents", "codings"):
        guids = [row["guid"] for row in db.table(table).rows]
        assert all(guids) and len(set(guids)) == len(guids), table
    assert {row["name"] for row in db.table("coders").rows} == {"ah", "bo"}
    assert db.execute("SELECT value FROM project WHERE key = 'uuid'").fetchone()[0]
    identities = [row["identity"] for row in db.table("documents").rows]
    assert all(not identity.startswith("path:") for identity in identities)
    assert segments_of(db, "karmoy-01", "paragraph")
    assert check_project(db) == []


def test_code_and_coder_guids_are_the_same_in_every_project(db: Database,
                                                           tmp_path: Path) -> None:
    assert db.table("codes").get("rop")["guid"] == code_guid("rop")
    assert str(uuid.UUID(code_guid("rop"))) == code_guid("rop")
    note = tmp_path / "k.md"
    note.write_text(NOTE, encoding="utf-8")
    run_import(db, [note], "tester")
    coding = apply_coding(db, "karmoy-k", 4, 20, "bolig", "anna")
    row = db.table("codings").get(coding.id)
    assert row["guid"] and row["guid"] != db.table("documents").get("karmoy-k")["guid"]
    assert "anna" in {r["name"] for r in db.table("coders").rows}


def test_units_of_earlier_versions_are_kept_and_only_the_current_is_searched(
        db: Database, tmp_path: Path) -> None:
    note = tmp_path / "k.md"
    note.write_text(NOTE, encoding="utf-8")
    run_import(db, [note], "tester")
    note.write_text(NOTE.replace("Andre", "Et nytt avsnitt.\n\nAndre"), encoding="utf-8")
    run_import(db, [note], "tester")
    assert len(segments_of(db, "karmoy-k", "paragraph", version=1)) == 2
    assert len(segments_of(db, "karmoy-k", "paragraph")) == 3  # version 2, the current
    fts = db.execute("SELECT count(*) FROM segments_fts").fetchone()[0]
    assert fts == len(segments_of(db, "karmoy-k", "sentence"))


def test_moving_the_corpus_folder_changes_no_identity(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "a" / "karmoy"
    first.mkdir(parents=True)
    (first / "k.md").write_text(NOTE, encoding="utf-8")
    run_import(db, [tmp_path / "a"], "tester")
    moved = tmp_path / "b"
    shutil.move(tmp_path / "a", moved)
    (moved / "karmoy" / "k.md").write_text(NOTE + "\nEt tillegg.\n", encoding="utf-8")
    report = run_import(db, [moved], "tester")
    assert [r.status for r in report.results] == ["new version"]
    assert db.table("documents").count == 1


def test_a_doubled_site_prefix_is_not_repeated_in_the_id(db: Database, tmp_path: Path) -> None:
    note = tmp_path / "karmoy-05-bruker.md"
    note.write_text(NOTE, encoding="utf-8")
    report = run_import(db, [note], "tester")
    assert report.results[0].document_id == "karmoy-05-bruker"


def test_indicator_values_keep_their_row_ids_on_a_resync(db: Database) -> None:
    before = {row["id"]: (row["indicator_id"], row["year"], row["value"])
              for row in db.table("indicator_values").rows}
    sync_indicators(db, load_indicators(DEFAULT_INDICATORS))
    after = {row["id"]: (row["indicator_id"], row["year"], row["value"])
             for row in db.table("indicator_values").rows}
    assert after == before
    conflicting = list(db.table("indicator_values").rows_where(
        "indicator_id = 32 AND year = 2020 AND kind = 'level'"))
    assert sorted(row["seq"] for row in conflicting) == [0, 1]
