"""Translators' round trip: a statement's translatable fields out to XLIFF, PO or a bilingual Word file, and back.

`segments` names the fields, `inline` turns their Markdown into protected
codes, `exporter` decides what an export holds (with `memory`, the project's
own translation memory, and `history`, earlier sources from git), one module
per format writes and reads it (`xliff`, `po`, `docx`), and `importer` checks
what comes back and writes the translation file.
"""
