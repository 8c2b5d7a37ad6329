"""Crash safety with real processes: kasus killed (SIGKILL) in the middle of an import, a burst
of codings, a merge and a backup leaves a sound project, and four writers lose nothing.

A kill lands mid-work: the test waits for a row count, reported output or the project's write
lock held by the process (a transaction open), never for a guessed time.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kasus.coding.batch import apply_batch
from kasus.project import init_project
from kasus.safety import backup
from kasus.store import open_project

ROOT = Path(__file__).resolve().parent.parent.parent
NOTES = 400
WORDS = ["kommunen", "bolig", "tjenestene", "brukerne", "rusmiddel", "oppfølging", "samarbeid",
         "ansatte", "tilbudet", "behovet", "ventelisten", "NAV-kontoret", "pårørende",
         "fastlegen", "ROP-teamet", "lavterskel", "aktivitet", "arbeid", "nettverk", "DPS"]
# One process per coding would spend its time starting Python: this runs the real CLI entry
# point once per coding in one process, as a script driving `kasus code` would.
CODING_LOOP = r"""
import json, sys
from kasus.cli import main
project, spans, coder = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
for document, start, end, code in spans:
    try:
        main(["--project", project, "--coder", coder, "code", document, str(start), str(end),
              code])
    except SystemExit as exit_:
        print(f"exit {exit_.code}", flush=True)
"""
SAVED = re.compile(r"^coding (\d+): (\S+) on (\S+) (\d+)–(\d+)", re.MULTILINE)


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
           "KASUS_CODER": "tester"}
    env.pop("KASUS_PROJECT", None)
    return env


def kasus(*args: str) -> subprocess.Popen[str]:
    """`python -m kasus ARGS` as its own process."""
    return subprocess.Popen([sys.executable, "-m", "kasus", *args], env=environment(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_kasus(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kasus", *args], env=environment(),
                          capture_output=True, text=True, timeout=600)


def count(path: Path, sql: str, params: tuple[object, ...] = ()) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()


def write_lock_held(path: Path) -> bool:
    """Whether another connection holds the project's write lock (a transaction is open)."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error) or "busy" in str(error), error
        return True
    finally:
        conn.close()


def kill_when(process: subprocess.Popen[str], ready: Callable[[], bool], what: str) -> None:
    """SIGKILL the process as soon as ready() holds; fail if it finished first."""
    if not try_to_kill_when(process, ready):
        pytest.fail(f"kasus finished before {what}: {process.communicate()}")


def try_to_kill_when(process: subprocess.Popen[str], ready: Callable[[], bool]) -> bool:
    """SIGKILL the process as soon as ready() holds; False if it finished first."""
    while not ready():
        try:
            process.wait(timeout=0.001)
        except subprocess.TimeoutExpired:
            continue
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    return True


