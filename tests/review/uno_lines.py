"""Print the lines LibreOffice lays out a DOCX's body paragraphs in, as JSON: one list of lines per paragraph.

Run with the system Python that has python3-uno:

    /usr/bin/python3 uno_lines.py PIPE IN.docx

The view cursor walks each paragraph line by line as the layout made the
lines, so what comes back is where a reader of the Word file sees each line end.
"""

from __future__ import annotations

import json
import os
import sys

import uno
from uno_reviewer import connect, prop


def paragraph_lines(doc, paragraph) -> list[str]:
    """Return the lines of one laid-out paragraph."""
    view = doc.getCurrentController().getViewCursor()
    view.gotoRange(paragraph.getStart(), False)
    lines = []
    while True:
        view.gotoEndOfLine(True)
        lines.append(view.getString())
        view.collapseToEnd()
        if doc.Text.compareRegionEnds(view, paragraph) <= 0 or not view.goRight(1, False):
            return lines
        view.gotoStartOfLine(False)


def main(pipe: str, path: str) -> None:
    _, desktop = connect(pipe)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
    try:
        paragraphs = doc.Text.createEnumeration()
        found = []
        while paragraphs.hasMoreElements():
            paragraph = paragraphs.nextElement()
            if paragraph.supportsService("com.sun.star.text.Paragraph"):
                found.append(paragraph_lines(doc, paragraph))
    finally:
        doc.close(True)
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
    sys.stdout.flush()
    os._exit(0)  # the UNO bridge's threads can crash the interpreter's teardown (SIGSEGV) after the work is done
