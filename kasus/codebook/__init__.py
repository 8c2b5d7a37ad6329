"""The codebook: its file (file.py) and a project's codes (codes.py)."""
