"""Pseudonymising notes: on import, and in stored notes with every coding kept anchored.

Names from the project's names list and identifiers found by pattern (phone numbers, e-mail
addresses, fødselsnumre) become stable placeholders ([PERSON-3], [TLF-1]); the key to read
them back lives beside the project (kasus.corpus.keyfile), never in it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.coding.codings import drop_redo
from kasus.corpus.keyfile import Key, load_key, locked_key
from kasus.corpus.leftovers import Leftover, LeftoverScan, known_words
from kasus.corpus.names import load_names
from kasus.corpus.replacing import OffsetMap, Pseudonymiser, Replacement, apply
from kasus.corpus.scrubbing import (
    memos_to_replace,
    replace_in_memos,
    scrub_audit,
    scrub_earlier_versions,
)
from kasus.documents import (
    SegmentedText,
    add_version,
    get_document,
    prepare_text,
    require_document,
)
from kasus.errors import KasusError
from kasus.model import Document
from kasus.store import transaction

# Document fields besides the text that may hold a name.
NAMED_FIELDS = ("title", "informant", "interviewer")
# The project-table key that marks a project pseudonymised (its value: since when).
FLAG = "pseudonymised"


@dataclass(frozen=True)
class Change:
    """One replacement as the user is shown it: where, what, and with what."""

    document_id: str
    line: int
    original: str
    placeholder: str


@dataclass
class DocumentResult:
    """What pseudonymising did to one document."""

    document_id: str
    replacements: int
    codings: int = 0  # codings whose span or quote changed with the text
    memos: int = 0  # coding memos with a name or identifier replaced
    version: int | None = None  # the version made; None on a dry run or with nothing to do


@dataclass
class PseudonymiseReport:
    dry_run: bool
    key_path: Path
    names: int  # people and places the key knows
    new_names: int
    documents: list[DocumentResult] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)


def project_file(db: Database) -> Path:
    """The file a connection has open: the key folder sits beside it."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise KasusError("the project is not a file", "pseudonymise a project opened from disk")


def _lines(text: str) -> Callable[[int], int]:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return lambda offset: bisect_right(starts, offset)


def changes_in(document_id: str, text: str, replacements: list[Replacement]) -> list[Change]:
    """The replacements of one text as document, line, original and placeholder."""
    line = _lines(text)
    return [Change(document_id, line(r.start), r.original, r.placeholder)
            for r in replacements]


def pseudonymise_documents(db: Database, actor: str, document_ids: Iterable[str] = (),
                           names_file: str | Path | None = None,
                           dry_run: bool = False) -> PseudonymiseReport:
    """Replace names and identifiers in stored notes (all of them when no id is given).

    A dry run reports what would be replaced and writes nothing, not even the key. Otherwise
    each changed note gets a new version in one transaction: its codings are moved exactly
    with the text, their quotes updated, earlier versions and the audit trail of those notes
    rewritten too, so no name stays in the project.
    """
    project = project_file(db)
    names = load_names(names_file) if names_file else []
    ids = list(dict.fromkeys(document_ids)) or [
        row[0] for row in db.execute("SELECT id FROM documents ORDER BY id")]
    for document_id in ids:
        require_document(db, document_id)
    key = require_key(db, load_key(project))
    if dry_run:
        return _run(db, key, key.add_names(names), ids, actor, dry_run=True)
    with locked_key(project) as key:
        return _run(db, key, key.add_names(names), ids, actor, dry_run=False)


def is_pseudonymised(db: Database) -> bool:
    """Whether names were ever replaced in this project (its later imports are, too)."""
    return db.execute("SELECT 1 FROM project WHERE key = ?", [FLAG]).fetchone() is not None


def _mark_pseudonymised(db: Database, actor: str) -> None:
    inserted = db.execute("INSERT OR IGNORE INTO project (key, value) VALUES (?, ?)",
                          [FLAG, now()]).rowcount
    if inserted:
        record(db, actor, "project.pseudonymised", "project", FLAG)


def require_key(db: Database, key: Key) -> Key:
    """Refuse to number placeholders afresh in a pseudonymised project whose key is gone:
    a new [PERSON-1] would be someone else than the one in the notes."""
    if is_pseudonymised(db) and not key.path.exists():
        raise KasusError(f"the project is pseudonymised but its key {key.path} is missing",
                         "put the key folder back beside the project (from your backup); "
                         "new placeholders would clash with those in the notes")
    return key


@dataclass
class _Plan:
    document: Document
    replacements: list[Replacement]
    prepared: SegmentedText


def _run(db: Database, key: Key, new_names: int, ids: list[str], actor: str,
         dry_run: bool) -> PseudonymiseReport:
    replacer = Pseudonymiser(key)
    report = PseudonymiseReport(dry_run, key.path, len(key.entities), new_names)
    plans = _survey(db, ids, replacer, report, dry_run)
    if not dry_run:
        _write(db, plans, ids, replacer, report, actor)
    return report


def _survey(db: Database, ids: list[str], replacer: Pseudonymiser, report: PseudonymiseReport,
            dry_run: bool) -> list[_Plan]:
    """What each note would have replaced, into the report; the plans to carry it out."""
    scan = LeftoverScan(known_words(db))
    plans: list[_Plan] = []
    for document_id in ids:
        document = get_document(db, document_id)
        found = replacer.replacements(document.text)
        report.changes += changes_in(document_id, document.text, found)
        memos = memos_to_replace(db, document_id, replacer)
        report.documents.append(DocumentResult(document_id, len(found), memos=len(memos)))
        new_text = apply(document.text, found)
        scan.scan(document_id, new_text)
        if found and not dry_run:
            # Segmenting is slow: done before the write lock is taken.
            plans.append(_Plan(document, found, prepare_text(new_text)))
    report.leftovers = scan.found()
    return plans


