"""Bring a REFI-QDA project or codebook into a kasus project, in one transaction, with a
report of what was matched, added, re-anchored and left out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kasus.audit import now, record
from kasus.coding.anchoring import Span, reanchor, reanchor_all
from kasus.coding.codings import drop_redo, insert_coding
from kasus.documents import SegmentedText, content_hash, insert_document, prepare_text
from kasus.errors import KasusError
from kasus.refi.export import EVIDENCE_NOTE
from kasus.refi.identities import derived_guid
from kasus.refi.read import (
    MappedText,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    normalise_with_map,
    read_qdc,
    read_qdpx,
)
from kasus.sites import find_site, slugify
from kasus.store.connect import transaction
from kasus.store.schema import ensure_coder, project_uuid

DEFAULT_COLOUR = "#808080"
# Variable names (any case, English or Norwegian) that fill a document's own columns.
DOCUMENT_COLUMNS = {"document id": "id", "role": "role", "rolle": "role",
                    "informant": "informant", "date": "date", "dato": "date",
                    "interviewer": "interviewer", "intervjuer": "interviewer",
                    "round": "round", "runde": "round"}
SITE_COLUMNS = {"site id": "id", "kind": "kind", "type": "kind", "population": "population",
                "innbyggere": "population", "county": "county", "fylke": "county",
                "region": "region"}
_EVIDENCE = re.compile(r"(supports|contradicts|nuances|explains) indicator (\d+)")
_DESCRIPTION_LINE = re.compile(r"^(English|Include|Exclude): (.*)$", re.DOTALL)


@dataclass
class RefiImportReport:
    """What an import did, for the CLI's table and the TUI alike."""

    path: str
    origin: str
    documents_added: list[str] = field(default_factory=list)
    documents_matched: int = 0
    sources_without_text: list[str] = field(default_factory=list)
    codes_matched: int = 0
    codes_matched_by_name: list[str] = field(default_factory=list)  # "theirs → ours"
    codes_added: list[str] = field(default_factory=list)
    branch: str | None = None
    sites_added: list[str] = field(default_factory=list)
    sites_matched: int = 0
    codings_added: int = 0
    codings_already: int = 0
    codings_moved: int = 0  # placed by their quote, not their positions
    codings_orphaned: list[str] = field(default_factory=list)
    codings_unchecked: int = 0  # placed by position: the name stored with them is no quote
    empty_selections: int = 0
    memos_added: int = 0
    links_added: int = 0
    unsupported: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def import_refi(db: Database, path: str | Path, actor: str, site: str | None = None) -> \
        RefiImportReport:
    """Import a .qdpx (a whole project) or a .qdc (a codebook) into the project."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".qdpx", ".qdc"):
        raise KasusError(f"{path}: not a REFI-QDA file", "give a .qdpx project or .qdc codebook")
    refi = read_qdpx(path) if suffix == ".qdpx" else read_qdc(path)
    return _Importer(db, refi, actor, site).run()


def _colour(value: str | None) -> str:
    """A colour as #rrggbb from what tools write: #rgb, #rrggbb, #rrggbbaa, rgb(r, g, b)."""
    text = (value or "").strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", text):
        return "#" + "".join(c * 2 for c in text[1:])
    if re.fullmatch(r"#[0-9a-f]{6}([0-9a-f]{2})?", text):
        return text[:7]
    found = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(,.*)?\)", text)
    if found:
        return "#" + "".join(f"{min(int(n), 255):02x}" for n in found.groups()[:3])
    return DEFAULT_COLOUR


def _stamp(value: str | None) -> str:
    if value:
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return now()


def _same_quote(found: str, quote: str | None) -> bool:
    """Whether the text at a selection is the quote the tool stored with it (ATLAS.ti
    stores it in the selection's name, cut short with an ellipsis)."""
    if not quote:
        return True
    if found[:1].isspace() != quote[:1].isspace():
        return False  # one character off at a line end: not the same place
    found, quote = " ".join(found.split()), " ".join(quote.split())
    for ellipsis in ("…", "..."):
        if quote.endswith(ellipsis):
            return found.startswith(quote[: -len(ellipsis)].rstrip())
    return found == quote


