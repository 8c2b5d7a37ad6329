"""The kasus terminal workbench (Textual): renders and dispatches; the core owns the rules."""
