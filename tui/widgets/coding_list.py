"""The codings at the cursor (code, coder, memo) and the document's orphaned codings."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from kasus.model import Code, Coding

QUOTE_CHARS = 60


def _coding_text(coding: Coding, code: Code | None, glyph: str) -> Text:
    colour = code.colour if code else "#888888"
    label = code.label_nb if code else coding.code_id
    text = Text.assemble(("■ ", colour))
    text.append(f"{coding.code_id}", style="bold")
    text.append(f"  {coding.start}–{coding.end}  {glyph}{coding.coder}\n", style="dim")
    text.append(f"  {label}\n")
    if coding.status == "fuzzy":
        text.append("  re-anchored (fuzzy): check the span\n", style="italic yellow")
    text.append(f"  memo: {coding.memo}\n" if coding.memo else "  (no memo: m)\n",
                style="italic" if coding.memo else "dim")
    return text


def _orphan_text(coding: Coding) -> Text:
    quote = coding.quote if len(coding.quote) <= QUOTE_CHARS else coding.quote[:QUOTE_CHARS] + "…"
    text = Text("⚠ ", style="bold red")
    text.append(f"{coding.code_id} ", style="bold")
    text.append(f"{coding.coder}: “{quote}”\n", style="dim")
    return text


class CodingList(Static):
    """What is coded where the cursor stands, with coder and memo."""

    def show_codings(self, here: list[Coding], orphaned: list[Coding],
                     codes: dict[str, Code], quick: list[str],
                     glyphs: dict[str, str] | None = None, me: str = "") -> None:
        """Render the codings at the cursor, the orphaned ones, the coders' margin marks and
        the quick-code keys."""
        # A coder's glyph only tells something when the note holds several coders' codings.
        glyphs = glyphs if glyphs and len(glyphs) > 1 else {}
        parts: list[Text] = [Text("Codings at the cursor", style="bold underline")]
        if here:
            parts += [_coding_text(coding, codes.get(coding.code_id), glyphs.get(coding.coder, ""))
                      for coding in here]
        else:
            parts.append(Text("none here — select text and press c", style="dim"))
        if orphaned:
            parts.append(Text(f"\nOrphaned ({len(orphaned)}): text no longer found — select "
                              "its passage and press A, or X to remove", style="bold red"))
            parts += [_orphan_text(coding) for coding in orphaned]
        if len(glyphs) > 1:
            legend = Text("\nCoders (o: all/mine/others): ", style="bold")
            for coder, glyph in glyphs.items():
                legend.append(f"{glyph}{coder}{' (you)' if coder == me else ''}  ")
            parts.append(legend)
        if quick:
            keys = Text("\nQuick codes: ", style="bold")
            for number, code_id in enumerate(quick, start=1):
                if not code_id:
                    continue
                keys.append(f"{number} ", style="bold")
                colour = codes[code_id].colour if code_id in codes else "#888888"
                keys.append("■", style=colour)
                keys.append(f"{code_id}  ")
            parts.append(keys)
        self.update(Group(*parts))
