"""mmnpress: advocacy statements in YAML, built into Word and PDF."""

__version__ = "0.1.0"
