"""What a code means, as the coder needs it at hand: labels, definition, include, exclude."""

from __future__ import annotations

from rich.text import Text

from kasus.model import Code


def code_info(code: Code, examples: int = 2) -> Text:
    """Both labels, then the definition, the include and exclude rules and a few examples."""
    text = Text.assemble(("■ ", code.colour), (code.id, "bold"))
    text.append(f"\n{code.label_nb}\n", style="bold")
    text.append(f"{code.label_en}\n", style="dim")
    if code.definition:
        text.append(f"\n{code.definition}\n")
    for heading, body in (("Include", code.include), ("Exclude", code.exclude)):
        if body:
            text.append(f"\n{heading}: ", style="bold")
            text.append(f"{body}\n")
    for example in code.examples[:examples]:
        text.append(f"\n«{example}»", style="italic")
    return text