def _write(db: Database, plans: list[_Plan], ids: list[str], replacer: Pseudonymiser,
           report: PseudonymiseReport, actor: str) -> None:
    results = {result.document_id: result for result in report.documents}
    # Overwritten text must not linger in free pages or in the search index's old segments,
    # or the names could be read back from a shared project file.
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        with transaction(db):
            for plan in plans:
                result = results[plan.document.id]
                result.version, result.codings = _store(db, plan, replacer, actor)
            changed = len(plans)
            for document_id in ids:
                changed += replace_in_memos(db, document_id, replacer, actor)
                changed += scrub_earlier_versions(db, document_id, replacer)
                scrub_audit(db, document_id, replacer)
            if changed:
                _record_run(db, plans, report, actor)
            # Asked for once, it holds for the notes still to come, even if none changed now.
            _mark_pseudonymised(db, actor)
            # The key is on disk before the notes that need it are committed.
            replacer.key.save()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure)}")


def _record_run(db: Database, plans: list[_Plan], report: PseudonymiseReport,
                actor: str) -> None:
    # Like any new action it ends the actor's redo chain, whose spans are of the old text;
    # other coders' undo finds the codings changed since, and refuses. The entry itself is
    # undoable only to be refused clearly (refuse_undo), not skipped silently.
    drop_redo(db, actor)
    record(db, actor, "document.pseudonymise", "pseudonymisation", now(),
           after={"documents": {p.document.id: len(p.replacements) for p in plans},
                  "placeholders": dict(Counter(c.placeholder for c in report.changes))},
           undoable=True)
    db.execute("INSERT INTO segments_fts (segments_fts) VALUES ('optimize')")


def _store(db: Database, plan: _Plan, replacer: Pseudonymiser,
           actor: str) -> tuple[int, int]:
    document = plan.document
    current = db.execute("SELECT content_hash FROM documents WHERE id = ?",
                         [document.id]).fetchone()
    if current is None or current[0] != document.content_hash:
        raise KasusError(f"document {document.id} changed while it was being pseudonymised",
                         "run `kasus pseudonymise` again")
    fields = {name: replacer.text(value) if isinstance(value, str) else value
              for name in NAMED_FIELDS if (value := getattr(document, name)) is not None}
    version = add_version(db, document.id, fields, plan.prepared, document.source_path or "")
    moved = _move_codings(db, document.id, plan, version, replacer, actor)
    record(db, actor, "document.version", "document", document.id,
           after={"version": version, "pseudonymised": len(plan.replacements)})
    return version, moved


def _move_codings(db: Database, document_id: str, plan: _Plan, version: int,
                  replacer: Pseudonymiser, actor: str) -> int:
    offsets = OffsetMap(plan.replacements)
    text = plan.prepared.text
    moved = 0
    rows = list(db.table("codings").rows_where("document_id = ?", [document_id], order_by="id"))
    for row in rows:
        after: dict[str, Any]
        if row["status"] == "orphaned":
            # An orphan's span means nothing in this text; its quote may still hold a name.
            after = {"quote": replacer.text(row["quote"])}
        else:
            start, end = offsets.start(row["start"]), offsets.end(row["end"])
            after = {"start": start, "end": end, "quote": text[start:end]}
        db.table("codings").update(row["id"], {**after, "document_version": version,
                                               "updated_at": now()})
        if any(row[k] != v for k, v in after.items()):
            moved += row["removed_at"] is None
        # Every coding gets its entry, moved or not: another coder's undo of an older span
        # change then finds it changed since and refuses, instead of putting back offsets of
        # the old text. The old quote is left out: it is what the names are taken out of.
        record(db, actor, "coding.pseudonymise", "coding", row["id"],
               before={k: row[k] for k in ("start", "end", "document_version")},
               after={**after, "document_version": version})
    return moved


@contextmanager
def import_filter(db: Database, actor: str, pseudonymise: bool = False,
                  names_file: str | Path | None = None) -> Iterator[ImportPseudonymiser | None]:
    """The text filter for an import: pseudonymising when asked, and always in a project
    that is pseudonymised already (it stays so); None otherwise."""
    if not (pseudonymise or names_file or is_pseudonymised(db)):
        yield None
        return
    require_key(db, load_key(project_file(db)))
    with locked_key(project_file(db)) as key:
        replacer = ImportPseudonymiser(key, names_file)
        with transaction(db):
            _mark_pseudonymised(db, actor)
        yield replacer


class ImportPseudonymiser:
    """The import's text filter: replaces before the text is stored, the key saved first."""

    def __init__(self, key: Key, names_file: str | Path | None = None) -> None:
        self.new_names = key.add_names(load_names(names_file) if names_file else [])
        key.save()
        self.key = key
        self._replacer = Pseudonymiser(key)
        self.replaced = 0

    def __call__(self, text: str) -> str:
        found = self._replacer.replacements(text)
        self.replaced += len(found)
        self.key.save()
        return apply(text, found)


def leftovers_in(db: Database, document_ids: Iterable[str]) -> list[Leftover]:
    """Likely names left in these documents."""
    scan = LeftoverScan(known_words(db))
    for document_id in dict.fromkeys(document_ids):
        scan.scan(document_id, get_document(db, document_id).text)
    return scan.found()


def refuse_undo(db: Database, entry: dict[str, Any], forward: bool) -> str:
    """Undo's answer to a pseudonymisation: no, and why (history.REVERTERS)."""
    raise KasusError(
        f"audit entry {entry['id']} (pseudonymisation) cannot be undone: the names are no "
        "longer in the project",
        "the originals are in the key beside the project; your earlier changes stay as they are")
