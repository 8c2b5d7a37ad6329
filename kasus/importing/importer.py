"""Import files and folders as documents: one transaction per file, a report for all.

A document's identity is its front-matter id, else its site plus its name in the folder. The same
content twice adds nothing; changed content at the same identity becomes a new version, and
its codings are re-anchored (kasus.coding.anchoring), never dropped.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.coding.anchoring import Span, reanchor_all
from kasus.documents import (
    SegmentedText,
    add_version,
    content_hash,
    get_document,
    insert_document,
    prepare_text,
)
from kasus.errors import ImportFileError, KasusError
from kasus.importing.formats import SUPPORTED_SUFFIXES, ExtractedText, extract
from kasus.importing.normalise import normalise_field
from kasus.safe_yaml import YamlProblem, load_yaml
from kasus.sites import find_or_refuse_site, slugify
from kasus.store import transaction

METADATA_CSV = "metadata.csv"
SIDECAR_SUFFIX = ".yaml"
SIDECAR_MAX_BYTES = 1024 * 1024
COLUMNS = ("role", "informant", "date", "interviewer", "round", "title")
TRANSFORMED_FIELDS = ("informant", "interviewer", "title")


@dataclass
class Reanchored:
    """What re-anchoring did to a document's codings on a new version."""

    kept: int = 0
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0  # newly orphaned by this version
    still_orphaned: int = 0  # orphaned before, and this version does not bring them back


@dataclass
class FileResult:
    """The outcome of importing one file."""

    path: str
    status: str  # "added", "new version", "unchanged", "duplicate", "failed", "skipped"
    document_id: str | None = None
    site: str | None = None
    words: int = 0
    reason: str = ""
    reanchored: Reanchored | None = None
    # What the reader repaired (a hard-wrapped text reflowed, footers dropped …), in words.
    repairs: tuple[str, ...] = ()


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)


@dataclass(frozen=True)
class ImportProgress:
    """Yielded after each file, for progress bars in the CLI and the TUI."""

    done: int
    total: int
    result: FileResult


def collect_files(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[FileResult]]:
    """Files to import under the given paths (folders recursively, hidden ones skipped), each
    with its name inside the folder given (a file given alone: its file name). Folders that
    cannot be read and symbolic-link loops come back as problems, one per folder."""
    files: list[tuple[Path, str]] = []
    problems: list[FileResult] = []
    for path in paths:
        if not path.exists():
            problems.append(FileResult(str(path), "failed", reason="no such file or folder"))
        elif path.is_dir():
            files.extend((found, found.relative_to(path).as_posix())
                         for found in _walk(path, problems))
        else:
            files.append((path, path.name))
    return files, problems


def _walk(folder: Path, problems: list[FileResult]) -> Iterator[Path]:
    def unreadable(error: OSError) -> None:
        # os.walk would skip an unreadable folder without a word, and its notes with it.
        problems.append(FileResult(str(error.filename or folder), "failed",
                                   reason=f"cannot read the folder ({error.strerror or error})"))

    walked: dict[str, str] = {}
    # Linked folders are followed (a corpus may link in a shared folder); a link back up the
    # tree, or a second link to a folder already walked, is reported and not walked again.
    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        real = os.path.realpath(root)
        if real in walked:
            problems.append(FileResult(root, "skipped", reason="symbolic link loop: the folder "
                                       f"was already imported as {walked[real]}"))
            dirs[:] = []
            continue
        walked[real] = root
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            # A folder's README describes the notes; it is not one of them.
            if name.startswith(".") or _is_metadata_file(path) or path.stem.upper() == "README":
                continue
            yield path


def _is_metadata_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in (".yaml", ".yml") or path.name == METADATA_CSV


