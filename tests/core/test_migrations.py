"""Every kept project file of an earlier schema opens migrated to the current head, with all its
codings, memos, links and review decisions intact and `kasus check` clean.

Fixtures are tests/fixtures/project-<schema step>.db (v1 is the first schema), each beside the
snapshot of what it held when built (scripts/make_project_fixture.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kasus.safety import check_project
from kasus.store import open_project
from kasus.store.schema import MIGRATIONS, SCHEMA_STEPS
from tests.project_snapshot import snapshot

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KEPT = sorted(FIXTURES.glob("project-*.db"))


def test_fixtures_are_kept_for_the_current_schema_head() -> None:
    heads = {path.stem.removeprefix("project-") for path in KEPT}
    assert SCHEMA_STEPS[-1] in heads, (
        f"no fixture at schema step {SCHEMA_STEPS[-1]}: run "
        "`PYTHONPATH=. python scripts/make_project_fixture.py` and commit its two files")
    assert "v1" in heads


@pytest.mark.parametrize("fixture", KEPT, ids=[path.stem for path in KEPT])
def test_a_kept_project_migrates_to_the_head_with_nothing_lost(
        fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    db = open_project(path)
    try:
        assert [step.name for step in MIGRATIONS.applied(db)] == SCHEMA_STEPS
        assert not MIGRATIONS.pending(db)
        assert check_project(db) == []
        manifest = fixture.with_suffix(".json")
        if manifest.exists():
            _assert_intact(json.loads(manifest.read_text(encoding="utf-8")), snapshot(db))
    finally:
        db.close()
    reopened = open_project(path)  # a second open migrates nothing more and changes nothing
    try:
        assert [step.name for step in MIGRATIONS.applied(reopened)] == SCHEMA_STEPS
    finally:
        reopened.close()


def _assert_intact(before: dict[str, list[dict[str, object]]],
                   after: dict[str, list[dict[str, object]]]) -> None:
    for table, rows in before.items():
        if table == "audit_actions":  # a migration may add to the log, never take from it
            counts = {row["action"]: row["n"] for row in after[table]}
            assert all(counts.get(str(row["action"]), 0) >= row["n"]  # type: ignore[operator]
                       for row in rows), table
        elif table == "project":  # and may add project settings
            assert all(row in after[table] for row in rows), table
        else:
            assert after[table] == rows, table


def test_the_snapshot_sees_a_lost_value(tmp_path: Path) -> None:
    # The comparison above must catch a migration that drops or changes data.
    head = FIXTURES / f"project-{SCHEMA_STEPS[-1]}.db"
    if not head.exists():
        pytest.skip("no fixture at the head yet")
    path = tmp_path / "p.db"
    shutil.copy(head, path)
    db = open_project(path)
    db.execute("UPDATE codings SET memo = '' WHERE memo != ''")
    db.execute("UPDATE review_decisions SET comment = 'x'")
    before = json.loads(head.with_suffix(".json").read_text(encoding="utf-8"))
    with pytest.raises(AssertionError, match="codings"):
        _assert_intact(before, snapshot(db))
    db.close()
