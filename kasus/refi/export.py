"""Write a project as a REFI-QDA .qdpx and its codebook as a .qdc, validated before writing."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree
from sqlite_utils import Database

from kasus import __version__
from kasus.errors import KasusError
from kasus.export.files import write_output
from kasus.refi.identities import derived_guid
from kasus.refi.xml import CODEBOOK_NS, PROJECT_NS, SCHEMA_LOCATION, XSI, schema_errors, xml_text
from kasus.store.schema import project_uuid

# Document columns carried as REFI variables on each source, and site columns on each case,
# with their REFI types. Extra metadata keys follow as Text variables.
DOCUMENT_VARIABLES = {"role": "Text", "informant": "Text", "date": "Text",
                      "interviewer": "Text", "round": "Integer"}
SITE_VARIABLES = {"kind": "Text", "population": "Integer", "county": "Text", "region": "Text"}
# A fixed time stamp for archive members, so that exporting twice gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
EVIDENCE_NOTE = "kasus evidence:"
REFI_KINDS = ("qdpx", "codebook")


@dataclass
class ExportReport:
    """What went into the file, and what REFI-QDA has no place for (spec §7: say so)."""

    path: str
    counts: dict[str, int] = field(default_factory=dict)
    not_carried: list[str] = field(default_factory=list)


def _datetime(value: str | None) -> str | None:
    """value as an xsd:dateTime, or None when it is not one (never an invalid attribute)."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _set(element: etree._Element, **attributes: Any) -> etree._Element:
    for name, value in attributes.items():
        if value is not None and value != "":
            element.set(name, xml_text(str(value)))
    return element


def _child(parent: etree._Element, tag: str, text: str | None = None,
           **attributes: Any) -> etree._Element:
    namespace = etree.QName(parent).namespace
    element = _set(etree.SubElement(parent, f"{{{namespace}}}{tag}"), **attributes)
    if text is not None:
        element.text = xml_text(text)
    return element


def code_description(row: dict[str, Any]) -> str:
    """A code's definition with its English label and rules, so other tools show them."""
    parts = [row["definition"].strip()]
    if row["label_en"] and row["label_en"] != row["label_nb"]:
        parts.append(f"English: {row['label_en']}")
    for key, title in (("include", "Include"), ("exclude", "Exclude")):
        if row[key].strip():
            parts.append(f"{title}: {row[key].strip()}")
    return "\n\n".join(part for part in parts if part)


def _codes(db: Database) -> list[dict[str, Any]]:
    return list(db.query("SELECT * FROM codes ORDER BY position, id"))


def _add_codes(parent: etree._Element, codes: list[dict[str, Any]],
               note_refs: dict[tuple[str, str], list[str]]) -> None:
    children: dict[str | None, list[dict[str, Any]]] = {}
    for code in codes:
        children.setdefault(code["parent_id"], []).append(code)
    known = {code["id"] for code in codes}

    def add(container: etree._Element, code: dict[str, Any]) -> None:
        element = _child(container, "Code", guid=code["guid"], name=code["label_nb"],
                         isCodable="false" if code["status"] == "retired" else "true",
                         color=code["colour"])
        description = code_description(code)
        if description:
            _child(element, "Description", description)
        if etree.QName(parent).namespace == PROJECT_NS:
            for note in note_refs.get(("code", code["id"]), []):
                _child(element, "NoteRef", targetGUID=note)
        for child in children.get(code["id"], []):
            add(element, child)

    codes_element = _child(parent, "Codes")
    for code in codes:
        if code["parent_id"] is None or code["parent_id"] not in known:
            add(codes_element, code)


