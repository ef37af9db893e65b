"""Edits inside a named note's footnote reach its `notes:` entry, in the cases a first search for a lost edit had not tried.

Each case builds a draft of the seed statement with a `[^bavet]` reference
placed somewhere, makes a tracked change in its footnote as Word writes one
(a deletion and an insertion splitting the run; with rsids, proofing marks
and a bookmark where said), runs `review apply` and reads the YAML back.
"""

from __future__ import annotations

import re
import zipfile

import pytest
import yaml
from review.drafts import SEED, rezip

NOTE = "The Bavet special economic zone employs over 40,000 workers."
CITED = "The Bavet zone employs over 40,000 workers [@tfamw2009, 12]."  # its citation prints "ibid., 12" after body[2]'s
EDITED = NOTE.replace("over 40,000", "about 45,000")
END_OF_BODY_4 = "principles of democracy, the rule of law and good governance.\n"
RUN = re.compile(r"<w:r(?: [^>]*)?>(<w:rPr>(?:(?!</w:r>).)*?</w:rPr>)?<w:t(?: [^>]*)?>([^<]*)</w:t></w:r>")


def _tracked(xml: str, old: str, new: str, occurrence: int = 0, run_attributes: str = "") -> str:
    """Replace `old` with `new` in the `occurrence`-th footnote run holding it, as a tracked deletion and insertion."""
    found = [m for m in RUN.finditer(xml) if old in m[2]][occurrence]
    properties, text = found[1] or "", found[2]
    before, after = text.split(old, 1)

    def run(words: str, tag: str = "w:t") -> str:
        return f'<w:r{run_attributes}>{properties}<{tag} xml:space="preserve">{words}</{tag}></w:r>' if words else ""

    change = 'w:author="Dana" w:date="2026-11-28T10:00:00Z"'
    pieces = run(before) + f'<w:del w:id="9001" {change}>{run(old, "w:delText")}</w:del>'
    pieces += f'<w:ins w:id="9002" {change}>{run(new)}</w:ins>' if new else ""
    return xml[:found.start()] + pieces + run(after) + xml[found.end():]


def _word_pane(xml: str) -> str:
    """Edit as in Word's footnote pane: rsids on the runs, proofing marks and a bookmark splitting the note's text."""
    xml = _tracked(xml, "over 40,000", "about 45,000", run_attributes=' w:rsidR="00A1B2C3" w:rsidRPr="00D4E5F6"')
    xml = xml.replace(">The Bavet special", '><w:proofErr w:type="spellStart"/>The Bavet special', 1)
    return xml.replace("economic zone employs ", 'economic zone employs </w:t></w:r><w:bookmarkStart w:id="77" w:name="_Hlk1"/>'
                       '<w:proofErr w:type="spellEnd"/><w:bookmarkEnd w:id="77"/><w:r w:rsidR="00112233"><w:t xml:space="preserve">', 1)


CASES = {
    "in a recommendation's title": (("- title: Mediation\n", "- title: Mediation[^bavet]\n"), NOTE,
                                    lambda x: _tracked(x, "over 40,000", "about 45,000"), EDITED),
    "holding a citation printed as ibid.": (("Secretariat.[@tfamw2009, 9]\n", "Secretariat.[@tfamw2009, 9][^bavet]\n"), CITED,
                                            lambda x: _tracked(x, "over 40,000", "about 45,000"), CITED.replace("over 40,000", "about 45,000")),
    "its first character": ((END_OF_BODY_4, END_OF_BODY_4.replace(".\n", ".[^bavet]\n")), NOTE,
                            lambda x: _tracked(x, "The Bavet", "Bavet's"), NOTE.replace("The Bavet", "Bavet's")),
    "its last word deleted": ((END_OF_BODY_4, END_OF_BODY_4.replace(".\n", ".[^bavet]\n")), NOTE,
                              lambda x: _tracked(x, " workers", ""), NOTE.replace(" workers", "")),
    "the second of two footnotes it prints": ((END_OF_BODY_4, END_OF_BODY_4.replace(".\n", ".[^bavet]\n")), NOTE,
                                              lambda x: _tracked(x, "over 40,000", "about 45,000", occurrence=1), EDITED),
    "in Word's footnote pane": ((END_OF_BODY_4, END_OF_BODY_4.replace(".\n", ".[^bavet]\n")), NOTE, _word_pane, EDITED),
}


@pytest.mark.parametrize("case", list(CASES))
def test_edit_in_a_named_note_is_applied(project, cli, case):
    (old, new), note, edit, expected = CASES[case]
    seed = project / SEED
    text = seed.read_text(encoding="utf-8").replace(old, new, 1)
    if case.startswith("the second"):
        text = text.replace("policy dialogues wherever possible.\n", "policy dialogues wherever possible.[^bavet]\n", 1)
    seed.write_text(f"{text}\nnotes:\n  bavet: {note}\n", encoding="utf-8")
    assert cli("build", SEED, "--to", "docx", "-o", "build").exit_code == 0
    draft = project / "build" / "2017-11-22-asean-consensus.docx"
    with zipfile.ZipFile(draft) as archive:
        footnotes = archive.read("word/footnotes.xml").decode("utf-8")
    reviewed = rezip(draft, project / "reviewed.docx", {"word/footnotes.xml": edit(footnotes).encode("utf-8")})
    result = cli("review", "apply", str(reviewed))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(seed.read_text(encoding="utf-8"))["notes"]["bavet"] == expected
