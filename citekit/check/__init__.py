"""citekit.check."""