def codebook_element(db: Database) -> etree._Element:
    """The codebook as a REFI-QDA .qdc document (urn:QDA-XML:codebook:1.0)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{CODEBOOK_NS} {SCHEMA_LOCATION[CODEBOOK_NS]}")
    root.set("origin", f"kasus {__version__}")
    _add_codes(root, _codes(db), {})
    return root


class _ProjectWriter:
    """Builds project.qde and the list of source files from one read of the store."""

    def __init__(self, db: Database, name: str, report: ExportReport) -> None:
        self.db = db
        self.name = name
        self.report = report
        self.project = project_uuid(db)
        self.coders = {row[0]: row[1] for row in db.execute("SELECT name, guid FROM coders")}
        self.sources: list[tuple[str, bytes]] = []
        self.variables: dict[str, tuple[str, str]] = {}  # name -> (guid, type)
        self.notes: list[dict[str, Any]] = []
        self.note_refs: dict[tuple[str, str], list[str]] = {}
        self.code_guids = {row[0]: row[1] for row in db.execute("SELECT id, guid FROM codes")}

    def guid(self, kind: str, key: str) -> str:
        return derived_guid(self.project, kind, key)

    def variable(self, name: str, kind: str) -> str:
        if name not in self.variables:
            self.variables[name] = (self.guid("variable", name), kind)
        return self.variables[name][0]

    def value(self, parent: etree._Element, name: str, kind: str, value: Any) -> None:
        if value is None or value == "":
            return
        if kind == "Integer":
            try:
                value = int(value)
            except (TypeError, ValueError):
                kind = "Text"
                name = f"{name} (text)"
        element = _child(parent, "VariableValue")
        _child(element, "VariableRef", targetGUID=self.variable(name, kind))
        _child(element, "IntegerValue" if kind == "Integer" else "TextValue", str(value))

    def build(self) -> etree._Element:
        root = etree.Element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", f"{PROJECT_NS} {SCHEMA_LOCATION[PROJECT_NS]}")
        meta = {row[0]: row[1] for row in self.db.execute("SELECT key, value FROM project")}
        _set(root, name=self.name, origin=f"kasus {__version__}",
             creatingUserGUID=self.coders.get(meta.get("created_by", "")),
             creationDateTime=_datetime(meta.get("created_at")))
        self.collect_notes()
        self.users_element(root)
        codes = _codes(self.db)
        if codes:
            _add_codes(_child(root, "CodeBook"), codes, self.note_refs)
        # Cases and sources fill the variables, which come before them in the file (the
        # schema's order): build those first, then put Variables in its place.
        cases = self.cases()
        sources = self.sources_element()
        if self.variables:
            variables = etree.SubElement(root, f"{{{PROJECT_NS}}}Variables")
            for name, (guid, kind) in self.variables.items():
                _child(variables, "Variable", guid=guid, name=name, typeOfVariable=kind)
        for element in (cases, sources):
            if len(element):
                root.append(element)
        self.notes_elements(root)
        self.report.counts.update(users=len(self.coders), codes=len(codes),
                                  memos=len([n for n in self.notes if not n.get("evidence")]))
        return root

    def users_element(self, root: etree._Element) -> None:
        if self.coders:
            users = _child(root, "Users")
            for coder, guid in sorted(self.coders.items()):
                _child(users, "User", guid=guid, name=coder)

    def notes_elements(self, root: etree._Element) -> None:
        if self.notes:
            notes = _child(root, "Notes")
            for note in self.notes:
                element = _child(notes, "Note", guid=note["guid"], name=note["name"],
                                 creatingUser=self.coders.get(note["author"]),
                                 creationDateTime=_datetime(note["created_at"]),
                                 modifiedDateTime=_datetime(note.get("updated_at")))
                _child(element, "PlainTextContent", note["text"])
        site_notes = [note for note in self.notes if note.get("case")]
        if site_notes:
            links = _child(root, "Links")
            for note in site_notes:
                _child(links, "Link", guid=self.guid("memo-link", note["guid"]), name="memo",
                       direction="OneWay", originGUID=note["case"], targetGUID=note["guid"])
        for guid in self.note_refs.get(("project", ""), []):
            _child(root, "NoteRef", targetGUID=guid)

    def collect_notes(self) -> None:
        for memo in self.db.query("SELECT * FROM memos ORDER BY id"):
            note = {**memo, "name": f"memo on {memo['target_kind']} {memo['target_id']}"}
            if memo["target_kind"] == "site":
                # A case cannot refer to a note (CaseType has no NoteRef): a Link can.
                note["case"] = self.guid("site", memo["target_id"])
            else:
                key = "" if memo["target_kind"] == "project" else memo["target_id"]
                self.note_refs.setdefault((memo["target_kind"], key), []).append(memo["guid"])
            self.notes.append(note)
        links = list(self.db.query(
            "SELECT l.*, i.name_nb FROM evidence_links l JOIN indicators i "
            "ON i.id = l.indicator_id WHERE l.removed_at IS NULL ORDER BY l.id"))
        for link in links:
            # REFI-QDA has no evidence links: a note on the selection keeps them readable in
            # any tool, and kasus reads them back as links.
            self.notes.append({
                "guid": link["guid"], "author": link["coder"], "created_at": link["created_at"],
                "name": f"{EVIDENCE_NOTE} {link['stance']} indicator {link['indicator_id']}",
                "text": f"{link['stance']} indicator {link['indicator_id']} "
                        f"({link['name_nb']})" + (f"\n\n{link['note']}" if link["note"] else ""),
                "evidence": True,
            })
            self.note_refs.setdefault(("coding", str(link["coding_id"])), []).append(link["guid"])
        if links:
            self.report.not_carried.append(
                f"{len(links)} evidence links are written as notes on their codings "
                "(kasus reads them back; other tools show them as notes)")

    def cases(self) -> etree._Element:
        cases = etree.Element(f"{{{PROJECT_NS}}}Cases")
        documents: dict[str, list[str]] = {}
        for row in self.db.execute("SELECT site_id, guid FROM documents ORDER BY id"):
            documents.setdefault(row[0], []).append(row[1])
        sites = list(self.db.query("SELECT * FROM sites ORDER BY name"))
        for site in sites:
            case = _child(cases, "Case", guid=self.guid("site", site["id"]), name=site["name"])
            self.value(case, "site id", "Text", site["id"])
            for column, kind in SITE_VARIABLES.items():
                self.value(case, column, kind, site[column])
            for key, value in sorted(json.loads(site["attributes"] or "{}").items()):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                self.value(case, key, "Text", text)
            for guid in documents.get(site["id"], []):
                _child(case, "SourceRef", targetGUID=guid)
        self.report.counts["cases"] = len(sites)
        return cases

    def sources_element(self) -> etree._Element:
        sources = etree.Element(f"{{{PROJECT_NS}}}Sources")
        codings: dict[str, list[dict[str, Any]]] = {}
        orphaned = 0
        for coding in self.db.query(
                'SELECT * FROM codings WHERE removed_at IS NULL ORDER BY document_id, start, '
                '"end", id'):
            if coding["status"] == "orphaned":
                orphaned += 1
                continue
            codings.setdefault(coding["document_id"], []).append(coding)
        count = 0
        documents = list(self.db.query("SELECT * FROM documents ORDER BY id"))
        for document in documents:
            file_name = f"{document['guid']}.txt"
            source = _child(sources, "TextSource", guid=document["guid"], name=document["title"],
                            plainTextPath=f"internal://{file_name}",
                            creationDateTime=_datetime(document["imported_at"]))
            self.sources.append((file_name, document["text"].encode("utf-8")))
            for coding in codings.get(document["id"], []):
                self.selection(source, coding)
                count += 1
            for note in self.note_refs.get(("document", document["id"]), []):
                _child(source, "NoteRef", targetGUID=note)
            self.value(source, "document id", "Text", document["id"])
            for column, kind in DOCUMENT_VARIABLES.items():
                self.value(source, column, kind, document[column])
            for key, value in sorted(json.loads(document["metadata"] or "{}").items()):
                self.value(source, key, "Text", str(value))
        self.report.counts.update(documents=len(documents), codings=count)
        if orphaned:
            self.report.not_carried.append(
                f"{orphaned} orphaned codings (no place in the current text; see "
                "`kasus codings --status orphaned`)")
        return sources

    def selection(self, source: etree._Element, coding: dict[str, Any]) -> None:
        user = self.coders.get(coding["coder"])
        selection = _child(source, "PlainTextSelection",
                           guid=self.guid("selection", coding["guid"]), name=coding["quote"],
                           startPosition=coding["start"], endPosition=coding["end"],
                           creatingUser=user, creationDateTime=_datetime(coding["created_at"]),
                           modifyingUser=user, modifiedDateTime=_datetime(coding["updated_at"]))
        if coding["memo"]:
            _child(selection, "Description", coding["memo"])
        element = _child(selection, "Coding", guid=coding["guid"], creatingUser=user,
                         creationDateTime=_datetime(coding["created_at"]))
        _child(element, "CodeRef", targetGUID=self.code_guids[coding["code_id"]])
        for note in self.note_refs.get(("coding", str(coding["id"])), []):
            _child(selection, "NoteRef", targetGUID=note)


def _serialise(root: etree._Element) -> bytes:
    errors = schema_errors(root)
    if errors:
        # A bug in kasus, not in the user's data: refuse rather than hand over a file that
        # other tools would reject or misread.
        raise KasusError(f"the exported XML does not validate: {errors[0]}",
                         "please report this; nothing was written")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def project_xml(db: Database, name: str, report: ExportReport | None = None) -> tuple[
        bytes, list[tuple[str, bytes]]]:
    """project.qde and the source files it refers to."""
    writer = _ProjectWriter(db, name, report or ExportReport(""))
    root = writer.build()
    return _serialise(root), writer.sources


def _review_decisions(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM review_decisions WHERE superseded_at IS NULL")
               .fetchone()[0])


def write_qdpx(db: Database, path: Path, name: str) -> ExportReport:
    """The whole project as a .qdpx at path (the caller writes into a partial file)."""
    report = ExportReport(str(path))
    xml, sources = project_xml(db, name, report)
    decisions = _review_decisions(db)
    if decisions:
        report.not_carried.append(f"{decisions} review decisions (REFI-QDA has no place for "
                                  "them; their consensus codings are exported as codings)")
    report.not_carried.append("indicators and their values (export them with "
                              "`kasus export summary` or keep indicators.csv)")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", _ZIP_TIME), xml,
                         compress_type=zipfile.ZIP_DEFLATED)
        for file_name, data in sources:
            archive.writestr(zipfile.ZipInfo(f"sources/{file_name}", _ZIP_TIME), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return report


def write_qdc(db: Database, path: Path) -> ExportReport:
    """The codebook as a .qdc at path."""
    report = ExportReport(str(path))
    if not db.execute("SELECT 1 FROM codes").fetchone():
        raise KasusError("the project has no codes to export", "load a codebook first")
    root = codebook_element(db)
    path.write_bytes(_serialise(root))
    report.counts["codes"] = len(root.findall(f".//{{{CODEBOOK_NS}}}Code"))
    return report


def project_name(db: Database) -> str:
    """What the project is called in other tools: its file name without .db."""
    for row in db.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(row[2]).stem
    return "kasus"


def export_refi(db: Database, kind: str, out: Path, force: bool = False) -> ExportReport:
    """Write the project (kind qdpx) or its codebook (kind codebook) to out, whole or not."""
    if kind not in REFI_KINDS:
        raise KasusError(f"{kind!r} is not a REFI-QDA export", "use qdpx or codebook")
    reports: list[ExportReport] = []

    def write(path: Path) -> None:
        report = (write_qdpx(db, path, project_name(db)) if kind == "qdpx"
                  else write_qdc(db, path))
        reports.append(report)

    written = write_output(out, force, write)
    reports[0].path = str(written)
    return reports[0]
