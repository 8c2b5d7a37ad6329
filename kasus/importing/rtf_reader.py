"""Read RTF documents with striprtf, keeping line breaks apart from paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from kasus.errors import ImportFileError
from kasus.importing.extracted import SUPPORTED_HINT, ExtractedText, finish

__all__ = ["read_rtf"]

_RTF_LINE = re.compile(rb"(?<!\\)\\line(?![A-Za-z0-9]) ?")
_RTF_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def read_rtf(path: Path, data: bytes) -> ExtractedText:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise ImportFileError(f"{path}: not an RTF file (it does not start with '{{\\rtf')",
                              SUPPORTED_HINT)
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
    return finish(path, plain.replace("\n", "\n\n"), {}, None,
                  empty="no text in the document")
