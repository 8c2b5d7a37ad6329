"""Evidence: the indicator set, its trends, and coded passages linked to indicators."""
