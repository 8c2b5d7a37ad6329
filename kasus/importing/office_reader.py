"""Read zipped documents (.docx and .odt), refusing zip bombs before parsing them."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kasus.errors import ImportFileError
from kasus.importing.extracted import MB, SUPPORTED_HINT, ExtractedText, finish, size_mb
from kasus.importing.normalise import FOOTNOTE_HEADING

__all__ = ["ZipLimits", "check_package", "read_docx", "read_odt", "unsafe_member_name"]

_RESAVE_HINT = "open it in Word or LibreOffice and save it again as {kind}"


@dataclass(frozen=True)
class ZipLimits:
    """How far a package may unpack; the caller passes the limits in force at call time."""

    max_unzipped_bytes: int
    max_members: int
    max_ratio: int


def check_package(path: Path, data: bytes, kind: str, limits: ZipLimits) -> None:
    """Refuse a .docx/.odt package that would unpack to absurd sizes, before parsing it.

    zipfile never inflates a member past the size its directory declares, so checking the
    declared sizes bounds what python-docx and odfpy can unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable(path, kind) from exc
    bomb_hint = "this looks like a zip bomb; if it is a real document, save it again"
    total = sum(member.file_size for member in members)
    if len(members) > limits.max_members or total > limits.max_unzipped_bytes:
        raise ImportFileError(
            f"{path}: refusing to unpack {len(members)} parts totalling {size_mb(total)} MB "
            f"(the limit is {size_mb(limits.max_unzipped_bytes)} MB)", bomb_hint)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MB and ratio > limits.max_ratio:
            raise ImportFileError(
                f"{path}: refusing to unpack '{member.filename}', compressed {ratio:.0f}:1",
                bomb_hint)
        if unsafe_member_name(member.filename):
            # Nothing here unpacks to disk, but no Office program writes such names: the file
            # was made to attack a tool that does.
            raise ImportFileError(f"{path}: unsafe part name '{member.filename}' in the package",
                                  f"this is not a document Word or LibreOffice wrote; {bomb_hint}")
    _check_xml_parts(path, data, members)


# '..' as a path step, an absolute name, a drive letter, or a NUL.
_UNSAFE_NAME = re.compile(r"(?:^|[/\\])\.\.(?:[/\\]|$)|^[/\\]|^[A-Za-z]:|\x00")


def unsafe_member_name(name: str) -> bool:
    """A member name that would land outside a folder it was unpacked into (or is empty).
    kasus never unpacks to disk, but only damaged or hostile archives hold such names."""
    return not name or _UNSAFE_NAME.search(name) is not None


