"""Read interview notes from files into normalised text and metadata."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kasus.errors import ImportFileError
from kasus.importing.normalise import (
    FOOTNOTE_HEADING,
    normalise_text,
    rebuild_pdf_text,
    strip_markdown_headings,
)

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED_SUFFIXES",
    "ExtractedText",
    "extract",
    "normalise_text",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".docx", ".odt", ".rtf", ".pdf"}
)
_MB = 1024 * 1024
MAX_FILE_BYTES: int = 50 * _MB
MAX_UNZIPPED_BYTES: int = 200 * _MB
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_RATIO = 200  # real Office XML packs 5-30:1; zip bombs pack 1000:1 and more

_SUPPORTED_HINT = "import .txt .md .docx .odt .rtf or .pdf files"
_RESAVE_HINT = "open it in Word or LibreOffice and save it again as {kind}"

# pypdf logs and warns about every quirk of a damaged PDF; without a handler Python would
# print those to stderr. Applications that configure logging still receive them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class ExtractedText:
    """The text of record of one file, with whatever metadata the file carried."""

    text: str
    metadata: dict[str, str]
    encoding: str | None


def extract(path: Path) -> ExtractedText:
    """Read one file; raise ImportFileError naming the path and the reason if we cannot."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        shown = f"'{path.suffix}'" if path.suffix else "(no file extension)"
        raise ImportFileError(
            f"{path}: unsupported file type {shown}",
            "supported types: " + ", ".join(sorted(SUPPORTED_SUFFIXES)),
        )
    data = _read_bytes(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return reader(path, data)
    except ImportFileError:
        raise
    except Exception as exc:  # the last guard: no library exception reaches the user
        raise ImportFileError(
            f"{path}: could not read the file ({type(exc).__name__}: {exc})",
            "open it in the program that made it, save it again and import the new copy",
        ) from exc


# --- bytes ----------------------------------------------------------------------------


def _size(n: int) -> str:
    value = n / _MB
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            reason = "not a regular file" if path.exists() else "file not found"
            raise ImportFileError(f"{path}: {reason}", "give the path of a document file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(path, path.stat().st_size)
        with path.open("rb") as handle:
            # Read one byte past the limit instead of trusting stat(): the file may grow.
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(
            f"{path}: cannot read the file ({exc.strerror or exc})",
            "check that the file exists and that you may read it",
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path, len(data))
    return data


def _too_large(path: Path, size: int) -> ImportFileError:
    return ImportFileError(
        f"{path}: file too large ({_size(size)} MB; the limit is {_size(MAX_FILE_BYTES)} MB)",
        "split the document into smaller files",
    )


def _finish(path: Path, raw: str, metadata: dict[str, str], encoding: str | None,
            empty: str = "empty file") -> ExtractedText:
    text = normalise_text(raw)
    if not text:
        raise ImportFileError(f"{path}: {empty}", "a document needs some text to code")
    return ExtractedText(text=text, metadata=metadata, encoding=encoding)


# --- plain text and Markdown ----------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NOT_C1 = bytes([*range(0x80), *range(0xA0, 0x100)])
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                             rb"[\xf0-\xf4][\x80-\xbf]{3}")
_LEGACY_LABELS = {"cp1252": "cp1252", "latin_1": "latin-1", "iso8859_15": "iso-8859-15"}
_BINARY_CONTROL_SHARE = 0.05


def _binary(path: Path) -> ImportFileError:
    return ImportFileError(f"{path}: binary file, not text", _SUPPORTED_HINT)


def _undecodable(path: Path, why: str) -> ImportFileError:
    return ImportFileError(f"{path}: cannot decode the text ({why})",
                           "save the file as UTF-8 text and import it again")


def _decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes: BOM, then UTF-8, then Windows-1252 / Latin-1."""
    if not data.strip():
        raise ImportFileError(f"{path}: empty file", "a document needs some text to code")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _undecodable(path, f"it starts with a {codec} mark but is not "
                                         f"{codec}: byte {exc.start}") from exc
            if "\x00" in text:
                raise _binary(path)
            return text, codec
    if b"\x00" in data:
        raise _binary(path)
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _BINARY_CONTROL_SHARE * len(data):
        raise _binary(path)
    return _decode_without_bom(path, data)


def _decode_without_bom(path: Path, data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        if exc.reason == "unexpected end of data" and _UTF8_MULTIBYTE.search(head):
            # A UTF-8 file cut off inside its last character: keep everything before it.
            return head.decode("utf-8"), "utf-8"
    utf8_letters = len(_UTF8_MULTIBYTE.findall(data))
    if utf8_letters and utf8_letters >= len(_stray_high_bytes(data)):
        # Mostly UTF-8 with pasted-in Windows-1252 bytes: decoding it all as cp1252 would
        # garble every UTF-8 letter, so decode only the stray bytes as cp1252.
        return _utf8_with_cp1252_bytes(data), "utf-8"
    c1 = set(data.translate(None, _NOT_C1))
    if c1:
        # 0x80-0x9F are control codes in Latin-1 but quotes and dashes in Windows-1252.
        if c1 & _CP1252_UNDEFINED:
            codes = ", ".join(f"0x{b:02X}" for b in sorted(c1 & _CP1252_UNDEFINED))
            raise _undecodable(path, f"not UTF-8, and bytes {codes} fit neither "
                                     "Windows-1252 nor Latin-1")
        return data.decode("cp1252"), "cp1252"
    return _decode_western(data)


def _stray_high_bytes(data: bytes) -> bytes:
    """Bytes >= 0x80 that are not part of a well-formed UTF-8 sequence."""
    return _UTF8_MULTIBYTE.sub(b"", data).translate(None, bytes(range(0x80)))


def _utf8_with_cp1252_bytes(data: bytes) -> str:
    parts: list[str] = []
    rest = data
    while rest:
        try:
            parts.append(rest.decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(rest[: exc.start].decode("utf-8"))
            parts.append(rest[exc.start : exc.end].decode("cp1252", errors="replace"))
            rest = rest[exc.end :]
    return "".join(parts)


def _decode_western(data: bytes) -> tuple[str, str]:
    # Unrestricted, charset-normalizer reads short Norwegian cp1252 text as cp775; the
    # Western code pages are the only ones Norwegian notes realistically use.
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_LEGACY_LABELS)).best()
    codec = best.encoding if best is not None and best.encoding in _LEGACY_LABELS else "cp1252"
    return data.decode(codec), _LEGACY_LABELS[codec]


def _read_txt(path: Path, data: bytes) -> ExtractedText:
    text, encoding = _decode_text(path, data)
    return _finish(path, text, {}, encoding)


_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def _read_markdown(path: Path, data: bytes) -> ExtractedText:
    text, encoding = _decode_text(path, data)
    lines = re.split(r"\r\n|\r|\n", text.lstrip("\ufeff"))
    metadata: dict[str, str] = {}
    if _FRONT_MATTER_FENCE.match(lines[0]):
        end = next((i for i in range(1, len(lines)) if _FRONT_MATTER_END.match(lines[i])), None)
        if end is None:
            raise ImportFileError(f"{path}:1: front matter has no closing '---' line",
                                  "end the front matter with a line holding only '---'")
        metadata = _front_matter(path, "\n".join(lines[1:end]))
        lines = lines[end + 1 :]
    body = strip_markdown_headings(normalise_text("\n".join(lines)))
    return _finish(path, body, metadata, encoding)


def _front_matter(path: Path, source: str) -> dict[str, str]:
    import yaml

    try:
        loaded = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2  # +1 for 1-based, +1 for the '---'
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ImportFileError(f"{path}:{line}: bad front matter ({problem})",
                              "write the front matter as 'key: value' lines") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ImportFileError(
            f"{path}:2: bad front matter (a {type(loaded).__name__}, not 'key: value' lines)",
            "write the front matter as 'key: value' lines",
        )
    return {str(key): _metadata_value(value) for key, value in loaded.items() if value is not None}


def _metadata_value(value: object) -> str:
    import yaml

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    # Nested YAML is dumped, not str()-ed: str() expands aliases without bound.
    return str(yaml.safe_dump(value, allow_unicode=True, default_flow_style=True)).strip()


# --- zipped documents -----------------------------------------------------------------


def _check_zip(path: Path, data: bytes, kind: str) -> None:
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
    if len(members) > MAX_ZIP_MEMBERS or total > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            f"{path}: refusing to unpack {len(members)} parts totalling {_size(total)} MB "
            f"(the limit is {_size(MAX_UNZIPPED_BYTES)} MB)", bomb_hint)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _MB and ratio > MAX_ZIP_RATIO:
            raise ImportFileError(
                f"{path}: refusing to unpack '{member.filename}', compressed {ratio:.0f}:1",
                bomb_hint)


def _unreadable(path: Path, kind: str) -> ImportFileError:
    return ImportFileError(f"{path}: not a readable {kind} (corrupt or truncated)",
                           _RESAVE_HINT.format(kind=kind))


def _join_paragraphs(paragraphs: Iterator[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p.strip())


def _read_docx(path: Path, data: bytes) -> ExtractedText:
    _check_zip(path, data, ".docx")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        text = _join_paragraphs(_docx_paragraphs(document.element.body))
        metadata = _docx_metadata(document)
    except Exception as exc:  # python-docx passes on whatever its zip and XML layers raise
        raise _unreadable(path, ".docx") from exc
    return _finish(path, text, metadata, None, empty="no text in the document")


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


def _read_odt(path: Path, data: bytes) -> ExtractedText:
    _check_zip(path, data, ".odt")
    try:
        from odf.opendocument import load

        document = load(io.BytesIO(data))
    except Exception as exc:  # odfpy passes on whatever its zip and XML layers raise
        raise _unreadable(path, ".odt") from exc
    mimetype = str(document.mimetype)
    if not mimetype.startswith("application/vnd.oasis.opendocument.text"):
        raise ImportFileError(f"{path}: not an OpenDocument text file ({mimetype})",
                              _SUPPORTED_HINT)
    notes: list[str] = []
    try:
        text = _join_paragraphs(_odf_paragraphs(document.text, notes))
        metadata = _odf_metadata(document.meta)
    except (AttributeError, ValueError) as exc:  # malformed elements or attributes
        raise _unreadable(path, ".odt") from exc
    if notes and text:
        text += f"\n\n{FOOTNOTE_HEADING}\n\n" + "\n\n".join(notes)
    return _finish(path, text, metadata, None, empty="no text in the document")


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


# --- RTF ------------------------------------------------------------------------------

_RTF_LINE = re.compile(rb"(?<!\\)\\line(?![A-Za-z0-9]) ?")
_RTF_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _read_rtf(path: Path, data: bytes) -> ExtractedText:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportFileError(f"{path}: not an RTF file (it does not start with '{{\\rtf')",
                              _SUPPORTED_HINT)
    from striprtf.striprtf import rtf_to_text

    # RTF is 7-bit; stray 8-bit bytes belong to the document's code page (\ansicpg), which
    # striprtf applies to \'xx escapes, so turn them into escapes.
    source = _RTF_HIGH_BYTE.sub(lambda m: b"\\'%02x" % m.group()[0], data)
    # striprtf turns both \par and \line into "\n". A braced \u8232 (LINE SEPARATOR) keeps
    # line breaks apart from paragraphs; the braces stop \uc skipping the next character.
    source = _RTF_LINE.sub(rb"{\\u8232}", source)
    plain = rtf_to_text(source.decode("ascii"), errors="replace")
    # \uN escapes come one UTF-16 unit at a time; pair up the surrogates.
    plain = plain.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _finish(path, plain.replace("\n", "\n\n"), {}, None,
                   empty="no text in the document")


# --- PDF ------------------------------------------------------------------------------


def _read_pdf(path: Path, data: bytes) -> ExtractedText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if b"%PDF-" not in data[:1024]:
        raise _not_pdf(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except DependencyError as exc:
        raise _aes(path) from exc
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise _not_pdf(path) from exc
    if encrypted:
        _decrypt(path, reader)
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # as above
        raise _not_pdf(path) from exc
    text = normalise_text(rebuild_pdf_text(pages)) if any(p.strip() for p in pages) else ""
    if not text:
        raise ImportFileError(f"{path}: PDF has no text layer (scanned?); OCR it first",
                              "run it through OCR (for example ocrmypdf) and import the result")
    return ExtractedText(text=text, metadata={}, encoding=None)


def _not_pdf(path: Path) -> ImportFileError:
    return ImportFileError(f"{path}: not a readable PDF (corrupt or truncated)",
                           "open it in a PDF viewer and save or print it to a new PDF")


_UNPROTECT_HINT = "save an unprotected copy (print to PDF) and import that"


def _aes(path: Path) -> ImportFileError:
    # pypdf needs the optional 'cryptography' package for AES, even without a password.
    return ImportFileError(f"{path}: encrypted PDF (AES, which kasus cannot open)",
                           _UNPROTECT_HINT)


def _decrypt(path: Path, reader: Any) -> None:
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    try:
        opened = reader.decrypt("")
    except DependencyError as exc:
        raise _aes(path) from exc
    except Exception as exc:  # pypdf's crypto layer raises assorted errors
        raise ImportFileError(f"{path}: encrypted PDF", _UNPROTECT_HINT) from exc
    if opened == PasswordType.NOT_DECRYPTED:
        raise ImportFileError(f"{path}: encrypted PDF (it needs a password)", _UNPROTECT_HINT)


_READERS: dict[str, Callable[[Path, bytes], ExtractedText]] = {
    ".txt": _read_txt,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".docx": _read_docx,
    ".odt": _read_odt,
    ".rtf": _read_rtf,
    ".pdf": _read_pdf,
}
