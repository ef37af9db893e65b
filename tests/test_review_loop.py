"""Tests of the review loop on files written the way Word writes them (issue 13's numbered problems).

The drafts are built by the real pipeline from the seed statement with an
inline note in body[1] and a named note in body[4]; reviewers' edits are
made with `review.drafts.Reviewer`: tracked changes with rsids, moves,
formatting changes, footnotes, paragraph joins and splits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from review import drafts
from review.drafts import SEED, Reviewer, line_of, noted_statement, pulled, where

draft = drafts.draft
noted_draft = drafts.noted_draft

@pytest.fixture
def noted(project, noted_draft) -> Reviewer:
    """Return a reviewer of the noted draft, the project's statement made the same as the draft's."""
    (project / SEED).write_text(noted_statement((project / SEED).read_text(encoding="utf-8")), encoding="utf-8")
    return Reviewer(noted_draft)


def statement(project: Path) -> str:
    return (project / SEED).read_text(encoding="utf-8")


def data(project: Path) -> dict:
    return yaml.safe_load(statement(project))


def apply(cli, path: Path, *options: str):
    result = cli("review", "apply", str(path), *options)
    return result.exit_code, result.stdout, result.stderr


def note_run(reviewer: Reviewer, path: str):
    """Return the run holding the first footnote reference inside the bookmark of `path`."""
    from docx.oxml.ns import qn

    from mmnpress.render.bookmarks import bookmark_name

    start = reviewer.body.xpath(f'.//w:bookmarkStart[@w:name="{bookmark_name(path)}"]')[0]
    inside = False
    for element in reviewer.body.iter():
        if element is start:
            inside = True
        elif inside and element.tag == qn("w:footnoteReference"):
            return element.getparent()
    raise AssertionError(f"no footnote in {path}")


# 1. a reviewer's new footnote


def test_new_footnote_becomes_an_inline_note(project, cli, noted):
    noted.insert_footnote("body[3]", "countless CSO and government meetings", "Over forty meetings, by *our* count.", "Dana")
    reviewed = noted.save(project / "reviewed.docx")
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    text = statement(project)
    assert "\ufffc" not in text and "\u2029" not in text
    body = data(project)["body"][3]
    assert "countless CSO and government meetings^[Over forty meetings, by \\*our\\* count.] have been held" in body
    assert "not applied" not in out
    from mmnpress.pipeline.translations import load_statement

    assert load_statement(project / SEED, project).body[3].source == body


def test_deleted_note_marks_take_their_notes_along(project, cli, noted):
    noted.delete_run(note_run(noted, "body[1]"), "Dana")
    noted.delete_run(note_run(noted, "body[4]"), "Dana")
    reviewed = noted.save(project / "reviewed.docx")
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    after = data(project)
    assert after["body"][1].endswith("policy dialogues wherever possible.")
    assert after["body"][4].endswith("the rule of law and good governance.")
    assert "notes" not in after  # its only entry lost its only reference


# 2. changes inside footnotes


def test_changes_in_notes_go_to_the_note_source(project, cli, noted, tmp_path):
    from review.drafts import rezip

    reviewed = noted.save(tmp_path / "plain.docx")
    import zipfile

    with zipfile.ZipFile(reviewed) as archive:
        xml = archive.read("word/footnotes.xml").decode("utf-8")
    tracked = ('</w:t></w:r><w:ins w:id="8101" w:author="Dana" w:date="2026-11-28T10:00:00Z"><w:r><w:t xml:space="preserve">{}'
               '</w:t></w:r></w:ins><w:r><w:t xml:space="preserve">')
    xml = xml.replace("since 2008.", "since 2008" + tracked.format(" in Bangkok and Hanoi") + ".", 1)
    xml = xml.replace("signed in Manila", "signed in " + tracked.format("the city of ") + "Manila", 1)
    xml = xml.replace("Task Force", tracked.format("The ") + "Task Force", 1)
    reviewed = rezip(reviewed, project / "reviewed.docx", {"word/footnotes.xml": xml.encode("utf-8")})
    items = pulled(cli, reviewed)["changes"]
    assert [where(c) for c in items] == [
        [("body[1]", SEED, line_of(project, "policy dialogues wherever possible.^[MMN"))],
        [("body[2]", SEED, line_of(project, "[@tfamw2009] Our joint"))],
        [("notes.manila", SEED, line_of(project, "manila: The Consensus"))],
    ]
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    after = data(project)
    assert after["body"][1].endswith("^[MMN has taken part in every ASEAN Forum on Migrant Labour since 2008 in Bangkok and Hanoi.]")
    assert after["notes"]["manila"] == "The Consensus was signed in the city of Manila on 14 November 2017."
    assert (f"insertion 2 by Dana “The ”: in footnote 2, the citation [@tfamw2009] (tfamw2009) at {SEED}:"
            f"{line_of(project, '[@tfamw2009] Our joint')}: its text is printed from the bibliography") in out


# 3. list items


def test_an_edit_of_the_second_phone_number_applies(project, cli, draft):
    r = Reviewer(draft)
    r.replace("contacts[1].phone", "8313", "8000", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    changes = pulled(cli, reviewed)["changes"]
    assert [where(c) for c in changes] == [[("contacts[1].phone[1]", SEED, line_of(project, 'phone: ["+66(53)'))]] * 2
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    assert data(project)["contacts"][1]["phone"] == ["+66(53)283259", "+66 869238000"]
    assert 'phone: ["+66(53)283259", "+66 869238000"]' in statement(project)


# 4. formatting changes


def test_bold_and_italics_become_markdown_the_rest_is_reported(project, cli, draft):
    r = Reviewer(draft)
    r.reformat("body[1]", "Greater Mekong Subregion", "Dana", add="b")
    r.reformat("body[5]", "Singapore", "Dana", add="i")
    r.reformat("body[0]", "ASEAN Consensus", "Dana", add="u")
    r.reformat("contacts[0].phone", "9369", "Dana", add="b")
    r.restyle("body[2]", "Quote", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    changes = pulled(cli, reviewed)["changes"]
    assert [(c["kind"], c["text"][:24], c["formatting"]) for c in changes] == [
        ("format", "ASEAN Consensus", "underline added"),
        ("format", "Greater Mekong Subregion", "bold added"),
        ("format", "MMN recalls the optimism", "paragraph style Normal changed to Quote"),
        ("format", "Singapore", "italics added"),
        ("format", "9369", "bold added"),
    ]
    assert [w[0] for w in where(changes[2])] == ["body[2]"]
    assert where(changes[1]) == [("body[1]", SEED, line_of(project, "in the Greater Mekong Subregion"))]
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    after = data(project)
    assert "in the **Greater Mekong Subregion** (GMS)" in after["body"][1]
    assert "We sincerely hope that *Singapore*, the next chair" in after["body"][5]
    assert "format 1 by Dana “ASEAN Consensus”: underline added in body[0] has no Markdown form" in out
    assert "format 5 by Dana “9369”: bold added in contacts[0].phone: this text is plain" in out
    assert "paragraph style Normal changed to Quote in body[2] has no Markdown form" in out


# 5. joins and splits


def test_a_split_makes_two_paragraphs_and_a_join_across_lists_says_why_not(project, cli, draft):
    r = Reviewer(draft)
    r.split_after("body[4]", "The Consensus is a result of these decade-long efforts.", "Dana")
    r.delete_paragraph_mark("body[5]", "Dana")  # joins the last body paragraph with the recommendations' intro
    reviewed = r.save(project / "reviewed.docx")
    changes = pulled(cli, reviewed)["changes"]
    assert [[w["path"] for w in c["where"]] for c in changes] == [["body[4]"], ["body[5]", "recommendations.intro"]]
    assert all(c["paragraph_mark"] for c in changes)
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    body = data(project)["body"]
    assert body[4] == "The Consensus is a result of these decade-long efforts."
    assert body[5].startswith("On a positive note, the instrument recognises")
    assert len(body) == 7
    assert ("deletion 2 by Dana “¶”: the join of body[5] and recommendations.intro was not applied: "
            "only two paragraphs of the same list (body, closing, notes to editors) can be joined") in out


# 6. empty insertions


def test_empty_insertions_are_ignored(project, cli, draft):
    r = Reviewer(draft)
    r.comment_on("title", "cautiously welcomes", "Too soft?", "Dana", "D")
    r.empty_insertion("title", "cautiously welcomes", "Dana")
    r.replace("body[1]", "actively", "consistently", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    assert [c["text"] for c in pulled(cli, reviewed)["changes"]] == ["actively", "consistently"]
    code, out, _ = apply(cli, reviewed)
    assert code == 0 and "not applied" not in out.replace("comment(s) are not applied", "")


# 7. the dateline and generated labels


def test_dateline_and_labels_map_to_their_fields_and_catalog_entries(project, cli, draft):
    from review.drafts import first_run

    r = Reviewer(draft)
    place = first_run(r, "DateLine")
    r.comment(place, place, "Signed here?", "Dana", "D")
    r.comment_on("recommendations.items[1].title", "Monitoring", "Fine.", "Dana", "D")
    reviewed = r.save(project / "reviewed.docx")
    comments = pulled(cli, reviewed)["comments"]
    assert where(comments[0]) == [("place", SEED, line_of(project, "place: Chiang Mai")), ("date", SEED, line_of(project, "date: 2017"))]


def test_press_release_lines_map_to_release_and_catalog(project, cli):
    from docx.oxml.ns import qn

    from mmnpress.build import Request, build

    seed = "statements/2018-01-22-garment-workshops.yaml"
    built = build(Request(Path(seed), ("docx",), project / "build")).outputs[0]
    r = Reviewer(built)
    release = r.body.xpath('.//w:p[.//w:t[contains(text(), "FOR IMMEDIATE RELEASE")]]')[0].find(qn("w:r"))
    r.comment(release, release, "Embargo it?", "Dana", "D")
    r.delete_run(release, "Dana")
    lead = r.body.xpath('.//w:r[w:t[starts-with(text(), "CHIANG MAI, ")]]')[0]
    r.comment(lead, lead, "Dateline ok?", "Dana", "D")
    reviewed = r.save(project / "reviewed.docx")
    data = pulled(cli, reviewed)
    [(path, file, line)] = where(data["comments"][0])
    assert path == "labels.immediate_release" and file.endswith("locale/en/LC_MESSAGES/mmnpress.po") and line
    typed = (project / seed).read_text(encoding="utf-8").split("\n")
    assert where(data["comments"][1]) == [
        ("place", seed, next(n for n, text in enumerate(typed, 1) if text.startswith("place:"))),
        ("date", seed, next(n for n, text in enumerate(typed, 1) if text.startswith("date:"))),
    ]
    code, out, _ = apply(cli, reviewed)
    assert code == 0 and "in a label generated from the catalog entry immediate_release" in out


# 8. one line for one place


def test_pull_and_apply_give_the_same_line(project, cli, draft):
    r = Reviewer(draft)
    r.delete("about", "For more information about MMN, visit ", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    [change] = pulled(cli, reviewed)["changes"]
    profile = project / "templates" / "mmn" / "profile.yaml"
    line = next(n for n, text in enumerate(profile.read_text(encoding="utf-8").split("\n"), 1) if "For more information" in text)
    assert where(change)[0][1:] == ("templates/mmn/profile.yaml", line)
    _, out, _ = apply(cli, reviewed)
    assert f"about is not typed in the statement (templates/mmn/profile.yaml:{line})" in out


# Word's own ways: rsids, moves, threads


def test_word_moves_threads_and_resolved_comments(project, cli, draft):
    r = Reviewer(draft)
    r.move("body[5]", "sincerely ", "body[5]", "will display ", "Eve")
    first = r.comment_on("body[0]", "cautiously welcomes", "Why cautiously?", "Eve", "E")
    reply = r.comment_on("body[0]", "cautiously welcomes", "Because of the limits.", "Dana", "D", parent=first)
    r.resolve(first)
    r.replace("body[1]", "actively", "consistently", "Eve")
    reviewed = r.save(project / "reviewed.docx")
    comments = pulled(cli, reviewed)["comments"]
    assert [(c["number"], c["parent"], c["resolved"], c["replies"]) for c in comments] == [(1, None, True, [2]), (2, 1, True, [])]
    assert reply is not None
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    after = data(project)["body"]
    assert "We hope that Singapore" in after[5] and "will display sincerely progressive leadership" in after[5]
    assert "MMN has consistently engaged" in after[1]


def test_contact_labels_map_to_the_catalog_and_languages_to_their_field(project, cli, draft):
    r = Reviewer(draft)
    tel = r.body.xpath('.//w:r[w:t[starts-with(text(), "Tel.")]]')[0]
    languages = r.body.xpath('.//w:r[w:t[starts-with(text(), "Languages: ")]]')[0]
    r.comment(tel, tel, "Phone?", "Dana", "D")
    r.insert_at(languages, " and Thai", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    data = pulled(cli, reviewed)
    [(path, file, line)] = where(data["comments"][0])
    assert path == "labels.tel" and file.endswith("locale/en/LC_MESSAGES/mmnpress.po") and line
    assert where(data["changes"][0]) == [("contacts[0].languages", SEED, line_of(project, "languages: [en, ja]"))]
    code, out, _ = apply(cli, reviewed)
    assert code == 0 and "in text printed from contacts[0].languages" in out


def test_position_paper_kind_line_subtitle_and_signatories(project, cli):
    from mmnpress.build import Request, build

    paper = project / "statements/2018-06-01-sez-garment-workers.yaml"
    text = paper.read_text(encoding="utf-8") + (
        "\nsignatories:\n  - name: Foundation for Education and Development (FED)\n    country: Thailand\n"
        "  - name: MAP Foundation\n    country: Thailand\n")
    paper.write_text(text, encoding="utf-8")
    r = Reviewer(build(Request(paper.relative_to(project), ("docx",), project / "build")).outputs[0])
    for label in ("Position paper", "Signed by"):
        run = r.body.xpath(f'.//w:r[w:t[text()="{label}"]]')[0]
        r.comment(run, run, f"About “{label}”", "Dana", "D")
    r.comment_on("subtitle", "position paper", "Needed?", "Dana", "D")
    r.replace("signatories[1]", "Thailand", "Myanmar", "Dana")
    r.replace("signatories[0]", "Education", "Learning", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    data = pulled(cli, reviewed)
    shown = "statements/2018-06-01-sez-garment-workers.yaml"
    lines = text.split("\n")

    def line(phrase: str) -> int:
        return next(n for n, typed in enumerate(lines, 1) if phrase in typed)

    assert [[w["path"] for w in c["where"]] for c in data["comments"]] == [["labels.position_paper"], ["subtitle"], ["labels.signed_by"]]
    assert where(data["comments"][1]) == [("subtitle", shown, line("subtitle:"))]
    assert [where(c) for c in data["changes"]] == [[("signatories[0].name", shown, line("Foundation for Education"))]] * 2 + [
        [("signatories[1].country", shown, line("MAP Foundation") + 1)]] * 2
    code, out, err = apply(cli, reviewed)
    assert (code, err) == (0, ""), out
    after = yaml.safe_load(paper.read_text(encoding="utf-8"))["signatories"]
    assert after == [{"name": "Foundation for Learning and Development (FED)", "country": "Thailand"},
                     {"name": "MAP Foundation", "country": "Myanmar"}]


def test_embargo_line_maps_to_its_label_and_the_embargo(project, cli):
    from mmnpress.build import Request, build

    seed = "statements/2018-01-22-garment-workshops.yaml"
    text = (project / seed).read_text(encoding="utf-8").replace(
        "release: immediate", "release: embargoed\nembargo: 2018-01-22T09:00:00+07:00")
    (project / seed).write_text(text, encoding="utf-8")
    r = Reviewer(build(Request(Path(seed), ("docx",), project / "build")).outputs[0])
    line = r.body.xpath('.//w:r[w:t[starts-with(text(), "EMBARGOED UNTIL")]]')[0]
    r.comment(line, line, "When exactly?", "Dana", "D")
    paths = [(w["path"], w["line"]) for w in pulled(cli, r.save(project / "reviewed.docx"))["comments"][0]["where"]]
    embargo = next(n for n, typed in enumerate(text.split("\n"), 1) if typed.startswith("embargo:"))
    assert paths[0][0] == "labels.embargoed_until" and paths[1] == ("embargo", embargo)
