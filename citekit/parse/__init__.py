"""citekit.parse."""
