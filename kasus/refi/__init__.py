"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) to and from other QDA tools."""
