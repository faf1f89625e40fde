"""Partnership registers."""
