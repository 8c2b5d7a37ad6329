"""The text of record of one imported file, and the helpers every format reader shares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kasus.errors import ImportFileError
from kasus.importing.normalise import normalise_text

__all__ = ["MB", "SUPPORTED_HINT", "ExtractedText", "finish", "size_mb"]

MB = 1024 * 1024
SUPPORTED_HINT = "import .txt .md .docx .odt .rtf or .pdf files"


@dataclass(frozen=True)
class ExtractedText:
    """The text of record of one file, with whatever metadata the file carried."""

    text: str
    metadata: dict[str, str]
    encoding: str | None
    # What the reader repaired in the text, one sentence each, for the import report:
    # "reflowed hard-wrapped text: 612 lines into 71 paragraphs, 290 hyphenations joined".
    repairs: tuple[str, ...] = ()


def size_mb(n: int) -> str:
    value = n / MB
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


def finish(path: Path, raw: str, metadata: dict[str, str], encoding: str | None,
           empty: str = "empty file", repairs: tuple[str, ...] = ()) -> ExtractedText:
    text = normalise_text(raw)
    if not text:
        raise ImportFileError(f"{path}: {empty}", "a document needs some text to code")
    return ExtractedText(text=text, metadata=metadata, encoding=encoding, repairs=repairs)
