"""Plain, frozen domain records returned by the core; the TUI and CLI only read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    kind: str | None = None
    population: int | None = None
    county: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Code:
    id: str
    parent_id: str | None
    kind: str
    label_nb: str
    label_en: str
    colour: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    indicators: tuple[int, ...] = ()
    context_indicators: tuple[int, ...] = ()
    goals: tuple[str, ...] = ()
    status: str = "active"
    position: int = 0

    @property
    def label(self) -> str:
        """Both labels, Norwegian first, as researchers read them."""
        return f"{self.label_nb} / {self.label_en}"


@dataclass(frozen=True)
class IndicatorValue:
    year: int
    value: float | None
    qualifier: str = ""
    kind: str = "level"
    origin: str = "status2019"
    confidence: str = ""
    quote: str = ""
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    id: int
    area: str
    type: str
    name_nb: str
    source: str
    unit: str
    note: str = ""
    values: tuple[IndicatorValue, ...] = field(default=())
    desired: str = "neither"  # "up", "down" or "neither": which way is better

    def levels(self, origin: str | None = None) -> dict[int, float]:
        """Yearly level values (the only ones that continue a trend line), by year."""
        return {
            v.year: v.value
            for v in self.values
            if v.kind == "level" and v.value is not None and origin in (None, v.origin)
        }


class Segment(NamedTuple):
    """A sentence or paragraph of a document version. A tuple: an import makes ~60 per
    thousand words, and a frozen dataclass cost a microsecond each to build."""

    kind: str
    ordinal: int
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    id: str
    site_id: str
    title: str
    text: str
    role: str | None = None
    informant: str | None = None
    date: str | None = None
    interviewer: str | None = None
    round: int | None = None
    source_path: str | None = None
    version: int = 1
    content_hash: str = ""
    word_count: int = 0


@dataclass(frozen=True)
class Coding:
    id: int
    document_id: str
    code_id: str
    start: int
    end: int
    quote: str
    coder: str
    memo: str = ""
    origin: str = "manual"
    status: str = "anchored"
    anchor_score: float | None = None
    document_version: int = 1
    created_at: str = ""


@dataclass(frozen=True)
class EvidenceLink:
    """A coded passage tied to an indicator it supports, contradicts, nuances or explains."""

    id: int
    coding_id: int
    indicator_id: int
    stance: str
    note: str
    coder: str
    created_at: str
    # The coding as it stands now: where the passage is and whether it is still placed.
    document_id: str = ""
    site_id: str = ""
    role: str | None = None
    code_id: str = ""
    quote: str = ""
    start: int = 0
    end: int = 0
    coding_status: str = "anchored"
    coding_coder: str = ""
