"""Translations of a statement: the skeleton of a new one, and the translators' round trip of its fields.

`skeleton` starts a translation (`new --translate`): `extends:` and every
translatable key of the original, commented. The round trip takes the
translatable fields out to XLIFF, PO or a bilingual Word file, and back:

`segments` names the fields, `inline` turns their Markdown into protected
codes, `exporter` decides what an export holds (with `memory`, the project's
own translation memory, and `history`, earlier sources from git), one module
per format writes and reads it (`xliff`, `po`, `docx`), and `importer` checks
what comes back and writes the translation file.
"""
