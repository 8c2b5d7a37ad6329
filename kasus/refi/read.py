"""Read a REFI-QDA project (.qdpx) or codebook (.qdc) into plain records, tolerating what
real tools write and counting what kasus cannot take."""

from __future__ import annotations

import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from kasus.errors import KasusError
from kasus.refi.archive import MAX_SOURCE_BYTES, QdpxArchive, open_qdpx
from kasus.refi.xml import CODEBOOK_NS, PROJECT_NS, local, parse_xml
from kasus.store.schema import KASUS_NAMESPACE

# What kasus cannot take, by element, as the import report names it.
UNSUPPORTED = {
    "PictureSource": "picture sources", "AudioSource": "audio sources",
    "VideoSource": "video sources", "PictureSelection": "picture selections",
    "PDFSelection": "PDF region selections", "AudioSelection": "audio selections",
    "VideoSelection": "video selections", "Transcript": "transcripts of audio/video",
    "Graph": "graphs", "Set": "sets",
}


@dataclass
class RefiCode:
    guid: str
    name: str
    codable: bool
    color: str | None
    description: str
    parent: str | None  # the parent code's GUID
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiCoding:
    guid: str
    code: str  # GUID of the code
    user: str | None
    created: str | None


@dataclass
class RefiSelection:
    guid: str
    start: int
    end: int
    name: str | None
    description: str
    user: str | None
    created: str | None
    modified: str | None
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiSource:
    guid: str
    name: str
    raw_text: str | None  # as the tool counted positions over it; None: no text found
    text_from: str  # "plain text", "content", "docx", "pdf representation", "outside file"
    created: str | None
    selections: list[RefiSelection] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # variable GUID -> value


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None


@dataclass
class RefiCase:
    guid: str
    name: str
    variables: dict[str, str]
    sources: list[str]


@dataclass
class RefiProject:
    """Everything kasus takes from a REFI-QDA file, and a count of what it cannot."""

    path: Path
    name: str
    origin: str
    users: dict[str, str] = field(default_factory=dict)  # GUID -> name
    codes: list[RefiCode] = field(default_factory=list)  # parents before children
    variables: dict[str, str] = field(default_factory=dict)  # GUID -> name
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # origin, target, name
    project_note_refs: list[str] = field(default_factory=list)
    unsupported: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child) == name]


def _first(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: etree._Element, name: str) -> str:
    child = _first(element, name)
    return (child.text or "") if child is not None else ""


def _refs(element: etree._Element, name: str) -> list[str]:
    return [_guid(ref.get("targetGUID")) for ref in _children(element, name)
            if ref.get("targetGUID")]


def _guid(value: str | None) -> str:
    # GUIDs may come in braces and either case; compare them one way.
    return (value or "").strip().strip("{}").lower()


def _guid_of(element: etree._Element) -> str:
    """An element's GUID; one without (a damaged file) gets one from its place in the file,
    the same on every import of that file."""
    return _guid(element.get("guid")) or str(uuid.uuid5(
        KASUS_NAMESPACE, "refi-element:" + element.getroottree().getpath(element)))


def _int(element: etree._Element, attribute: str, where: str) -> int:
    value = element.get(attribute)
    try:
        return int(str(value).strip())
    except ValueError:
        raise KasusError(f"{where}: {local(element)} {element.get('guid')} has "
                         f"{attribute}={value!r}, not a whole number",
                         "the file is damaged; export it again from its tool") from None


