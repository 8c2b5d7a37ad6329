"""App-wide messages: requests to show a document and progress of a folder import."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

# Where a search hit or a coded passage lies: (document id, start, end) in the text of record.
Jump = tuple[str, int, int]


@dataclass
class ShowDocument(Message):
    """Open a document, optionally selecting text[start:end]."""

    document_id: str
    start: int | None = None
    end: int | None = None


@dataclass
class ImportProgressed(Message):
    """One more file of a folder import is done."""

    done: int
    total: int
    path: str
    status: str

    def can_replace(self, message: Message) -> bool:
        # Only the latest progress matters to a progress bar; stale ones may be dropped.
        return isinstance(message, ImportProgressed)


@dataclass
class ImportFinished(Message):
    """A folder import ended; counts by status, and the first failures to show."""

    counts: dict[str, int]
    failures: list[str]
