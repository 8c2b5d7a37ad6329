"""Read the text layer of PDF documents with pypdf, refusing encrypted and scanned ones."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from kasus.errors import ImportFileError
from kasus.importing.extracted import ExtractedText
from kasus.importing.normalise import normalise_text, rebuild_pdf_layout

__all__ = ["read_pdf"]

# pypdf logs and warns about every quirk of a damaged PDF; without a handler Python would
# print those to stderr. Applications that configure logging still receive them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def read_pdf(path: Path, data: bytes) -> ExtractedText:
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
    rebuilt = rebuild_pdf_layout(pages) if any(p.strip() for p in pages) else None
    text = normalise_text(rebuilt.text) if rebuilt is not None else ""
    if rebuilt is None or not text:
        raise ImportFileError(f"{path}: PDF has no text layer (scanned?); OCR it first",
                              "run it through OCR (for example ocrmypdf) and import the result")
    return ExtractedText(text=text, metadata={}, encoding=None,
                         repairs=(f"rebuilt PDF layout: {rebuilt.describe()}",))


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
