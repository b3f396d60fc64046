"""citekit.normalise."""