def import_paths(
    db: Database,
    paths: list[Path],
    actor: str,
    site: str | None = None,
    role: str | None = None,
    new_sites: bool = False,
    defaults: dict[str, str] | None = None,
    transform: Callable[[str], str] | None = None,
    workers: int | None = None,
) -> Iterator[ImportProgress]:
    """Import files one by one, yielding progress; a bad file never stops the rest.

    A site the project does not know (a misspelt --site or front matter) fails the file with
    the nearest known sites, unless new_sites allows adding it. site and role override what
    the files say; defaults ({"site": …, "role": …}) fill in only what a file leaves out.
    transform (pseudonymisation) changes each text, and the names in its metadata, before
    anything is stored. workers: processes that read and prepare files (kasus.importing.
    parallel; default: both cores for a large import, 0 for a small one or a transform, which
    keeps state of its own in this process).
    """
    if site:
        find_or_refuse_site(db, site, new_sites)
    files, problems = collect_files(paths)
    total = len(files) + len(problems)
    done = 0
    for problem in problems:
        done += 1
        yield ImportProgress(done, total, problem)
    if workers is None or transform is not None:
        from kasus.importing.parallel import workers_for

        workers = 0 if transform is not None else workers_for(files)
    if workers > 0:
        from kasus.importing.parallel import import_in_workers

        for result in import_in_workers(db, files, actor, site, role, new_sites, defaults,
                                        workers):
            done += 1
            yield ImportProgress(done, total, result)
        return
    csv_cache: dict[Path, dict[str, dict[str, str]]] = {}
    for path, name in files:
        done += 1
        yield ImportProgress(done, total, import_file(db, path, actor, site, role, csv_cache,
                                                      name, new_sites, defaults, transform))


def run_import(db: Database, paths: list[Path], actor: str, site: str | None = None,
               role: str | None = None, new_sites: bool = False) -> ImportReport:
    """Import everything and return the report (no progress)."""
    return ImportReport([step.result for step in
                         import_paths(db, paths, actor, site, role, new_sites)])


def import_file(
    db: Database,
    path: Path,
    actor: str,
    site: str | None = None,
    role: str | None = None,
    csv_cache: dict[Path, dict[str, dict[str, str]]] | None = None,
    name: str | None = None,
    new_sites: bool = False,
    defaults: dict[str, str] | None = None,
    transform: Callable[[str], str] | None = None,
) -> FileResult:
    """Import one file in its own transaction; failures come back as a result, not raised.

    name is the file's path inside the folder being imported (default: its file name); with
    the site it is the document's identity, so moving the corpus folder changes nothing.
    """
    read = read_file(path, name or path.name, site, role, csv_cache, defaults, transform,
                     lambda digest: _known_text(db, digest))
    if isinstance(read, FileResult):
        return read
    try:
        with transaction(db):
            return store_read(db, read, actor, new_sites)
    except KasusError as error:
        return FileResult(str(path), "failed", reason=_reason(error, path))


@dataclass(frozen=True)
class ReadFile:
    """A file read and prepared for storing: what needs no project, done before its write."""

    path: Path
    name: str
    metadata: dict[str, Any]
    prepared: SegmentedText | str  # the bare text when the project has it already
    repairs: tuple[str, ...] = ()


