"""Text from outside made safe for a terminal: no escape sequences, control or bidi characters."""

from __future__ import annotations

import re

__all__ = ["escape_json_text", "has_unsafe_characters", "terminal_line", "terminal_text"]

# File names, notes, front matter and codebooks come from outside: an ESC in one can recolour
# the screen, move the cursor, set the window title or (in some terminals) write files; a
# bidi override makes a name or passage read differently from what is stored.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS …: titles, links, files
    r"|\x1b[ -/]*[0-~]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_UNSAFE_IN_TEXT = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u2028\u2029{_BIDI}]")
_UNSAFE_IN_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\u2028\u2029{_BIDI}]")
_UNSAFE_IN_JSON = re.compile(f"[\\x7f-\\x9f\u2028\u2029{_BIDI}]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def has_unsafe_characters(text: str) -> bool:
    """Whether terminal_text would change the text (cheap to ask first)."""
    return _UNSAFE_IN_TEXT.search(text) is not None


def terminal_text(text: str) -> str:
    """Text with line breaks and tabs kept, escape sequences and other controls removed."""
    return _UNSAFE_IN_TEXT.sub("", _ESCAPE_SEQUENCE.sub("", text))


def terminal_line(text: str) -> str:
    """A name on one line: every control or bidi character shown as an escape (\\x1b, \\n,
    \\u202e), so that a file called 'a\\nb' is listed, findable, as one line."""
    return _UNSAFE_IN_LINE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def escape_json_text(dumped: str) -> str:
    """JSON dumped with ensure_ascii=False, with the characters that steer a terminal written
    as \\u escapes: the same data for a script, harmless on a screen. json.dumps already
    escapes C0 controls; outside strings JSON is ASCII, so this only touches string values."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
