"""The document's outline: sections from the schema in reading order, the profile's layout applied in every format."""

from __future__ import annotations

import dataclasses
import email
import subprocess
from email import policy

import docx

from mmnpress import schema
from mmnpress.document import Profile
from mmnpress.outline import slots

RELEASE = "statements/2018-01-22-garment-workshops.yaml"
PAPER = "statements/2018-06-01-sez-garment-workers.yaml"
PROFILE = Profile("mmn", "Mekong Migration Network", "MMN")


def _keys(kind: str, **layout) -> list[str]:
    return [slot.key for slot in slots(kind, dataclasses.replace(PROFILE, **layout))]


def test_the_sections_follow_the_schema_reading_order():
    order = list(schema.TOP_KEYS)
    keys = [k for k in _keys("statement") if k in order]
    assert keys == sorted(keys, key=order.index)
    assert _keys("statement")[:3] == ["title", "subtitle", "date_line"]
    assert "notes_to_editors" not in _keys("statement") and "notes_to_editors" in _keys("press-release")


def test_the_layout_options_move_sections():
    assert _keys("press-release", contacts="top").index("contacts") < _keys("press-release", contacts="top").index("summary")
    assert _keys("press-release").index("contacts") > _keys("press-release").index("about")
    after = _keys("position-paper", about_position="after-references")
    assert after.index("references") < after.index("about") < after.index("contacts")
    assert _keys("statement", contacts="top") == _keys("statement")  # a press release's option only


def _set(project, line: str) -> None:
    profile = project / "templates" / "mmn" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def _texts(project, stem: str) -> dict[str, str]:
    """Return the text of every format built for `stem`, spaces folded."""
    build = project / "build"
    message = email.message_from_bytes((build / f"{stem}.eml").read_bytes(), policy=policy.default)
    texts = {
        "docx": "\n".join(p.text for p in docx.Document(str(build / f"{stem}.docx")).paragraphs),
        "pdf": subprocess.run(["pdftotext", str(build / f"{stem}.pdf"), "-"], capture_output=True, text=True, check=True).stdout,
        "html": (build / f"{stem}.html").read_text(encoding="utf-8"),
        "email": message.get_body(("plain",)).get_content(),
        "ninjs": (build / f"{stem}.ninjs.json").read_text(encoding="utf-8"),
    }
    return {fmt: " ".join(text.split()) for fmt, text in texts.items()}


def test_contacts_top_reaches_every_format(project, cli):
    _set(project, "contacts: top")
    assert cli("build", RELEASE, "--to", "docx,pdf,html,email,ninjs").exit_code == 0
    for fmt, text in _texts(project, "2018-01-22-garment-workshops").items():
        assert text.index("Media contacts") < text.index("On 15 January, 21 representatives"), fmt


def test_about_after_references_reaches_every_format(project, cli):
    _set(project, "about_position: after-references")
    assert cli("build", PAPER, "--to", "docx,pdf,html,email,ninjs").exit_code == 0
    for fmt, text in _texts(project, "2018-06-01-sez-garment-workers").items():
        text = text.lower()  # plain text prints headings in capitals
        assert text.index("references") < text.index("about mmn"), fmt