def read_file(path: Path, name: str, site: str | None, role: str | None,
              csv_cache: dict[Path, dict[str, dict[str, str]]] | None,
              defaults: dict[str, str] | None, transform: Callable[[str], str] | None,
              known: Callable[[str], bool]) -> ReadFile | FileResult:
    """Extract, gather metadata, transform and prepare one file (no project needed: worker
    processes run this); a file that cannot be read comes back as its FileResult."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return FileResult(str(path), "skipped",
                          reason=f"unsupported file type '{path.suffix or path.name}'")
    try:
        extracted = extract(path)
        metadata = {**(defaults or {}),
                    **_metadata(path, extracted, site, role,
                                {} if csv_cache is None else csv_cache)}
        if transform is not None:
            extracted = replace(extracted, text=transform(extracted.text))
            metadata.update({k: transform(v) for k, v in metadata.items()
                             if k in TRANSFORMED_FIELDS and isinstance(v, str)})
        # Segmenting is the slow part of an import; text already stored needs none.
        text = extracted.text
        prepared = text if known(content_hash(text)) else prepare_text(text)
        return ReadFile(path, name, metadata, prepared, extracted.repairs)
    except KasusError as error:
        return FileResult(str(path), "failed", reason=_reason(error, path))


def store_read(db: Database, read: ReadFile, actor: str, new_sites: bool) -> FileResult:
    """Store a read file inside the caller's transaction (or savepoint), which a KasusError
    raised here must roll back: the file then fails alone."""
    result = _store(db, read.path, read.name, read.prepared, read.metadata, actor, new_sites)
    result.repairs = read.repairs
    return result


def _known_text(db: Database, digest: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE content_hash = ?",
                      [digest]).fetchone() is not None


def _reason(error: KasusError, path: Path) -> str:
    text = str(error)
    # "PATH: reason" and "PATH:3: reason" name the file the row is about; "PATH.yaml: …" (its
    # sidecar) keeps its own name.
    if text.startswith(f"{path}:"):
        text = text.removeprefix(f"{path}").removeprefix(": ")
    return text


def _metadata(path: Path, extracted: ExtractedText, site: str | None, role: str | None,
              csv_cache: dict[Path, dict[str, dict[str, str]]]) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    metadata.update(_csv_metadata(path, csv_cache))
    metadata.update(_sidecar_metadata(path))
    metadata.update({k: v for k, v in extracted.metadata.items() if v not in (None, "")})
    if site:
        metadata["site"] = site
    if role:
        metadata["role"] = role
    return metadata


def _sidecar_metadata(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        if sidecar.stat().st_size > SIDECAR_MAX_BYTES:
            raise ImportFileError(f"{sidecar}: metadata sidecar larger than 1 MB",
                                  "a sidecar holds a few 'key: value' lines")
        _, data = load_yaml(sidecar.read_text(encoding="utf-8-sig"))
    except YamlProblem as problem:
        where = f"{sidecar}:{problem.line}" if problem.line else f"{sidecar}"
        raise ImportFileError(f"{where}: unreadable metadata sidecar ({problem.problem})",
                              problem.hint) from None
    except (UnicodeDecodeError, OSError) as error:
        raise ImportFileError(f"{sidecar}: unreadable metadata sidecar ({error})") from None
    if not isinstance(data, dict):
        raise ImportFileError(f"{sidecar}: metadata sidecar must be a mapping of key: value")
    return {str(k): v for k, v in data.items()}


def _csv_metadata(path: Path, cache: dict[Path, dict[str, dict[str, str]]]) -> dict[str, str]:
    table = path.parent / METADATA_CSV
    if table not in cache:
        cache[table] = _read_metadata_csv(table) if table.exists() else {}
    return {k: v for k, v in cache[table].get(path.name, {}).items() if v}


def _read_metadata_csv(table: Path) -> dict[str, dict[str, str]]:
    try:
        with table.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"{table}: unreadable metadata table ({error})") from None
    if rows and "file" not in rows[0]:
        raise ImportFileError(f"{table}:1: metadata table needs a 'file' column")
    return {row["file"]: {k: v for k, v in row.items() if k != "file"} for row in rows}


def _identity(metadata: dict[str, Any], site_id: str, name: str) -> str:
    if metadata.get("id"):
        # The site is part of the identity: the same id in two sites is two documents.
        return f"id:{site_id}:{metadata['id']}"
    return f"name:{site_id}:{name}"


def _new_document_id(db: Database, metadata: dict[str, Any], site_id: str, path: Path) -> str:
    stem = slugify(path.stem)
    # karmoy/karmoy-05-bruker.md is karmoy-05-bruker, not karmoy-karmoy-05-bruker.
    named = stem if stem == site_id or stem.startswith(f"{site_id}-") else f"{site_id}-{stem}"
    base = slugify(str(metadata.get("id") or named))
    candidate, number = base, 2
    while db.table("documents").count_where("id = ?", [candidate]):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _columns(metadata: dict[str, Any], site_id: str, path: Path) -> dict[str, Any]:
    row: dict[str, Any] = {"site_id": site_id}
    for key in COLUMNS:
        value = metadata.get(key)
        # Front matter and document properties are outside text too: one clean line each.
        row[key] = normalise_field(str(value)) or None if value not in (None, "") else None
    if row["round"] is not None:
        try:
            row["round"] = int(str(row["round"]))
        except ValueError:
            raise ImportFileError(f"{path}: round {row['round']!r} is not a year") from None
    row["title"] = row["title"] or path.stem
    extra = {normalise_field(str(k)): normalise_field(str(v)) for k, v in metadata.items()
             if k not in (*COLUMNS, "site", "id")}
    row["metadata"] = json.dumps(extra, ensure_ascii=False)
    return row


def _store(db: Database, path: Path, name: str, prepared: SegmentedText | str,
           metadata: dict[str, Any], actor: str, new_sites: bool) -> FileResult:
    site_name = normalise_field(str(metadata.get("site") or ""))
    if not site_name:
        raise ImportFileError(f"{path}: no site given",
                              "pass --site or add 'site:' to the front matter or a sidecar")
    site_id = find_or_refuse_site(db, site_name, new_sites)
    identity = _identity(metadata, site_id, name)
    text = prepared.text if isinstance(prepared, SegmentedText) else prepared
    digest = content_hash(text)
    existing = db.execute("SELECT id, content_hash FROM documents WHERE identity = ?",
                          [identity]).fetchone()
    result = FileResult(str(path), "added", site=site_id, words=0)
    if existing is None:
        duplicate = db.execute("SELECT id FROM documents WHERE content_hash = ?",
                               [digest]).fetchone()
        if duplicate is not None:
            return FileResult(str(path), "duplicate", duplicate[0], site_id,
                              reason=f"same text as document {duplicate[0]}")
        document_id = _new_document_id(db, metadata, site_id, path)
        row = {"id": document_id, "identity": identity, **_columns(metadata, site_id, path)}
        insert_document(db, row, prepared, str(path))
        record(db, actor, "document.import", "document", document_id,
               after={"path": str(path), "hash": digest})
    elif existing[1] == digest:
        return FileResult(str(path), "unchanged", existing[0], site_id)
    else:
        document_id = existing[0]
        result.status = "new version"
        result.reanchored = _new_version(db, document_id, metadata, site_id, path, prepared,
                                         actor)
    result.document_id = document_id
    result.words = (prepared.words if isinstance(prepared, SegmentedText) and prepared.words
                    is not None else get_document(db, document_id).word_count)
    return result


def _new_version(db: Database, document_id: str, metadata: dict[str, Any], site_id: str,
                 path: Path, prepared: SegmentedText | str, actor: str) -> Reanchored:
    old = get_document(db, document_id)
    text = prepared.text if isinstance(prepared, SegmentedText) else prepared
    columns = _columns(metadata, site_id, path)
    version = add_version(db, document_id, columns, prepared, str(path))
    report = Reanchored()
    rows = list(db.table("codings").rows_where("document_id = ?", [document_id], order_by="id"))
    # Orphans are tried again too: a later version may bring their passage back.
    placements = reanchor_all(old.text, text,
                              [Span(row["start"], row["end"], row["quote"]) for row in rows])
    for row, placement in zip(rows, placements, strict=True):
        # Removed codings move along (an undo brings them back in place) but the report
        # counts only the live ones the user sees.
        if row["removed_at"] is None:
            outcome = placement.outcome
            if outcome == "orphaned" and row["status"] == "orphaned":
                outcome = "still_orphaned"
            setattr(report, outcome, getattr(report, outcome) + 1)
        after = {"start": placement.start, "end": placement.end, "quote": placement.quote,
                 "status": placement.status, "anchor_score": placement.score,
                 "document_version": version}
        db.table("codings").update(row["id"], {**after, "updated_at": now()})
        if placement.outcome != "kept":
            before = {k: row[k] for k in ("start", "end", "quote", "status")}
            record(db, actor, f"coding.reanchor.{placement.outcome}", "coding", row["id"],
                   before=before, after=after)
    record(db, actor, "document.version", "document", document_id,
           after={"version": version, "path": str(path), **report.__dict__})
    return report