def _check_xml_parts(path: Path, data: bytes, members: list[zipfile.ZipInfo]) -> None:
    """Refuse a package whose XML parts declare a DTD, before lxml or odfpy parse them.

    Office XML never carries one; a DTD is how entity bombs (billion laughs) and external
    entities (file:///etc/passwd) get in. Only each part's prolog is read: a DTD cannot
    come after the root element."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            if not member.filename.endswith((".xml", ".rels")) or member.is_dir():
                continue
            try:
                with archive.open(member) as stream:
                    for _ in iterparse(stream, events=("start",), forbid_dtd=True):
                        break
            except DefusedXmlException as exc:
                raise ImportFileError(
                    f"{path}: refusing an XML part with a DTD ('{member.filename}')",
                    "Word and LibreOffice never write one; it can hide an entity bomb or "
                    "read other files. Save the document again from Word or LibreOffice") from exc
            except Exception:  # malformed XML: the parser after us reports the file unreadable
                continue


def _unreadable(path: Path, kind: str) -> ImportFileError:
    return ImportFileError(f"{path}: not a readable {kind} (corrupt or truncated)",
                           _RESAVE_HINT.format(kind=kind))


def _join_paragraphs(paragraphs: Iterator[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p.strip())


def read_docx(path: Path, data: bytes, limits: ZipLimits) -> ExtractedText:
    check_package(path, data, ".docx", limits)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        text = _join_paragraphs(_docx_paragraphs(document.element.body))
        metadata = _docx_metadata(document)
    except Exception as exc:  # python-docx passes on whatever its zip and XML layers raise
        raise _unreadable(path, ".docx") from exc
    return finish(path, text, metadata, None, empty="no text in the document")


def _docx_paragraphs(container: Any) -> Iterator[str]:
    """Paragraph texts in reading order, descending into tables and content controls."""
    from docx.oxml.ns import qn

    containers = {qn(tag) for tag in ("w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent",
                                      "w:customXml", "w:ins", "w:moveTo")}
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            # Paragraph.text skips runs nested in tracked insertions, fields and smart
            # tags; collect every run except those of text boxes (drawings, not prose).
            runs = child.xpath(".//w:r[not(ancestor::w:txbxContent)]")
            yield "".join(run.text for run in runs)
        elif child.tag in containers:
            yield from _docx_paragraphs(child)


def _docx_metadata(document: Any) -> dict[str, str]:
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        # Asking python-docx for absent properties would invent "Word Document".
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        return {}
    props = document.core_properties
    found = {"title": props.title, "author": props.author}
    if props.author == "python-docx":  # python-docx's template placeholder, not a person
        del found["author"]
    return {key: value.strip() for key, value in found.items() if value and value.strip()}


_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODF_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_ODF_PARAGRAPHS = {(_ODF_TEXT, "p"), (_ODF_TEXT, "h")}
# Comments, deleted text and generated tables of contents are not the text of record.
_ODF_SKIP = {(_ODF_OFFICE, "annotation"), (_ODF_OFFICE, "annotation-end"),
             (_ODF_TEXT, "tracked-changes"), (_ODF_TEXT, "table-of-content")}
_ODF_NOTE = (_ODF_TEXT, "note")


def read_odt(path: Path, data: bytes, limits: ZipLimits) -> ExtractedText:
    check_package(path, data, ".odt", limits)
    try:
        from odf.opendocument import load

        # On malformed XML odfpy prints the whole part (the note's text) and carries on
        # with an empty document: keep it off the terminal and call the file unreadable.
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy passes on whatever its zip and XML layers raise
        raise _unreadable(path, ".odt") from exc
    if "SAX FAILED TO PARSE" in printed.getvalue():
        raise _unreadable(path, ".odt")
    mimetype = str(document.mimetype)
    if not mimetype.startswith("application/vnd.oasis.opendocument.text"):
        raise ImportFileError(f"{path}: not an OpenDocument text file ({mimetype})",
                              SUPPORTED_HINT)
    notes: list[str] = []
    try:
        text = _join_paragraphs(_odf_paragraphs(document.text, notes))
        metadata = _odf_metadata(document.meta)
    except (AttributeError, ValueError) as exc:  # malformed elements or attributes
        raise _unreadable(path, ".odt") from exc
    if notes and text:
        text += f"\n\n{FOOTNOTE_HEADING}\n\n" + "\n\n".join(notes)
    return finish(path, text, metadata, None, empty="no text in the document")


def _odf_paragraphs(node: Any, notes: list[str]) -> Iterator[str]:
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname in _ODF_PARAGRAPHS:
            yield _odf_inline(child, notes)
        elif qname is not None and qname not in _ODF_SKIP and qname[0] != _ODF_DRAW:
            yield from _odf_paragraphs(child, notes)


def _odf_inline(node: Any, notes: list[str]) -> str:
    """A paragraph's text. odf.teletype.extractText would inline comments, note bodies and
    text boxes, so we walk the nodes ourselves with its whitespace rules."""
    parts: list[str] = []
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None:
            parts.append(str(child.data))
        elif qname == (_ODF_TEXT, "s"):
            parts.append(" " * int(child.getAttribute("c") or 1))
        elif qname == (_ODF_TEXT, "tab"):
            parts.append("\t")
        elif qname == (_ODF_TEXT, "line-break"):
            parts.append("\n")
        elif qname == _ODF_NOTE:
            parts.append(_odf_note(child, notes))
        elif qname not in _ODF_SKIP and qname[0] != _ODF_DRAW:
            parts.append(_odf_inline(child, notes))
    return "".join(parts)


def _odf_note(note: Any, notes: list[str]) -> str:
    """Record a footnote for the closing section; return its citation mark for the text."""
    citation = ""
    body: list[str] = []
    for child in note.childNodes:
        qname = getattr(child, "qname", None)
        if qname == (_ODF_TEXT, "note-citation"):
            citation = _odf_inline(child, notes)
        elif qname == (_ODF_TEXT, "note-body"):
            body.extend(_odf_paragraphs(child, notes))
    text = " ".join(" ".join(body).split())
    if text:
        notes.append(f"{citation} {text}".strip())
    return citation


def _odf_metadata(meta: Any) -> dict[str, str]:
    found: dict[tuple[str, str], str] = {}
    for child in getattr(meta, "childNodes", []):
        qname = getattr(child, "qname", None)
        if qname is not None:
            found[qname] = _odf_inline(child, []).strip()
    dc = "http://purl.org/dc/elements/1.1/"
    meta_ns = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
    values = {
        "title": found.get((dc, "title"), ""),
        # dc:creator is whoever saved last; initial-creator is the author.
        "author": found.get((meta_ns, "initial-creator")) or found.get((dc, "creator"), ""),
    }
    return {key: value for key, value in values.items() if value}
