"""Review loop with a real LibreOffice reviewer: edits made through UNO, saved as Word, pulled and applied.

One headless soffice serves the module; `review/uno_reviewer.py` runs under
the system python3 (python3-uno) and makes every edit in one document with
changes recorded, as a person would: a word replaced, a sentence deleted and
one inserted, the second phone number of a contact edited, comments on the
title, a recommendation and the dateline, an inline note's footnote edited
and a footnote inserted. The tests are skipped only where soffice or the
UNO bridge cannot be found.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import libreoffice
import pytest
import yaml
from review import drafts
from review.drafts import SEED, line_of, noted_statement, pulled, where

noted_draft = drafts.noted_draft
office = libreoffice.office
EDITS = [
    {"do": "author", "name": "Lena Office"},
    {"do": "replace", "find": "actively", "with": "consistently"},
    {"do": "delete", "find": "The Consensus is a result of these decade-long efforts. "},
    {"do": "insert_after", "find": "cooperative manner.", "text": " Mediation should be free of charge."},
    {"do": "replace", "find": "+66 869238313", "with": "+66 869238000"},
    {"do": "comment", "find": "cautiously welcomes the ASEAN Consensus", "text": "Title too long?"},
    {"do": "comment", "find": "Meaningful Dialogue with CSOs", "text": "Keep this one."},
    {"do": "comment", "find": "Chiang Mai", "text": "Was it signed here?"},
    {"do": "insert_after", "find": "since 2008", "text": " in Bangkok, Hanoi and Manila"},
    {"do": "footnote_after", "find": "countless CSO and government meetings", "text": "Over forty meetings."},
    {"do": "insert_after", "find": "signed in Manila", "text": ", the Philippines,"},
]
# What the YAML must say afterwards: one entry per change that belongs in it.
EXPECTED = {
    "word replaced": lambda d: "MMN has consistently engaged in ASEAN" in d["body"][1],
    "sentence deleted": lambda d: d["body"][4].startswith("On a positive note, the instrument"),
    "sentence inserted": lambda d: d["recommendations"]["items"][0]["text"].endswith(
        "cooperative manner. Mediation should be free of charge."),
    "phone edited": lambda d: d["contacts"][1]["phone"] == ["+66(53)283259", "+66 869238000"],
    "footnote edited": lambda d: d["body"][1].endswith("since 2008 in Bangkok, Hanoi and Manila.]"),
    "footnote inserted": lambda d: "government meetings^[Over forty meetings.] have been held" in d["body"][3],
    "named note edited": lambda d: d["notes"]["manila"] == "The Consensus was signed in Manila, the Philippines, on 14 November 2017.",
}


pytestmark = [pytest.mark.slow, libreoffice.needs_uno]


@pytest.fixture(scope="module")
def lo_reviewed(office, noted_draft, tmp_path_factory) -> Path:
    """Return the noted draft reviewed in LibreOffice with every edit of EDITS, saved as Word."""
    folder = tmp_path_factory.mktemp("lo-review")
    edits = folder / "edits.json"
    edits.write_text(json.dumps(EDITS), encoding="utf-8")
    out = folder / "reviewed.docx"
    libreoffice.run_script(office, "uno_reviewer.py", str(noted_draft), str(out), str(edits))
    return out


@pytest.fixture
def reviewed(project, lo_reviewed) -> Path:
    """Return a copy of the LibreOffice review inside a fresh project whose statement matches the draft."""
    (project / SEED).write_text(noted_statement((project / SEED).read_text(encoding="utf-8")), encoding="utf-8")
    return Path(shutil.copy(lo_reviewed, project / "reviewed.docx"))


def test_pull_maps_every_comment_and_change(project, cli, reviewed):
    data = pulled(cli, reviewed)
    comments = {c["text"]: where(c) for c in data["comments"]}
    assert all(c["author"] == "Lena Office" for c in data["comments"])
    assert comments == {
        "Title too long?": [("title", SEED, line_of(project, "Mekong Migration Network (MMN) cautiously"))],
        "Keep this one.": [("recommendations.items[2].title", SEED, line_of(project, "title: Meaningful Dialogue"))],
        "Was it signed here?": [("place", SEED, line_of(project, "place: Chiang Mai"))],
    }
    changes = [(c["kind"], c["text"], [w["path"] for w in c["where"]]) for c in data["changes"]]
    assert all(c["text"] for c in data["changes"])  # LibreOffice's empty insertions at comment anchors are gone
    assert ("deletion", "+66 869238313", ["contacts[1].phone[1]"]) in changes
    assert ("insertion", " in Bangkok, Hanoi and Manila", ["body[1]"]) in changes
    assert ("insertion", "[note]", ["body[3]"]) in changes
    assert all(c["mapped"] for c in data["changes"])


def test_apply_writes_every_change_that_belongs_in_the_yaml(project, cli, reviewed):
    result = cli("review", "apply", str(reviewed))
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    after = yaml.safe_load((project / SEED).read_text(encoding="utf-8"))
    right = [name for name, check in EXPECTED.items() if check(after)]
    assert right == list(EXPECTED)
    assert "not applied:" not in result.stdout and "applied in part:" not in result.stdout
    assert "\ufffc" not in (project / SEED).read_text(encoding="utf-8")
    from mmnpress.pipeline.translations import load_statement

    load_statement(project / SEED, project)

