"""Code from a file: CSV or JSONL rows of document, span or quote, code, coder and memo.

Every row is checked before anything is stored, and a file is stored in one transaction, so a
bad row leaves the project as it was (unless the caller skips bad rows). A row that repeats a
coding already there is folded into it, which makes loading the same file twice harmless.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.coding.codings import drop_redo, existing_coding, get_coding, insert_coding
from kasus.config import validate_coder
from kasus.errors import KasusError
from kasus.store import transaction

FIELDS = ("document", "start", "end", "quote", "occurrence", "code", "coder", "memo")
MAX_BATCH_BYTES = 50_000_000


@dataclass(frozen=True)
class BatchCoding:
    """One checked row, ready to store."""

    line: int
    document_id: str
    version: int
    start: int
    end: int
    quote: str
    code_id: str
    coder: str
    memo: str


@dataclass
class BatchReport:
    """What a batch file did: codings added, rows already coded, rows refused."""

    path: str
    added: list[int] = field(default_factory=list)
    already_there: int = 0
    bad: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The file's rows with their line numbers; .csv by header, anything else as JSON lines."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KasusError(f"{path}: cannot read ({error.strerror})") from None
    if len(data) > MAX_BATCH_BYTES:
        raise KasusError(f"{path}: larger than {MAX_BATCH_BYTES // 1_000_000} MB",
                         "split the file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise KasusError(f"{path}: not UTF-8 (byte {error.start})", "save it as UTF-8") from None
    if path.suffix.lower() == ".csv":
        return _csv_rows(path, text)
    return _jsonl_rows(path, text)


def _csv_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    unknown = [name for name in header if name not in FIELDS]
    if unknown or "document" not in header or "code" not in header:
        raise KasusError(f"{path}:1: header needs document and code, and only "
                         f"{', '.join(FIELDS)} (found {', '.join(header) or 'nothing'})")
    try:
        return [(reader.line_num, {k: v for k, v in row.items() if v not in (None, "")})
                for row in reader]
    except csv.Error as error:
        raise KasusError(f"{path}:{reader.line_num}: not valid CSV ({error})") from None


def _jsonl_rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise KasusError(f"{path}:{number}: not a JSON object ({error.msg})",
                             "one JSON object per line") from None
        if not isinstance(row, dict):
            raise KasusError(f"{path}:{number}: not a JSON object", "one JSON object per line")
        unknown = sorted(set(row) - set(FIELDS))
        if unknown:
            raise KasusError(f"{path}:{number}: unknown field {unknown[0]!r}",
                             f"use {', '.join(FIELDS)}")
        rows.append((number, row))
    return rows


class _Texts:
    """Documents' current texts and code states, read once per batch."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.documents: dict[str, tuple[str, int] | None] = {}
        self.codes = {row[0]: row[1] for row in db.execute("SELECT id, status FROM codes")}

    def document(self, document_id: str) -> tuple[str, int] | None:
        if document_id not in self.documents:
            row = self.db.execute("SELECT text, version FROM documents WHERE id = ?",
                                  [document_id]).fetchone()
            self.documents[document_id] = None if row is None else (row[0], row[1])
        return self.documents[document_id]


def _integer(row: dict[str, Any], key: str) -> int | None:
    value = row.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} {value!r} is not a whole number") from None


def _span(text: str, row: dict[str, Any]) -> tuple[int, int]:
    start, end = _integer(row, "start"), _integer(row, "end")
    quote = row.get("quote")
    if start is not None and end is not None:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}–{end} is outside the text (0–{len(text)})")
        if quote is not None and text[start:end] != quote:
            raise ValueError(f"the text at {start}–{end} is not the quote given")
        return start, end
    if not isinstance(quote, str) or not quote.strip():
        raise ValueError("give start and end, or a quote")
    return _find_quote(text, quote, _integer(row, "occurrence"), start)


