"""Coding: applying codes to spans, re-anchoring them on new versions, undo, batch files."""
