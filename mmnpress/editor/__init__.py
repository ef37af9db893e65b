"""`mmnpress edit`: a local web editor for statements, built from what exists.

The form comes from the JSON Schema of `schema_json` (fetched by the page at
run time), validation is `check`'s, the preview is the web page and PDF
writers run on the unsaved text (`source.pending`), and saving goes through
the comment-keeping writer of `review.yamledit`. The server answers only its
own user's browser (`loopback.Guard`) and reads only the project's files
(`workspace.py`).

- `formdata.py`: a statement as the plain data the form edits, and back to YAML
  (`merge`), changing only what the form changed;
- `workspace.py`: the project's files the browser may name, their versions, saving;
- `render.py`: preview, findings at their field, the bibliography;
- `messages.py`: the interface's words in the languages mmnpress has labels for;
- `server.py`: the HTTP server and its routes; `static/` the page.
"""
