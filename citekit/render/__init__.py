"""citekit.render."""