def read_qdc(path: Path) -> RefiProject:
    """A codebook file: only codes."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise KasusError(f"{path}: cannot read ({error.strerror})") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise KasusError(f"{path}: {len(data) // 2**20} MB is too large for a codebook")
    root = parse_xml(data, str(path))
    if local(root) != "CodeBook" or etree.QName(root).namespace not in (CODEBOOK_NS, None,
                                                                          PROJECT_NS):
        raise KasusError(f"{path}: not a REFI-QDA codebook (root element {local(root)!r})",
                         "a .qdc has a CodeBook root in urn:QDA-XML:codebook:1.0")
    project = RefiProject(path, path.stem, root.get("origin") or "")
    _read_codes(root, project)
    if not project.codes:
        raise KasusError(f"{path}: the codebook holds no codes")
    _count_unsupported(root, project, ("Set",))
    return project


def read_qdpx(path: Path) -> RefiProject:
    """A project archive: users, codes, cases, variables, text sources with their
    selections, notes; the text of each source read out of the archive."""
    archive = open_qdpx(path)
    try:
        where = f"{path}:{archive.project_member}"
        root = parse_xml(archive.project_xml(), where)
        if local(root) != "Project":
            raise KasusError(f"{where}: not a REFI-QDA project (root element "
                             f"{local(root)!r})", "export the project as REFI-QDA (.qdpx)")
        project = RefiProject(path, root.get("name") or path.stem, root.get("origin") or "")
        users = _first(root, "Users")
        for user in _children(users, "User") if users is not None else []:
            project.users[_guid(user.get("guid"))] = (user.get("name") or user.get("id")
                                                      or _guid(user.get("guid"))[:8])
        codebook = _first(root, "CodeBook")
        if codebook is not None:
            _read_codes(codebook, project)
        variables = _first(root, "Variables")
        for variable in _children(variables, "Variable") if variables is not None else []:
            project.variables[_guid(variable.get("guid"))] = variable.get("name") or ""
        cases = _first(root, "Cases")
        for case in _children(cases, "Case") if cases is not None else []:
            project.cases.append(RefiCase(
                _guid_of(case), case.get("name") or "", _values(case),
                _refs(case, "SourceRef")))
        sources = _first(root, "Sources")
        for source in list(sources) if sources is not None else []:
            _read_source(source, archive, project, where)
        notes = _first(root, "Notes")
        for note in _children(notes, "Note") if notes is not None else []:
            guid = _guid_of(note)
            project.notes[guid] = RefiNote(
                guid, note.get("name") or "", _text(note, "PlainTextContent")
                or _source_text(note, archive, project, where)[0] or "",
                _guid(note.get("creatingUser")) or None, note.get("creationDateTime"),
                note.get("modifiedDateTime"))
        links = _first(root, "Links")
        for link in _children(links, "Link") if links is not None else []:
            project.links.append((_guid(link.get("originGUID")), _guid(link.get("targetGUID")),
                                  link.get("name") or ""))
        project.project_note_refs = _refs(root, "NoteRef")
        _count_unsupported(root, project, tuple(UNSUPPORTED))
        return project
    finally:
        archive.close()


def _count_unsupported(root: etree._Element, project: RefiProject,
                       names: tuple[str, ...]) -> None:
    for element in root.iter():
        name = local(element)
        if name in names:
            project.unsupported[UNSUPPORTED[name]] += 1


def _read_codes(container: etree._Element, project: RefiProject) -> None:
    codes = _first(container, "Codes")
    if codes is None:
        return

    def walk(element: etree._Element, parent: str | None) -> None:
        guid = _guid_of(element)
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        project.codes.append(RefiCode(guid, (element.get("name") or "").strip() or guid[:8],
                                      codable, element.get("color"),
                                      _text(element, "Description").strip(), parent,
                                      _refs(element, "NoteRef")))
        for child in _children(element, "Code"):
            walk(child, guid)

    for code in _children(codes, "Code"):
        walk(code, None)


def _values(element: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in _children(element, "VariableValue"):
        ref = _first(value, "VariableRef")
        if ref is None:
            continue
        for child in value:
            if local(child) != "VariableRef" and child.text is not None:
                values[_guid(ref.get("targetGUID"))] = child.text.strip()
    return values


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        # The spec says UTF-8; some tools write the local code page.
        return data.decode("cp1252", errors="replace"), "not UTF-8; read as Windows-1252"


def _source_text(source: etree._Element, archive: QdpxArchive, project: RefiProject,
                 where: str) -> tuple[str | None, str]:
    content = _first(source, "PlainTextContent")
    if content is not None and content.text:
        return content.text, "content"
    text: str | None = None
    origin = "plain text"
    reference = source.get("plainTextPath")
    if reference:
        data = archive.source(reference)
        if data is None and reference.startswith(("absolute://", "relative://")):
            data = _outside_file(reference, project)
            origin = "outside file"
        if data is not None:
            text, problem = _decode(data)
            if problem:
                project.warnings.append(f"{source.get('name')}: {problem}")
    # NVivo writes a one-byte .txt and keeps the text in the .docx beside it.
    rich = source.get("richTextPath")
    if (text is None or len(text.strip()) <= 1) and rich and rich.lower().endswith(".docx"):
        data = archive.source(rich)
        if data is not None:
            text, origin = _docx_text(data, f"{where} ({rich})", project), "docx"
    return text, origin


def _outside_file(reference: str, project: RefiProject) -> bytes | None:
    # Sources kept outside the archive: read only a plain file that exists, and say so.
    kind, _, rest = reference.partition("://")
    path = Path(rest) if kind == "absolute" else project.path.parent / rest
    if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
        return None
    project.warnings.append(f"read {path} from outside the archive")
    return path.read_bytes()


def _docx_text(data: bytes, where: str, project: RefiProject) -> str | None:
    """The paragraphs of a .docx one per line: the plain-text representation the tool
    counted its positions over (not kasus's own .docx reading, which repairs the text)."""
    import io

    import docx

    from kasus.importing.formats import zip_limits
    from kasus.importing.office_reader import check_package

    try:
        # The same guards as an imported .docx: sizes, bombs, part names, DTDs.
        check_package(Path(where), data, ".docx", zip_limits())
        document = docx.Document(io.BytesIO(data))
    except KasusError as error:
        project.warnings.append(str(error))
        return None
    except Exception as error:  # python-docx raises many kinds on a damaged package
        project.warnings.append(f"{where}: not a readable .docx ({type(error).__name__})")
        return None
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _read_source(source: etree._Element, archive: QdpxArchive, project: RefiProject,
                 where: str) -> None:
    kind = local(source)
    if kind == "PDFSource":
        representation = _first(source, "Representation")
        if representation is None:
            project.unsupported["PDF sources without a text representation"] += 1
            return
        source, origin_name = representation, "pdf representation"
    elif kind != "TextSource":
        return  # counted as unsupported with its selections
    else:
        origin_name = ""
    text, text_from = _source_text(source, archive, project, where)
    record = RefiSource(_guid_of(source), source.get("name") or "", text,
                        origin_name or text_from, source.get("creationDateTime"),
                        note_refs=_refs(source, "NoteRef"), variables=_values(source))
    for selection in _children(source, "PlainTextSelection"):
        item = RefiSelection(
            _guid_of(selection), _int(selection, "startPosition", where),
            _int(selection, "endPosition", where), selection.get("name"),
            _text(selection, "Description").strip(),
            _guid(selection.get("creatingUser")) or None, selection.get("creationDateTime"),
            selection.get("modifiedDateTime"), note_refs=_refs(selection, "NoteRef"))
        for coding in _children(selection, "Coding"):
            ref = _first(coding, "CodeRef")
            if ref is None:
                continue
            item.codings.append(RefiCoding(_guid_of(coding),
                                           _guid(ref.get("targetGUID")),
                                           _guid(coding.get("creatingUser")) or item.user,
                                           coding.get("creationDateTime") or item.created))
        record.selections.append(item)
    if _children(source, "Coding"):
        project.unsupported["codings of whole sources"] += len(_children(source, "Coding"))
    project.sources.append(record)


@dataclass(frozen=True)
class MappedText:
    """A text of record made from another tool's text, with the way back to its positions:
    by_raw[i] is where offset i of the file as written lands; by_line[i] the same for
    positions counted with one character per line end (ATLAS.ti counts CRLF as one)."""

    text: str
    by_raw: list[int]
    by_line: list[int]


def normalise_with_map(raw: str) -> MappedText:
    """raw as a kasus text of record (LF line ends, NFC, no BOM, paragraphs between blank
    lines), with maps from the positions other tools count to positions in it."""
    text, by_raw = _normalise_characters(raw)
    by_line = list(range(len(text) + 1))
    if "\n" in text.strip() and "\n\n" not in text:
        # One paragraph per line (NVivo, MAXQDA): kasus keeps paragraphs apart by a blank
        # line, so each line end is doubled.
        text, by_line = _double_line_ends(text)
        by_raw = [by_line[offset] for offset in by_raw]
    return MappedText(text, by_raw, by_line)


def _normalise_characters(raw: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets = [0] * (len(raw) + 1)
    length = 0
    i = 0
    while i < len(raw):
        offsets[i] = length
        char = raw[i]
        if char == "\ufeff" and i == 0:
            i += 1
            continue
        if char == "\r":
            if i + 1 < len(raw) and raw[i + 1] == "\n":
                offsets[i + 1] = length
                i += 1
            char = "\n"
        elif char in "\u2028\u2029\f\v":
            char = "\n"
        elif char == "\x00":
            char = "\ufffd"
        j = i + 1
        # A base character and the combining marks after it compose as one unit.
        while j < len(raw) and unicodedata.combining(raw[j]):
            offsets[j] = length
            j += 1
        piece = unicodedata.normalize("NFC", char + raw[i + 1:j]) if j > i + 1 else char
        out.append(piece)
        length += len(piece)
        i = j
    offsets[len(raw)] = length
    return "".join(out), offsets


def _double_line_ends(text: str) -> tuple[str, list[int]]:
    shift = []
    added = 0
    for index, char in enumerate(text):
        shift.append(index + added)
        if char == "\n":
            added += 1
    shift.append(len(text) + added)
    return text.replace("\n", "\n\n"), shift
