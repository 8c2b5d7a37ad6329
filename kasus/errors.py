"""Errors a user can cause: each names the file, line or value at fault and what to do."""

from __future__ import annotations


class KasusError(Exception):
    """A problem with the user's input or project, reported as one line without a traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ProjectError(KasusError):
    """The project file is missing, not a kasus project, or from a newer kasus."""


class CodebookError(KasusError):
    """The codebook file is invalid; the message names file:line."""


class ImportFileError(KasusError):
    """One file could not be read as a document; the message names the path and reason."""


class NotFoundError(KasusError):
    """A document, code, coding or indicator that the user named does not exist."""