def assert_sound(path: Path) -> None:
    result = run_kasus("--project", str(path), "check", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def write_notes(folder: Path, notes: int = NOTES) -> Path:
    rng = random.Random(23)
    folder.mkdir()
    for number in range(notes):
        paragraphs = [" ".join(" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "."
                               for _ in range(5)) for _ in range(4)]
        (folder / f"notat-{number:03}.md").write_text(
            f"---\nsite: Karmøy\nrole: leder\n---\nNotat {number}.\n\n" + "\n\n".join(paragraphs)
            + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_notes(tmp_path_factory.mktemp("crash") / "notes")


@pytest.fixture(scope="module")
def imported(notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the notes imported, built once; tests take copies."""
    path = tmp_path_factory.mktemp("crash-master") / "master.db"
    db = init_project(path, actor="tester")
    db.close()
    result = run_kasus("--project", str(path), "import", str(notes), "--json")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def project(imported: Path, tmp_path: Path) -> Path:
    db = open_project(imported)
    out = tmp_path / "study.db"
    backup(db, out)
    db.close()
    return out


def spans(path: Path, how_many: int, offset: int = 0, code: str = "bolig"
          ) -> list[tuple[str, int, int, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute('SELECT document_id, start, "end" FROM segments WHERE kind = '
                        "'sentence' ORDER BY id LIMIT ? OFFSET ?", [how_many, offset]).fetchall()
    conn.close()
    assert len(rows) == how_many
    return [(document, start, end, code) for document, start, end in rows]


def test_an_import_killed_midway_leaves_whole_documents_and_completes_when_rerun(
        notes: Path, tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    init_project(path, actor="tester").close()
    process = kasus("--project", str(path), "import", str(notes), "--json")
    kill_when(process, lambda: count(path, "SELECT count(*) FROM documents") >= 50
              and write_lock_held(path), "50 notes were stored")
    assert_sound(path)  # kasus opens it first; each note has its version, segments and index
    stored = count(path, "SELECT count(*) FROM documents")
    assert 50 <= stored < NOTES
    assert count(path, "SELECT count(*) FROM audit_log WHERE action = 'document.import'") == stored

    rerun = run_kasus("--project", str(path), "import", str(notes), "--json")
    assert rerun.returncode == 0, rerun.stderr
    statuses = [result["status"] for result in json.loads(rerun.stdout)]
    assert statuses.count("unchanged") == stored
    assert statuses.count("added") == NOTES - stored
    assert count(path, "SELECT count(*) FROM documents") == NOTES
    assert count(path, "SELECT count(DISTINCT content_hash) FROM documents") == NOTES
    assert_sound(path)


def test_every_coding_reported_saved_survives_a_kill(project: Path, tmp_path: Path) -> None:
    todo = tmp_path / "spans.json"
    todo.write_text(json.dumps(spans(project, 1000)), encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", CODING_LOOP, str(project), str(todo),
                                "anna"], env=environment(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    reported = []
    for line in process.stdout:  # blocking reads: each line is a coding the CLI said is saved
        reported.append(line)
        if len(reported) == 100:
            break
    kill_when(process, lambda: True, "100 codings were reported")
    reported += process.stdout.readlines()  # what it printed before it died
    saved = SAVED.findall("".join(reported))
    assert len(saved) >= 100 and not [line for line in reported if line.startswith("exit")]
    assert_sound(project)
    conn = sqlite3.connect(project)
    rows = {row[0]: row[1:] for row in conn.execute(
        'SELECT id, code_id, document_id, start, "end", coder FROM codings WHERE removed_at '
        "IS NULL")}
    conn.close()
    for coding_id, code, document, start, end in saved:
        assert rows[int(coding_id)] == (code, document, int(start), int(end), "anna")
    assert len(rows) in (len(saved), len(saved) + 1)  # at most one saved but not yet printed


def test_a_batch_killed_in_its_transaction_stores_nothing_and_reruns_whole(
        project: Path, tmp_path: Path) -> None:
    batch = tmp_path / "codings.jsonl"
    batch.write_text("".join(json.dumps({"document": d, "start": s, "end": e, "code": c,
                                         "coder": "bo"}) + "\n"
                             for d, s, e, c in spans(project, 4000)), encoding="utf-8")
    process = kasus("--project", str(project), "code", "--batch", str(batch))
    kill_when(process, lambda: write_lock_held(project), "the batch's transaction began")
    assert_sound(project)
    assert count(project, "SELECT count(*) FROM codings") == 0
    rerun = run_kasus("--project", str(project), "code", "--batch", str(batch))
    assert rerun.returncode == 0, rerun.stderr
    assert count(project, "SELECT count(*) FROM codings WHERE coder = 'bo'") == 4000


@pytest.fixture
def other_coder(imported: Path, tmp_path: Path) -> Path:
    """Bjørn's own project on the same notes, with 3,000 codings."""
    db = open_project(imported)
    path = tmp_path / "bjorn.db"
    backup(db, path)
    db.close()
    conn = sqlite3.connect(path)  # his own project: a project identity of its own
    conn.execute("UPDATE project SET value = 'bjorns-project' WHERE key = 'uuid'")
    conn.commit()
    conn.close()
    batch = tmp_path / "bjorn.jsonl"
    batch.write_text("".join(json.dumps({"document": d, "start": s, "end": e, "code": c}) + "\n"
                             for d, s, e, c in spans(path, 3000, code="rop")), encoding="utf-8")
    db = open_project(path)
    assert len(apply_batch(db, batch, "bjorn").added) == 3000
    db.close()
    return path


def test_a_merge_killed_midway_brings_nothing_and_reruns_whole(project: Path,
                                                                other_coder: Path) -> None:
    process = kasus("--project", str(project), "merge", str(other_coder), "--json")
    kill_when(process, lambda: write_lock_held(project), "the merge's transaction began")
    assert_sound(project)
    assert count(project, "SELECT count(*) FROM codings") == 0
    rerun = run_kasus("--project", str(project), "merge", str(other_coder), "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["codings_added"] == 3000
    assert count(project, "SELECT count(*) FROM codings WHERE coder = 'bjorn'") == 3000
    again = run_kasus("--project", str(project), "merge", str(other_coder), "--json")
    assert json.loads(again.stdout)["codings_added"] == 0
    assert_sound(project)


@pytest.fixture
def big_project(project: Path) -> Path:
    """The project with 25 MB of memos, so that a backup takes a while to copy."""
    conn = sqlite3.connect(project)
    text = "Notat fra gruppeintervju om ventelister og boliger. " * 200
    conn.executemany("INSERT INTO memos (target_kind, target_id, author, text, created_at, "
                     "updated_at, guid) VALUES ('project', '', 'tester', ?, 'now', 'now', ?)",
                     [(f"{number}: {text}", f"memo-{number}") for number in range(2500)])
    conn.commit()
    conn.close()
    return project


def test_a_backup_killed_midway_leaves_no_file_that_looks_like_a_backup(
        big_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "backups" / "study-backup.db"
    out.parent.mkdir()

    def copying() -> bool:
        return any(path.stat().st_size > 0 for path in out.parent.iterdir())

    # The copy takes a fraction of a second: on a busy machine a try may miss it.
    for _ in range(5):
        process = kasus("--project", str(big_project), "backup", str(out))
        if try_to_kill_when(process, copying):
            break
        out.unlink()
    else:
        pytest.fail("every backup finished before it could be killed")
    assert not out.exists()
    assert_sound(big_project)
    rerun = run_kasus("--project", str(big_project), "backup", str(out))
    assert rerun.returncode == 0, rerun.stderr
    assert [path.name for path in out.parent.iterdir()] == [out.name]  # nothing left over
    assert_sound(out)
    for table in ("documents", "memos", "segments"):
        assert count(out, f"SELECT count(*) FROM {table}") == count(
            big_project, f"SELECT count(*) FROM {table}"), table


@pytest.fixture
def four_span_lists(project: Path, tmp_path: Path) -> list[Path]:
    files = []
    for number in range(4):
        file = tmp_path / f"spans-{number}.json"
        file.write_text(json.dumps(spans(project, 500, offset=500 * number)), encoding="utf-8")
        files.append(file)
    return files


def test_four_concurrent_writers_lose_no_coding_and_never_see_a_lock(
        project: Path, four_span_lists: list[Path]) -> None:
    coders = ["anna", "bo", "cato", "dag"]
    processes = [subprocess.Popen([sys.executable, "-c", CODING_LOOP, str(project), str(file),
                                   coder], env=environment(), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for file, coder in zip(four_span_lists, coders, strict=True)]
    outputs = [process.communicate(timeout=900) for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in out + err and "exit" not in out, out[-500:] + err
        assert len(SAVED.findall(out)) == 500
    for coder in coders:
        assert count(project, "SELECT count(*) FROM codings WHERE coder = ?", (coder,)) == 500
    reported = {int(match[0]) for out, _ in outputs for match in SAVED.findall(out)}
    conn = sqlite3.connect(project)
    stored = {row[0] for row in conn.execute("SELECT id FROM codings")}
    conn.close()
    assert reported == stored and len(stored) == 2000
    assert_sound(project)


def test_a_backup_while_others_write_is_a_sound_snapshot(project: Path, tmp_path: Path) -> None:
    todo = tmp_path / "spans.json"
    todo.write_text(json.dumps(spans(project, 300)), encoding="utf-8")
    writer = subprocess.Popen([sys.executable, "-c", CODING_LOOP, str(project), str(todo),
                               "anna"], env=environment(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert writer.stdout is not None
    for number, _ in enumerate(writer.stdout, start=1):
        if number == 30:
            break
    out = tmp_path / "snapshot.db"
    result = run_kasus("--project", str(project), "backup", str(out))
    writer.communicate(timeout=600)
    assert result.returncode == 0, result.stderr
    assert_sound(out)
    in_backup = count(out, "SELECT count(*) FROM codings")
    assert 30 <= in_backup <= 300 == count(project, "SELECT count(*) FROM codings")


def test_a_reimport_of_edited_notes_killed_midway_keeps_every_coding_on_its_text(
        project: Path, notes: Path, tmp_path: Path) -> None:
    batch = tmp_path / "codings.jsonl"
    batch.write_text("".join(json.dumps({"document": d, "start": s, "end": e, "code": c}) + "\n"
                             for d, s, e, c in spans(project, 2000)), encoding="utf-8")
    db = open_project(project)
    assert len(apply_batch(db, batch, "anna").added) == 2000
    db.close()
    edited = tmp_path / "edited"
    edited.mkdir()
    for note in notes.iterdir():  # a new first paragraph moves every coding
        text = note.read_text(encoding="utf-8")
        head, body = text.split("---\n", 2)[1:]
        (edited / note.name).write_text(f"---\n{head}---\nTillegg etter intervjuet.\n\n{body}",
                                        encoding="utf-8")
    process = kasus("--project", str(project), "import", str(edited), "--json")
    kill_when(process, lambda: count(project, "SELECT count(*) FROM documents WHERE "
                                     "version = 2") >= 30 and write_lock_held(project),
              "30 notes had a new version")
    assert_sound(project)  # every live coding's quote is its document's text at its span
    moved = count(project, "SELECT count(*) FROM documents WHERE version = 2")
    assert 30 <= moved < NOTES
    assert count(project, "SELECT count(*) FROM codings c JOIN documents d ON d.id = "
                 "c.document_id WHERE c.document_version != d.version") == 0
    rerun = run_kasus("--project", str(project), "import", str(edited), "--json")
    assert rerun.returncode == 0, rerun.stderr
    statuses = [result["status"] for result in json.loads(rerun.stdout)]
    assert statuses.count("unchanged") == moved
    assert statuses.count("new version") == NOTES - moved
    assert count(project, "SELECT count(*) FROM codings WHERE status = 'anchored'") == 2000
    assert_sound(project)
