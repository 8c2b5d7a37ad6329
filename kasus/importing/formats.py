"""Read interview notes from files into normalised text and metadata."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from pathlib import Path

from kasus.errors import ImportFileError, KasusError
from kasus.importing.extracted import MB, ExtractedText, size_mb
from kasus.importing.normalise import normalise_text
from kasus.importing.office_reader import ZipLimits, read_docx, read_odt
from kasus.importing.pdf_reader import read_pdf
from kasus.importing.rtf_reader import read_rtf
from kasus.importing.text_reader import read_markdown, read_txt

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_FILE_MB_VARIABLE",
    "SUPPORTED_SUFFIXES",
    "ExtractedText",
    "extract",
    "normalise_text",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".txt", ".md", ".markdown", ".docx", ".odt", ".rtf", ".pdf"}
)
MAX_FILE_BYTES: int = 50 * MB  # the default; KASUS_MAX_FILE_MB sets another
MAX_FILE_MB_VARIABLE = "KASUS_MAX_FILE_MB"
MAX_UNZIPPED_BYTES: int = 200 * MB
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_RATIO = 200  # real Office XML packs 5-30:1; zip bombs pack 1000:1 and more


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
    data = _read_bytes(path, max_file_bytes())
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


def max_file_bytes() -> int:
    """The largest file kasus reads: KASUS_MAX_FILE_MB megabytes if set, else 50 MB."""
    value = os.environ.get(MAX_FILE_MB_VARIABLE, "").strip()
    if not value:
        return MAX_FILE_BYTES
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = 0
    if not 0 < megabytes < 1e6:
        raise KasusError(f"{MAX_FILE_MB_VARIABLE}={value!r} is not a size in megabytes",
                         f"set it to a number such as 200, or unset it for the default "
                         f"{size_mb(MAX_FILE_BYTES)} MB")
    return int(megabytes * MB)


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        if path.is_symlink() and not path.exists():
            raise ImportFileError(f"{path}: broken or looping symbolic link",
                                  "point the link at a document file, or remove it")
        if not path.is_file():
            reason = "not a regular file" if path.exists() else "file not found"
            raise ImportFileError(f"{path}: {reason}", "give the path of a document file")
        if path.stat().st_size > limit:
            raise _too_large(path, path.stat().st_size, limit)
        with path.open("rb") as handle:
            # Read one byte past the limit instead of trusting stat(): the file may grow.
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ImportFileError(
            f"{path}: cannot read the file ({exc.strerror or exc})",
            "check that the file exists and that you may read it",
        ) from exc
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


def _too_large(path: Path, size: int, limit: int) -> ImportFileError:
    return ImportFileError(
        f"{path}: file too large ({size_mb(size)} MB; the limit is {size_mb(limit)} MB)",
        f"split the document into smaller files, or raise the limit with "
        f"{MAX_FILE_MB_VARIABLE}=<megabytes>",
    )


# --- dispatch by suffix ---------------------------------------------------------------


def zip_limits() -> ZipLimits:
    # Looked up at call time, so that changes to this module's limits take effect.
    return ZipLimits(max_unzipped_bytes=MAX_UNZIPPED_BYTES, max_members=MAX_ZIP_MEMBERS,
                     max_ratio=MAX_ZIP_RATIO)


def _read_docx(path: Path, data: bytes) -> ExtractedText:
    return read_docx(path, data, zip_limits())


def _read_odt(path: Path, data: bytes) -> ExtractedText:
    return read_odt(path, data, zip_limits())


_READERS: dict[str, Callable[[Path, bytes], ExtractedText]] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": _read_docx,
    ".odt": _read_odt,
    ".rtf": read_rtf,
    ".pdf": read_pdf,
}
