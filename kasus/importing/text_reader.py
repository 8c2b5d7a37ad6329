"""Read plain text and Markdown notes: encoding detection, hard wraps and YAML front matter."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path

from kasus.errors import ImportFileError
from kasus.importing.extracted import SUPPORTED_HINT, ExtractedText, finish
from kasus.importing.normalise import (
    normalise_text,
    reflow_hard_wrapped,
    strip_markdown_headings,
)

__all__ = ["read_markdown", "read_txt"]

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
_STRAY_NUL_SHARE = 0.001


def _binary(path: Path) -> ImportFileError:
    return ImportFileError(f"{path}: binary file, not text", SUPPORTED_HINT)


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
        if data.count(0) > _STRAY_NUL_SHARE * len(data):
            return _decode_utf16_without_bom(path, data)
        # A NUL or two in a text note (a broken editor, a cut-off sync): no text of record
        # keeps NULs (normalise_text drops them), so drop them here and read the rest.
        data = data.replace(b"\x00", b"")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _BINARY_CONTROL_SHARE * len(data):
        raise _binary(path)
    return _decode_without_bom(path, data)


def _decode_utf16_without_bom(path: Path, data: bytes) -> tuple[str, str]:
    """UTF-16 saved without a byte-order mark (Windows tools do this) has a NUL in every
    other byte for Latin text; anything else with NULs is binary."""
    high, low = data[0::2], data[1::2]
    for zeros, codec in ((low, "utf-16-le"), (high, "utf-16-be")):
        other = high if zeros is low else low
        if zeros.count(0) > 0.5 * len(zeros) and other.count(0) < 0.05 * len(other):
            try:
                text = data[: len(data) // 2 * 2].decode(codec)
            except UnicodeDecodeError:
                break
            controls = sum(1 for char in text if char < " " and char not in "\t\n\r")
            if controls <= _BINARY_CONTROL_SHARE * len(text):
                return text, codec
    raise _binary(path)


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


def read_txt(path: Path, data: bytes) -> ExtractedText:
    text, encoding = _decode_text(path, data)
    # Text saved or pasted from a PDF keeps the PDF's line ends, hyphens and page furniture;
    # every line break would end a sentence. Notes written as text come through untouched.
    rebuilt = reflow_hard_wrapped(text)
    if rebuilt is None:
        return finish(path, text, {}, encoding)
    return finish(path, rebuilt.text, {}, encoding,
                  repairs=(f"reflowed hard-wrapped text: {rebuilt.describe()}",))


_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


def read_markdown(path: Path, data: bytes) -> ExtractedText:
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
    return finish(path, body, metadata, encoding)


def _front_matter(path: Path, source: str) -> dict[str, str]:
    from kasus.safe_yaml import YamlProblem, load_yaml

    try:
        _, loaded = load_yaml(source)
    except YamlProblem as problem:
        line = problem.line + 1 if problem.line else 2  # +1 for the opening '---'
        raise ImportFileError(f"{path}:{line}: bad front matter ({problem.problem})",
                              "write the front matter as 'key: value' lines") from None
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
