"""Tests of `mmnpress review apply`: tracked changes written into the YAML, or refused as a whole."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from review import drafts
from review.drafts import SEED, Reviewer, edit_footnote, first_run, line_of, through_libreoffice

draft = drafts.draft
reviewed = drafts.reviewed


def statement(project: Path) -> str:
    return (project / SEED).read_text(encoding="utf-8")


def data(project: Path) -> dict:
    return yaml.safe_load(statement(project))


def run(cli, *args: str):
    """Run the command line and return (exit code, stdout, stderr)."""
    result = cli("review", "apply", *args)
    return result.exit_code, result.stdout, result.stderr


def test_apply_writes_every_change_and_keeps_the_rest(project, cli, reviewed):
    before_text, before = statement(project), data(project)
    code, out, err = run(cli, str(reviewed))
    assert (code, err) == (0, "")
    after = data(project)
    assert "MMN has consistently engaged in ASEAN" in after["body"][1]
    assert len(after["body"]) == len(before["body"]) - 1  # the join of body[3] and body[4]
    assert "ASEAN Forum on Migrant Labour On a positive note, the instrument" in after["body"][3]
    assert after["body"][3].endswith("the rule of law and good governance.")
    items = after["recommendations"]["items"]
    assert items[0]["title"] == "Mediation and Dispute Resolution"
    assert "given the very weak negotiation" in items[1]["text"]
    assert after["contacts"][0]["role"] == "MMN Regional Coordinator and Director"
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"body", "recommendations", "contacts"}
    after_text = statement(project)
    assert after_text.splitlines()[0] == "# MMN's statement on the ASEAN Consensus, as published on 22 November 2017."
    assert [line.split(":")[0] for line in after_text.splitlines() if line and line[0].isalpha()] == \
        [line.split(":")[0] for line in before_text.splitlines() if line and line[0].isalpha()]
    assert after_text.count("- >-") == before_text.count("- >-") - 1
    assert '  intro: "In particular, we urge ASEAN states' in after_text
    removed = [line for line in difflib.ndiff(before_text.splitlines(), after_text.splitlines()) if line.startswith("- ")]
    assert len(removed) == 11
    assert f"--- a/{SEED}" in out and f"+++ b/{SEED}" in out
    assert "+    migrant workers will have in the GMS, MMN has consistently engaged in ASEAN" in out
    assert f"applied 7 tracked change(s) to {SEED}" in out
    assert "not applied:" not in out and "applied in part:" not in out
    assert "5 comment(s) are not applied" in out


def test_result_is_still_a_valid_statement(project, cli, reviewed):
    from mmnpress.pipeline.translations import load_statement

    assert run(cli, str(reviewed))[0] == 0
    loaded = load_statement(project / SEED, project)
    assert loaded.recommendations[0].title.source == "Mediation and Dispute Resolution"


def test_dry_run_prints_the_diff_and_writes_nothing(project, cli, reviewed):
    before = statement(project)
    code, out, _ = run(cli, str(reviewed), "--dry-run")
    assert code == 0 and statement(project) == before
    assert "+    - title: Mediation and Dispute Resolution" in out
    assert "dry run: 7 tracked change(s) would be applied; nothing was written" in out


def test_only_one_author(project, cli, reviewed):
    code, out, _ = run(cli, str(reviewed), "--only", "bob editor")
    after = data(project)
    assert code == 0
    assert after["recommendations"]["items"][0]["title"] == "Mediation and Dispute Resolution"
    assert "very weak" in after["recommendations"]["items"][1]["text"]
    assert "actively engaged" in after["body"][1] and after["contacts"][0]["role"] == "MMN Regional Coordinator"
    assert "skipped 4 tracked change(s) not made by bob editor" in out


def test_refuses_a_change_across_emphasis(project, cli, draft):
    r = Reviewer(draft)
    path = "recommendations.items[2].text"
    italic = r.isolate(path, "Together")
    r.delete_run(italic, "Dana")
    r.delete(path, ", we urge", "Dana")
    r.replace("body[1]", "actively", "consistently", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    before = statement(project)
    code, out, err = run(cli, str(reviewed))
    assert code == 2 and statement(project) == before and out == ""
    line = line_of(project, "Forging Ahead Together")
    assert err.splitlines() == [
        "reviewed.docx: refused to apply; nothing was written:",
        f"{SEED}:{line}: {path}: deletion 3 by Dana “Together, we urge” crosses Markdown markup ('*')",
    ]


def test_refuses_a_change_across_a_citation(project, cli, draft):
    r = Reviewer(draft)
    words = r.isolate("body[2]", "Migrant Workers”.")
    note = words.getnext()
    r.delete_run(words, "Dana")
    r.delete_run(note, "Dana")
    reviewed = r.save(project / "reviewed.docx")
    code, _, err = run(cli, str(reviewed))
    assert code == 2
    assert err.splitlines()[1] == (
        f"{SEED}:{line_of(project, 'Migrant Workers”.[@tfamw2009]')}: body[2]: deletion 1 by Dana "
        "“Migrant Workers”.[note]” deletes the citation '[@tfamw2009]'; change the citation in the statement by hand"
    )


def test_insertions_inside_emphasis_and_beside_a_citation(project, cli, draft):
    r = Reviewer(draft)
    path = "recommendations.items[2].text"
    r.insert_before(path, "Forging", "Boldly ", "Dana")
    plain = r.isolate(path, ", we urge ASEAN to continue")
    r.insert_after(path, "Ahead Together", " (2015) [annex *]", "Dana", like=plain)
    r.insert_before("body[2]", " Our joint proposal", " It was 2009.", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    code, _, err = run(cli, str(reviewed))
    assert (code, err) == (0, "")
    after = data(project)
    text = after["recommendations"]["items"][2]["text"]
    assert "*ASEAN 2025: Boldly Forging Ahead Together* (2015) \\[annex \\*\\], we urge" in text
    assert "Migrant Workers”.[@tfamw2009] It was 2009. Our joint proposal" in after["body"][2]


def test_text_typed_at_the_end_of_a_paragraph_and_new_paragraphs(project, cli, draft):
    r = Reviewer(draft)
    r.append_outside("body[5]", " We will follow it closely.", "Dana")
    r.append_outside("recommendations.items[0].title", " First", "Dana")
    r.new_paragraph_after("body[5]", "A whole new paragraph.", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    code, out, _ = run(cli, str(reviewed))
    assert code == 0
    after = data(project)
    assert after["body"][5].endswith("in developing the follow-up action plan. We will follow it closely.")
    assert after["recommendations"]["items"][0]["title"] == "Mediation First"
    assert "not applied:" not in out and "applied in part:" not in out
    assert after["body"][6] == "A whole new paragraph."


def test_edits_made_with_tracking_off_are_reported(project, cli, draft):
    from docx.oxml.ns import qn

    r = Reviewer(draft)
    run_ = r.isolate("body[4]", "decade-long")
    run_.find(qn("w:t")).text = "ten-year"
    r.replace("body[1]", "actively", "consistently", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    code, out, _ = run(cli, str(reviewed))
    assert code == 0 and "consistently engaged" in data(project)["body"][1]
    assert "decade-long" in data(project)["body"][4]
    line = line_of(project, "decade-long")
    assert "differs from the statement without tracked changes (edits made with tracking off are not applied):" in out
    assert f"  {SEED}:{line}: body[4]: “decade-long” → “ten-year”" in out


def test_refuses_when_the_statement_changed(project, cli, reviewed):
    with (project / SEED).open("a", encoding="utf-8") as stream:
        stream.write("# a late edit\n")
    before = statement(project)
    code, out, err = run(cli, str(reviewed))
    assert code == 2 and out == "" and statement(project) == before
    assert len(err.splitlines()) == 1
    assert err.startswith(f"reviewed.docx: {SEED} changed since this draft was built (hash ")


def test_footnotes_generated_text_and_profile_text_are_not_applied(project, cli, draft):
    r = Reviewer(draft)
    r.delete_run(first_run(r, "DateLine"), "Dana")
    r.delete("about", "launched in 2003, ", "Dana")
    r.replace("body[1]", "actively", "consistently", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    edit_footnote(reviewed, "Dana")
    code, out, _ = run(cli, str(reviewed))
    assert code == 0
    assert "consistently engaged" in data(project)["body"][1]
    assert "applied 2 tracked change(s)" in out
    assert f"in a line the build generates from place ({SEED}:{line_of(project, 'place: Chiang Mai')}), date ({SEED}:" in out
    assert f"in footnote 1, the citation [@tfamw2009] (tfamw2009) at {SEED}:{line_of(project, '[@tfamw2009] Our')}" in out
    assert "its text is printed from the bibliography" in out
    assert "about is not typed in the statement (templates/mmn/profile.yaml:" in out
    assert "launched in 2003" in (project / "templates" / "mmn" / "profile.yaml").read_text(encoding="utf-8")


def test_statement_option_and_missing_statement(project, cli, reviewed):
    moved = project / "statements" / "moved.yaml"
    shutil.move(project / SEED, moved)
    code, _, err = run(cli, str(reviewed))
    assert code == 2 and err.strip() == f"{SEED}: statement not found; pass --statement"
    code, out, _ = run(cli, str(reviewed), "--statement", str(moved), "--dry-run")
    assert code == 0 and "--- a/statements/moved.yaml" in out


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_apply_after_a_libreoffice_round_trip(project, cli, reviewed, tmp_path):
    back = through_libreoffice(reviewed, tmp_path)
    code, out, err = run(cli, str(back))
    assert (code, err) == (0, "")
    after = data(project)
    assert after["recommendations"]["items"][0]["title"] == "Mediation and Dispute Resolution"
    assert after["contacts"][0]["role"] == "MMN Regional Coordinator and Director"
    assert "MMN has consistently engaged" in after["body"][1]
