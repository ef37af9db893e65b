"""Rebuild while a statement is edited: `watch` and the `preview` page it serves."""