def _description(text: str) -> dict[str, str]:
    """A code description split back into kasus's fields where kasus wrote it."""
    fields: dict[str, list[str]] = {"definition": [], "English": [], "Include": [],
                                    "Exclude": []}
    for part in text.split("\n\n"):
        found = _DESCRIPTION_LINE.match(part.strip())
        if found:
            fields[found.group(1)].append(found.group(2).strip())
        else:
            fields["definition"].append(part.strip())
    return {key: "\n\n".join(value for value in values if value)
            for key, values in fields.items()}


class _Importer:
    def __init__(self, db: Database, refi: RefiProject, actor: str, site: str | None) -> None:
        self.db = db
        self.refi = refi
        self.actor = actor
        self.site = site
        self.report = RefiImportReport(str(refi.path), refi.origin,
                                       unsupported=dict(refi.unsupported),
                                       warnings=list(refi.warnings))
        self.codes: dict[str, str] = {}  # their code GUID -> our code id
        self.documents: dict[str, str] = {}  # their source GUID -> our document id
        self.selection_codings: dict[str, list[int]] = {}  # their selection GUID -> ours
        self.sites: dict[str, str] = {}  # their case GUID -> our site id
        self.stored_memos = {row[0] for row in db.execute("SELECT guid FROM memos")}
        self.memos_now: set[str] = set()
        self.added_codings: list[int] = []

    def run(self) -> RefiImportReport:
        texts = self._texts()
        # Segmenting is slow: done before the transaction, so others can write meanwhile.
        prepared = {guid: prepare_text(mapped.text) for guid, mapped in texts.items()
                    if not self._known_document(guid, mapped.text)}
        with transaction(self.db):
            for name in self.refi.users.values():
                ensure_coder(self.db, name)
            self._codes()
            self._sites()
            for source in self.refi.sources:
                if source.guid in texts:
                    self._document(source, texts[source.guid], prepared.get(source.guid))
            self._notes()
            drop_redo(self.db, self.actor)
            record(self.db, self.actor, "refi.import", "coding_batch", self.report.path, after={
                "ids": self.added_codings, "file": self.report.path,
                "documents_added": self.report.documents_added,
                "codes_added": self.report.codes_added,
            }, undoable=bool(self.added_codings))
        return self.report

    # texts ---------------------------------------------------------------------------

    def _texts(self) -> dict[str, MappedText]:
        texts: dict[str, MappedText] = {}
        for source in self.refi.sources:
            mapped = normalise_with_map(source.raw_text or "")
            if not mapped.text.strip():
                self.report.sources_without_text.append(
                    f"{source.name or source.guid} ({len(source.selections)} selections)")
                continue
            texts[source.guid] = mapped
        return texts

    def _known_document(self, guid: str, text: str) -> str | None:
        row = self.db.execute(
            "SELECT id FROM documents WHERE guid = ? OR identity = ?",
            [guid, f"refi:{guid}"]).fetchone() or self.db.execute(
            "SELECT document_id FROM document_versions WHERE content_hash = ?",
            [content_hash(text)]).fetchone()
        return str(row[0]) if row else None

    # codes ---------------------------------------------------------------------------

    def _codes(self) -> None:
        ours = list(self.db.query("SELECT id, guid, label_nb, label_en FROM codes"))
        by_guid = {str(row["guid"]).lower(): row["id"] for row in ours}
        by_name: dict[str, list[str]] = {}
        for row in ours:
            for name in {row["id"], row["label_nb"], row["label_en"]}:
                by_name.setdefault(name.strip().casefold(), []).append(row["id"])
        new_roots = False
        for code in self.refi.codes:
            if code.guid in by_guid:
                self.codes[code.guid] = by_guid[code.guid]
                self.report.codes_matched += 1
                continue
            named = sorted(set(by_name.get(code.name.casefold(), [])))
            if len(named) == 1:
                self.codes[code.guid] = named[0]
                self.report.codes_matched_by_name.append(f"{code.name} → {named[0]}")
                continue
            new_roots = new_roots or code.parent is None or code.parent not in self.codes
        branch = None
        if new_roots and ours:
            # Codes new to this project go under one branch named for the file, so the
            # project's own codebook stays as it was and the newcomers are easy to find.
            branch = self._new_code_id("import-" + slugify(self.refi.name))
            self._insert_code(branch, None, f"Import: {self.refi.name}", "theme", "", "active",
                              DEFAULT_COLOUR, derived_guid(project_uuid(self.db), "branch",
                                                           branch))
            self.report.branch = branch
        for code in self.refi.codes:
            if code.guid in self.codes:
                continue
            parent = self.codes.get(code.parent or "", branch)
            code_id = self._new_code_id(slugify(code.name) if slugify(code.name) != "site"
                                        else "code")
            fields = _description(code.description)
            self._insert_code(code_id, parent, code.name, "code", fields["definition"],
                              "active" if code.codable else "retired", _colour(code.color),
                              code.guid or derived_guid(project_uuid(self.db), "code", code_id),
                              label_en=fields["English"] or code.name,
                              include=fields["Include"], exclude=fields["Exclude"])
            self.codes[code.guid] = code_id
            self.report.codes_added.append(code_id + ("" if code.codable else " (not codable)"))

    def _new_code_id(self, base: str) -> str:
        candidate, number = base, 2
        while self.db.execute("SELECT 1 FROM codes WHERE id = ?", [candidate]).fetchone():
            candidate, number = f"{base}-{number}", number + 1
        return candidate

    def _insert_code(self, code_id: str, parent: str | None, label: str, kind: str,
                     definition: str, status: str, colour: str, guid: str,
                     label_en: str | None = None, include: str = "", exclude: str = "") -> None:
        position = self.db.execute("SELECT coalesce(max(position), 0) + 1 FROM codes").fetchone()[0]
        self.db.table("codes").insert({
            "id": code_id, "parent_id": parent, "kind": kind, "label_nb": label,
            "label_en": label_en or label, "definition": definition, "include": include,
            "exclude": exclude, "colour": colour, "position": position, "status": status,
            "updated_at": now(), "guid": guid,
        })

    # sites and documents ---------------------------------------------------------------

    def _sites(self) -> None:
        names = self.refi.variables
        for case in self.refi.cases:
            values = {names.get(guid, "").strip(): value for guid, value in case.variables.items()}
            columns = {SITE_COLUMNS[k.casefold()]: v for k, v in values.items()
                       if k.casefold() in SITE_COLUMNS}
            site_id = None
            for wanted in (columns.get("id"), case.name):
                if wanted:
                    try:
                        site_id = find_site(self.db, wanted)
                        break
                    except KasusError:
                        pass
            if site_id is None:
                site_id = self._new_site(case.name or case.guid[:8], columns, {
                    k: v for k, v in values.items() if k.casefold() not in SITE_COLUMNS})
            else:
                self.report.sites_matched += 1
            self.sites[case.guid] = site_id

    def _new_site(self, name: str, columns: dict[str, str], extra: dict[str, str]) -> str:
        site_id, number = columns.get("id") or slugify(name), 2
        base = site_id
        while self.db.execute("SELECT 1 FROM sites WHERE id = ?", [site_id]).fetchone():
            site_id, number = f"{base}-{number}", number + 1
        population = columns.get("population")
        self.db.table("sites").insert({
            "id": site_id, "name": name, "kind": columns.get("kind"),
            "population": int(population) if population and population.isdigit() else None,
            "county": columns.get("county"), "region": columns.get("region"),
            "attributes": json.dumps(extra, ensure_ascii=False),
        })
        self.report.sites_added.append(site_id)
        return site_id

    def _site_of(self, source: RefiSource) -> str:
        for case in self.refi.cases:
            if source.guid in case.sources:
                return self.sites[case.guid]
        if self.site:
            return find_site(self.db, self.site)
        raise KasusError(f"{self.refi.path}: source {source.name!r} belongs to no case, and "
                         "kasus needs a site for every document",
                         "pass --site S for the sources without a case")

    def _document(self, source: RefiSource, mapped: MappedText,
                  prepared: SegmentedText | None) -> None:
        text = mapped.text
        known = self._known_document(source.guid, text)
        if known:
            document_id = known
            self.report.documents_matched += 1
        else:
            document_id = self._add_document(source, text, prepared or prepare_text(text))
            self.report.documents_added.append(document_id)
        self.documents[source.guid] = document_id
        ours, version = self.db.execute("SELECT text, version FROM documents WHERE id = ?",
                                        [document_id]).fetchone()
        coded = {row[0] for row in self.db.execute(
            "SELECT guid FROM codings WHERE document_id = ?", [document_id])}
        for selection in source.selections:
            self._selection(selection, document_id, version, ours, mapped, coded)

    def _add_document(self, source: RefiSource, text: str, prepared: SegmentedText) -> str:
        site_id = self._site_of(source)
        names = self.refi.variables
        row: dict[str, Any] = {"role": None, "informant": None, "date": None,
                               "interviewer": None, "round": None}
        extra: dict[str, str] = {}
        for guid, value in source.variables.items():
            name = names.get(guid, "").strip()
            column = DOCUMENT_COLUMNS.get(name.casefold())
            if column:
                row[column] = value
            elif name:
                extra[name] = value
        try:
            row["round"] = int(row["round"]) if row["round"] else None
        except ValueError:
            extra["round"], row["round"] = str(row["round"]), None
        base = slugify(row.pop("id", None) or f"{site_id}-{source.name or source.guid[:8]}")
        document_id, number = base, 2
        while self.db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone():
            document_id, number = f"{base}-{number}", number + 1
        if source.text_from != "plain text":
            extra["refi text from"] = source.text_from
        insert_document(self.db, {
            "id": document_id, "identity": f"refi:{source.guid}", "site_id": site_id,
            "title": source.name or document_id, **row,
            "metadata": json.dumps(extra, ensure_ascii=False),
        }, prepared, f"{self.refi.path}#{source.name}")
        return document_id

    # codings -------------------------------------------------------------------------

    def _place(self, selection: RefiSelection, mapped: MappedText) -> tuple[int, int, str] | None:
        """Where a selection lies in text, and how it was found: "kept" at its positions,
        "moved" to where its quote is, "fuzzy", or "orphaned"; None for an empty one."""
        start, end = selection.start, selection.end
        if end <= start:
            return None
        text = mapped.text
        candidates = [(start, end)]
        # Positions counted over the file as written (CRLF as two), or with one character
        # per line end (ATLAS.ti counts CRLF as one).
        for offsets in (mapped.by_raw, mapped.by_line):
            if start >= 0 and end < len(offsets):
                candidates.insert(-1, (offsets[start], offsets[end]))
        for begin, finish in candidates:
            if 0 <= begin < finish <= len(text) and _same_quote(text[begin:finish],
                                                                selection.name):
                return begin, finish, "kept"
        quote = (selection.name or "").rstrip("….").strip()
        if quote:
            placement = reanchor(text, text, Span(candidates[0][0], candidates[0][1], quote))
            if placement.outcome != "orphaned":
                if selection.name and selection.name.rstrip().endswith(("…", "...")):
                    # A cut-short quote found: the selection is as long as it said it was.
                    return (placement.start,
                            min(len(text), placement.start + (end - start)), "moved")
                return placement.start, placement.end, ("moved" if placement.outcome in
                                                         ("kept", "moved") else "fuzzy")
        begin, finish = candidates[0]
        if quote and 0 <= begin < finish <= len(text):
            # A name found nowhere in the text is a label the tool gave the selection, not
            # its quote (MAXQDA, NVivo): the positions are all there is to go by.
            return begin, finish, "unchecked"
        return begin, finish, "orphaned"

    def _selection(self, selection: RefiSelection, document_id: str, version: int, ours: str,
                   mapped: MappedText, coded: set[str]) -> None:
        wanted = [coding for coding in selection.codings if coding.code in self.codes]
        missing = len(selection.codings) - len(wanted)
        if missing:
            self.report.warnings.append(f"{missing} codings in {selection.guid} refer to codes "
                                        "the file does not define")
        fresh = [coding for coding in wanted if coding.guid not in coded]
        self.report.codings_already += len(wanted) - len(fresh)
        if not fresh:
            return
        place = self._place(selection, mapped)
        text = mapped.text
        if place is None:
            self.report.empty_selections += 1
            return
        start, end, outcome = place
        if ours != text:
            # Our document has moved on since (a newer version here): carry the span over.
            placement = reanchor_all(text, ours, [Span(start, end, text[start:end])])[0]
            start, end = placement.start, placement.end
            outcome = "orphaned" if placement.outcome == "orphaned" else outcome
        start, end = max(0, min(start, len(ours) - 1)), max(1, min(end, len(ours)))
        end = max(end, start + 1)
        quote = ours[start:end] if outcome != "orphaned" else (selection.name or ours[start:end])
        if outcome == "moved":
            self.report.codings_moved += len(fresh)
        elif outcome == "unchecked":
            self.report.codings_unchecked += len(fresh)
        for coding in fresh:
            coder = (self.refi.users.get(coding.user or "") or
                     (f"user-{coding.user[:8]}" if coding.user else self.actor))
            if outcome == "orphaned":
                self.report.codings_orphaned.append(
                    f"{document_id}: {self.codes[coding.code]} by {coder} «{quote[:60]}»")
            coding_id = insert_coding(self.db, {
                "document_id": document_id, "code_id": self.codes[coding.code],
                "start": start, "end": end, "quote": quote, "coder": coder,
                "memo": selection.description, "origin": "merged",
                "status": {"orphaned": "orphaned", "fuzzy": "fuzzy"}.get(outcome, "anchored"),
                "document_version": version, "created_at": _stamp(coding.created),
                "updated_at": _stamp(selection.modified or coding.created),
                "guid": coding.guid or derived_guid(project_uuid(self.db), "coding",
                                                    f"{selection.guid}:{coding.code}"),
            })
            self.added_codings.append(coding_id)
            self.selection_codings.setdefault(selection.guid, []).append(coding_id)
        self.report.codings_added += len(fresh)

    # notes ---------------------------------------------------------------------------

    def _notes(self) -> None:
        targets: list[tuple[str, str, str]] = []  # note GUID, target kind, target id
        targets += [(note, "project", "") for note in self.refi.project_note_refs]
        for code in self.refi.codes:
            targets += [(note, "code", self.codes[code.guid]) for note in code.note_refs]
        for source in self.refi.sources:
            if source.guid in self.documents:
                document_id = self.documents[source.guid]
                targets += [(note, "document", document_id) for note in source.note_refs]
                for selection in source.selections:
                    targets += [(note, "selection", selection.guid)
                                for note in selection.note_refs]
        targets += [(target, "site", self.sites[origin]) for origin, target, _ in
                    self.refi.links if origin in self.sites and target in self.refi.notes]
        other_links = sum(1 for origin, target, _ in self.refi.links
                          if origin not in self.sites or target not in self.refi.notes)
        if other_links:
            self.report.unsupported["links"] = other_links
        cited = {guid for guid, _, _ in targets}
        # A note nothing refers to is kept as a project memo, never dropped.
        targets += [(guid, "project", "") for guid in self.refi.notes if guid not in cited]
        for guid, kind, target in targets:
            note = self.refi.notes.get(guid)
            if note is None:
                continue
            if kind == "selection":
                self._selection_note(note, target)
            else:
                self._memo(guid, kind, target, note.text, note.user, note.created,
                           note.modified)

    def _selection_note(self, note: RefiNote, selection: str) -> None:
        codings = self.selection_codings.get(selection, [])
        if not codings:
            return  # the selection was there already, with its notes
        guid, text = note.guid, note.text
        found = _EVIDENCE.search(note.name) if note.name.startswith(EVIDENCE_NOTE) else None
        if found and self.db.execute("SELECT 1 FROM indicators WHERE id = ?",
                                     [int(found.group(2))]).fetchone():
            if self.db.execute("SELECT 1 FROM evidence_links WHERE guid = ?",
                               [guid]).fetchone():
                return
            link_note = text.split("\n\n", 1)[1] if "\n\n" in text else ""
            self.db.table("evidence_links").insert({
                "coding_id": codings[0], "indicator_id": int(found.group(2)),
                "stance": found.group(1), "note": link_note,
                "coder": self.refi.users.get(note.user or "") or self.actor,
                "created_at": _stamp(note.created), "guid": guid,
            })
            self.report.links_added += 1
            return
        for coding_id in codings:
            memo = self.db.execute("SELECT memo FROM codings WHERE id = ?",
                                   [coding_id]).fetchone()[0]
            joined = f"{memo}\n\n{text}".strip() if memo else text
            self.db.execute("UPDATE codings SET memo = ? WHERE id = ?", [joined, coding_id])

    def _memo(self, guid: str, kind: str, target: str, text: str, user: str | None,
              created: str | None, modified: str | None) -> None:
        if guid in self.stored_memos:
            return  # imported before
        if guid in self.memos_now:
            # One note attached to two things: a memo on each.
            guid = derived_guid(project_uuid(self.db), "memo", f"{guid}:{kind}:{target}")
        self.memos_now.add(guid)
        self.db.table("memos").insert({
            "target_kind": kind, "target_id": target,
            "author": self.refi.users.get(user or "") or self.actor, "text": text,
            "created_at": _stamp(created), "updated_at": _stamp(modified or created),
            "guid": guid,
        })
        self.report.memos_added += 1
