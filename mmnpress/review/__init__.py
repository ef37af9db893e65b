"""Read reviewed drafts back: comments and tracked changes, mapped to the YAML.

A draft DOCX wraps every rendered element in a hidden bookmark that encodes
its YAML path (see `mmnpress.render.bookmarks`) and records the statement file (relative
to the project folder) and its content hash. The stages here are: `safedocx`
(open an untrusted file within limits), `read` (walk the parts into comments,
tracked changes and bookmarked text), `mapping` (paths and generated lines to
FILE:LINE), `align` (rendered text to Markdown source), `notes` (footnotes to
the inline note, `notes:` entry or citation they came from), `yamledit`
(round-trip edits of the YAML), then `pull` and `apply`.
"""

from __future__ import annotations

from ..errors import ReviewError

__all__ = ["ReviewError"]  # declared in errors.py, below `safedocx`, which raises it too
