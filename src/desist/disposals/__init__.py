"""Out of court disposals."""
