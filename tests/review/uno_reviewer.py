"""Review a DOCX in LibreOffice through UNO, as a person would, and save it as Word.

Run with the system Python that has python3-uno (/usr/bin/python3), not the
project's environment:

    /usr/bin/python3 uno_reviewer.py PIPE IN.docx OUT.docx EDITS.json

PIPE names the pipe a headless soffice accepts on (`--accept=pipe,name=PIPE;urp;`).
EDITS.json is a list of steps, each a dict with "do" and its arguments:

    {"do": "author", "name": "Lena"}                  who the next steps are recorded as
    {"do": "replace", "find": "actively", "with": "consistently"}
    {"do": "delete", "find": "The Consensus is ... efforts. "}
    {"do": "insert_after", "find": "Mediation", "text": " and Dispute Resolution"}
    {"do": "comment", "find": "Chiang Mai", "text": "Check the place"}
    {"do": "footnote_after", "find": "director.", "text": "Interview, 2017."}
    {"do": "footnote_insert", "note": 0, "find": "Interview", "text": "Recorded "}

"find" searches the body and then the footnotes; "occurrence" picks a later hit.
Changes are recorded (Edit > Track Changes > Record) from the first step on.
"""

from __future__ import annotations

import json
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    """Return a PropertyValue."""
    value_holder = PropertyValue()
    value_holder.Name, value_holder.Value = name, value
    return value_holder


def connect(pipe: str):
    """Return the desktop of the soffice listening on `pipe`, waiting up to 60 s for it."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return context, desktop


def set_author(context, name: str) -> None:
    """Set the user name LibreOffice records changes and comments under."""
    provider = context.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", context)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", "/org.openoffice.UserProfile/Data"),)
    )
    first, _, last = name.partition(" ")
    access.setPropertyValue("givenname", first)
    access.setPropertyValue("sn", last)
    access.setPropertyValue("initials", "".join(word[0] for word in name.split()))
    access.commitChanges()


def find(doc, text: str, occurrence: int = 0):
    """Return the text range of the `occurrence`-th hit of `text`, in the body or else in the footnotes."""
    search = doc.createSearchDescriptor()
    search.SearchString = text
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    for _ in range(occurrence):
        found = doc.findNext(found.End, search) if found is not None else None
    if found is not None:
        return found
    for index in range(doc.Footnotes.Count):
        note = doc.Footnotes.getByIndex(index)
        cursor = note.Text.createTextCursor()
        whole = note.Text.String
        at = whole.find(text)
        if at >= 0:
            cursor.gotoStart(False)
            cursor.goRight(at, False)
            cursor.goRight(len(text), True)
            return cursor
    raise SystemExit(f"not found: {text!r}")


def step(context, doc, edit: dict, author: list[str]) -> None:
    """Make one edit; `author` holds the current author's name."""
    kind = edit["do"]
    if kind == "author":
        set_author(context, edit["name"])
        author[:] = [edit["name"]]
        return
    found = find(doc, edit["find"], edit.get("occurrence", 0))
    text = found.Text
    if kind == "replace":
        found.setString(edit["with"])
    elif kind == "delete":
        found.setString("")
    elif kind == "insert_after":
        text.insertString(found.End, edit["text"], False)
    elif kind == "comment":
        note = doc.createInstance("com.sun.star.text.textfield.Annotation")
        note.Content = edit["text"]
        note.Author = author[0]
        note.Initials = "".join(word[0] for word in author[0].split())
        note.DateTimeValue = uno.createUnoStruct("com.sun.star.util.DateTime", 0, 0, 0, 10, 28, 11, 2026, False)
        text.insertTextContent(found, note, True)
    elif kind == "footnote_after":
        note = doc.createInstance("com.sun.star.text.Footnote")
        cursor = text.createTextCursorByRange(found.End)
        text.insertTextContent(cursor, note, False)
        note.Text.insertString(note.Text.End, edit["text"], False)
    else:
        raise SystemExit(f"unknown step {kind!r}")


def main(pipe: str, source: str, target: str, edits_file: str) -> None:
    """Open `source`, make the edits with changes recorded, save `target` as Word 2007-365."""
    with open(edits_file, encoding="utf-8") as handle:
        edits = json.load(handle)
    context, desktop = connect(pipe)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    try:
        doc.lockControllers()  # no comment windows: they need a UI the headless build lacks
        doc.RecordChanges = True
        author = ["Reviewer"]
        for edit in edits:
            step(context, doc, edit, author)
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
    sys.stdout.flush()
    os._exit(0)  # the UNO bridge's threads can crash the interpreter's teardown (SIGSEGV) after the work is done
