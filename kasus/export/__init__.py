"""Exports for team leads: theme summaries, matrices and coded-segment tables, as files."""
