"""kasus: terminal-first qualitative case-study coding."""

__version__ = "0.1.0"
