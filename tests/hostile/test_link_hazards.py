"""Hazards beyond the issue's list: links in statement text.

A Markdown link may name any target. Word opens a `file://` target, runs a
UNC path (`\\\\server\\share`) through SMB, handing the reader's Windows
credentials to that server, when a reader clicks it. Only http(s), mailto and
tel links become links, in the DOCX as in the PDF; the rest print as text.
"""

from __future__ import annotations

import zipfile

from docx import Document

from tests.conftest import MINIMAL
from tests.hostile.helpers import mmnpress

BODY = ("'See [local](file:///etc/passwd), [script](javascript:alert(1)), [share](\\\\\\\\evil\\share\\x), "
        "[data](data:text/html,hi), [web](https://example.org/a?b=1&c=2) and <mailto:a@example.org>.'")
UNSAFE = ("file:", "javascript:", "\\\\evil", "data:")


def test_only_web_and_mail_links_become_links(project):
    (project / "statements" / "links.yaml").write_text(MINIMAL.replace("First paragraph.", BODY), encoding="utf-8")
    run = mmnpress("build", "statements/links.yaml", cwd=project)
    assert run.status == 0, run.stderr
    docx = project / "build" / "links.docx"
    with zipfile.ZipFile(docx) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    assert not [u for u in UNSAFE if u in rels], rels
    assert "https://example.org/a?b=1&amp;c=2" in rels and "mailto:a@example.org" in rels
    text = " ".join(p.text for p in Document(str(docx)).paragraphs)
    assert "See local, script, share, data, web and mailto:a@example.org." in text
    from pypdf import PdfReader

    targets = [str(a.get_object()["/A"].get("/URI", "")) for page in PdfReader(project / "build" / "links.pdf").pages
               for a in page.get("/Annots", [])]
    assert not [t for t in targets if t.startswith(UNSAFE)], targets
