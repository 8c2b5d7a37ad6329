"""Peer review: units of agreement, agreement statistics, merging coders, review decisions."""
