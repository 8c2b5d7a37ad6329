"""Bring interview notes into a project: readers per format, and the import itself."""