def _find_quote(text: str, quote: str, occurrence: int | None,
                near: int | None) -> tuple[int, int]:
    positions, at = [], text.find(quote)
    while at >= 0:
        positions.append(at)
        at = text.find(quote, at + 1)
    if not positions:
        shown = quote if len(quote) <= 40 else quote[:39] + "…"
        raise ValueError(f"quote «{shown}» not found in the text")
    if occurrence is not None:
        if not 1 <= occurrence <= len(positions):
            raise ValueError(f"occurrence {occurrence}, but the quote occurs "
                             f"{len(positions)} time(s)")
        start = positions[occurrence - 1]
    elif near is not None:
        start = min(positions, key=lambda p: abs(p - near))
    elif len(positions) > 1:
        raise ValueError(f"the quote occurs {len(positions)} times: add occurrence (1-based) "
                         "or start")
    else:
        start = positions[0]
    return start, start + len(quote)


def _check(texts: _Texts, line: int, row: dict[str, Any], default_coder: str) -> BatchCoding:
    document_id = str(row.get("document") or "")
    code_id = str(row.get("code") or "")
    found = texts.document(document_id)
    if found is None:
        raise ValueError(f"no document {document_id!r}")
    status = texts.codes.get(code_id)
    if status is None:
        raise ValueError(f"no code {code_id!r}")
    if status != "active":
        raise ValueError(f"code {code_id!r} is retired")
    text, version = found
    start, end = _span(text, row)
    if not text[start:end].strip():
        raise ValueError(f"span {start}–{end} holds only whitespace")
    try:
        coder = validate_coder(str(row.get("coder") or default_coder).strip())
    except KasusError as error:
        raise ValueError(error.message) from None
    return BatchCoding(line, document_id, version, start, end, text[start:end], code_id, coder,
                       str(row.get("memo") or ""))


def check_batch(db: Database, path: Path,
                default_coder: str) -> tuple[list[BatchCoding], list[str]]:
    """Every row checked against the project: the good ones, and one line per bad one."""
    texts = _Texts(db)
    good, bad = [], []
    for line, row in read_rows(path):
        try:
            good.append(_check(texts, line, row, default_coder))
        except ValueError as error:
            bad.append(f"{path}:{line}: {error}")
    return good, bad


def apply_batch(db: Database, path: str | Path, actor: str, skip_bad: bool = False,
                origin: str = "manual") -> BatchReport:
    """Store a batch file's codings in one transaction, one undoable audit entry for all.

    Rows without a coder are coded as the actor. Any bad row refuses the whole file, naming
    it, unless skip_bad (then the bad rows are reported and the rest stored).
    """
    path = Path(path)
    good, bad = check_batch(db, path, actor)
    report = BatchReport(str(path), bad=bad)
    if bad and not skip_bad:
        more = f" (and {len(bad) - 1} more bad row(s))" if len(bad) > 1 else ""
        raise KasusError(f"{bad[0]}{more}; nothing was stored",
                         "fix the rows, or pass --skip-bad to store the good ones")
    with transaction(db):
        for coding in good:
            if existing_coding(db, coding.document_id, coding.start, coding.end,
                               coding.code_id, coding.coder) is not None:
                report.already_there += 1
                continue
            report.added.append(insert_coding(db, {
                "document_id": coding.document_id, "code_id": coding.code_id,
                "start": coding.start, "end": coding.end, "quote": coding.quote,
                "coder": coding.coder, "memo": coding.memo, "origin": origin,
                "document_version": coding.version,
            }))
        report.coders = sorted({c.coder for c in good})
        if report.added:
            drop_redo(db, actor)
            record(db, actor, "coding.batch", "coding_batch", str(path),
                   after={"ids": report.added, "file": str(path), "bad": len(bad)},
                   undoable=True)
    return report


def revert_batch(db: Database, entry: dict[str, Any], forward: bool) -> str:
    """Undo (remove every coding the batch added) or redo (bring them back)."""
    ids = json.loads(entry["after"])["ids"]
    stamp = now()
    for coding_id in ids:
        db.table("codings").update(coding_id, {"removed_at": None if forward else stamp,
                                               "updated_at": stamp})
    first = get_coding(db, ids[0], include_removed=True)
    return (f"{'restored' if forward else 'removed'} the {len(ids)} codings of "
            f"{Path(entry['entity_id']).name} (from {first.document_id})")
