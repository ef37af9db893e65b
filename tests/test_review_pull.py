"""Tests of `mmnpress review pull`: comments and tracked changes mapped to YAML paths and lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from review import drafts
from review.drafts import SEED, Reviewer, edit_footnote, first_run, line_of, through_libreoffice

draft = drafts.draft
reviewed = drafts.reviewed


def pulled(cli, path: Path, *options: str) -> dict:
    result = cli("review", "pull", str(path), "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def where(item: dict) -> list[tuple[str, str | None, int | None]]:
    return [(w["path"], w["file"], w["line"]) for w in item["where"]]


def test_draft_records_statement_hash_and_bookmarks(project, draft):
    from mmnpress.review.mapping import load_source
    from mmnpress.review.read import read_review
    from mmnpress.safedocx import open_docx

    review = read_review(open_docx(draft))
    assert review.properties["mmnpress.statement"] == SEED
    assert review.properties["mmnpress.hash"] == load_source(project / SEED).hash
    paths = {path for piece in review.pieces for path in piece.paths}
    assert {"title", "subtitle", "body[2]", "recommendations.items[1].title", "recommendations.items[1].text", "contacts[1]"} <= paths


def test_comments_with_authors_quotes_threads_and_lines(project, cli, reviewed):
    data = pulled(cli, reviewed)
    assert data["statement"] == SEED and data["statement_changed"] is False
    span, first, reply, title, contact = data["comments"]
    assert (first["author"], first["initials"], first["text"], first["quote"]) == (
        "Alice Reviewer", "AR", "Is this still true?", "optimism and excitement")
    assert first["resolved"] and first["replies"] == [3] and first["parent"] is None
    assert (reply["author"], reply["parent"], reply["resolved"]) == ("Bob Editor", 2, True)
    assert where(first) == [("body[2]", SEED, line_of(project, "optimism and excitement"))]
    assert where(span) == [
        ("body[0]", SEED, line_of(project, "31st ASEAN Summit.")),
        ("body[1]", SEED, line_of(project, "MMN is a sub-regional network")),
    ]
    assert span["quote"] == "31st ASEAN Summit.\nMMN is a sub-regional network"
    assert where(title) == [("recommendations.items[2].title", SEED, line_of(project, "title: Meaningful Dialogue"))]
    assert where(contact) == [("contacts[1].role", SEED, line_of(project, "role: MMN Research"))]
    assert all(c["date"] and c["mapped"] for c in data["comments"])


def test_tracked_changes_with_paths_and_lines(project, cli, reviewed):
    changes = pulled(cli, reviewed)["changes"]
    summary = [(c["kind"], c["author"], c["text"]) for c in changes]
    assert summary == [
        ("deletion", "Alice Reviewer", "actively"),
        ("insertion", "Alice Reviewer", "consistently"),
        ("deletion", "Chandra K", " (AFML).\nThe Consensus is a result of these decade-long efforts. "),
        ("insertion", "Bob Editor", " and Dispute Resolution"),
        ("deletion", "Bob Editor", "relatively"),
        ("insertion", "Bob Editor", "very"),
        ("insertion", "Alice Reviewer", " and Director"),
    ]
    assert where(changes[0]) == [("body[1]", SEED, line_of(project, "MMN has actively engaged"))]
    assert where(changes[2]) == [
        ("body[3]", SEED, line_of(project, "ASEAN Forum on Migrant Labour (AFML).")),
        ("body[4]", SEED, line_of(project, "The Consensus is a result")),
    ]
    assert changes[2]["paragraph_mark"] is True
    assert where(changes[3]) == [("recommendations.items[0].title", SEED, line_of(project, "title: Mediation"))]
    assert where(changes[4]) == [("recommendations.items[1].text", SEED, line_of(project, "relatively weak"))]
    assert where(changes[6]) == [("contacts[0].role", SEED, line_of(project, "role: MMN Regional Coordinator"))]
    assert all(c["date"] == "2026-11-28T10:00:00Z" for c in changes)


def test_text_output_one_block_per_item(project, cli, reviewed):
    result = cli("review", "pull", str(reviewed))
    assert result.exit_code == 0
    blocks = result.output.strip().split("\n\n")
    assert len(blocks) == 1 + 5 + 7
    head, at = blocks[2].splitlines()[:2]
    assert head.startswith("comment 2: Alice Reviewer (AR), ") and head.endswith(", resolved")
    assert at == f"  at body[2]  {SEED}:{line_of(project, 'optimism and excitement')}"
    assert "  says: Is this still true?" in blocks[2]
    assert "reply to comment 2" in blocks[3]
    assert blocks[-1].splitlines() == [
        "insertion 7: Alice Reviewer, 2026-11-28T10:00:00Z",
        f"  at contacts[0].role  {SEED}:{line_of(project, 'role: MMN Regional Coordinator')}",
        "  + “ and Director”",
    ]


def test_yaml_output_has_the_same_keys(project, cli, reviewed):
    as_json = pulled(cli, reviewed)
    result = cli("review", "pull", str(reviewed), "--format", "yaml")
    assert yaml.safe_load(result.output) == as_json
    assert list(as_json) == ["document", "statement", "statement_changed", "comments", "changes", "notes"]
    assert list(as_json["changes"][0]) == ["number", "kind", "author", "date", "text", "paragraph_mark", "part", "mapped", "where"]


def test_statement_option_and_changed_statement(project, cli, reviewed):
    moved = project / "statements" / "copy.yaml"
    shutil.copy(project / SEED, moved)
    with moved.open("a", encoding="utf-8") as stream:
        stream.write("# edited after the draft was built\n")
    data = pulled(cli, reviewed, "--statement", str(moved))
    assert data["statement"] == "statements/copy.yaml" and data["statement_changed"] is True
    assert data["comments"][0]["where"][0]["file"] == "statements/copy.yaml"
    assert "changed since this draft was built" in cli("review", "pull", str(reviewed), "--statement", str(moved)).output


def test_footnote_changes_and_generated_text_are_listed(project, cli, draft):
    r = Reviewer(draft)
    r.delete_run(first_run(r, "DateLine"), "Dana")
    path = r.save(project / "reviewed.docx")
    edit_footnote(path, "Dana")
    changes = pulled(cli, path)["changes"]
    dateline = next(c for c in changes if c["text"].startswith("Chiang Mai"))
    assert where(dateline) == [("place", SEED, line_of(project, "place: Chiang Mai")), ("date", SEED, line_of(project, "date: 2017"))]
    footnote = next(c for c in changes if c["part"].startswith("footnote"))
    assert (footnote["part"], footnote["text"]) == ("footnote 1", "See also ")
    assert where(footnote) == [("body[2]", SEED, line_of(project, "[@tfamw2009] Our joint"))]
    output = cli("review", "pull", str(path)).output
    assert "unmapped" not in output and "(in footnote 1)" in output


def test_plain_word_file_lists_comments_unmapped(project, cli):
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("A plain paragraph nobody rendered.")
    document.add_comment(paragraph.runs, text="Who wrote this?", author="Eve", initials="E")
    path = project / "plain.docx"
    document.save(str(path))
    data = pulled(cli, path)
    assert data["statement"] is None and data["notes"] == [
        "the draft names no statement and --statement was not given; nothing is mapped to lines"
    ]
    assert [(c["author"], c["text"], c["quote"], c["mapped"]) for c in data["comments"]] == [
        ("Eve", "Who wrote this?", "A plain paragraph nobody rendered.", False)
    ]
    assert "unmapped comment 1: Eve (E)" in cli("review", "pull", str(path)).output


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_round_trip_keeps_the_mapping(project, cli, reviewed, tmp_path):
    back = through_libreoffice(reviewed, tmp_path)
    data = pulled(cli, back)
    paths = [[w["path"] for w in c["where"]] for c in data["comments"]]
    assert sorted(paths) == sorted([
        ["body[2]"], ["body[2]"], ["body[0]", "body[1]"], ["recommendations.items[2].title"], ["contacts[1].role"],
    ])
    assert next(c for c in data["comments"] if c["author"] == "Alice Reviewer" and c["where"][0]["path"] == "body[2]")["resolved"]
    changes = {(c["kind"], c["text"]): [w["path"] for w in c["where"]] for c in data["changes"]}
    assert changes[("insertion", " and Director")] == ["contacts[0].role"]
    assert changes[("deletion", "relatively")] == ["recommendations.items[1].text"]
    assert changes[("insertion", " and Dispute Resolution")] == ["recommendations.items[0].title"]


def test_statement_found_from_any_folder_of_the_project(project, cli, reviewed, monkeypatch, tmp_path_factory):
    inner = project / "statements" / "drafts"
    inner.mkdir()
    monkeypatch.chdir(inner)
    data = pulled(cli, reviewed)
    assert data["statement"] == str(project / SEED) and data["notes"] == []
    assert where(data["changes"][0])[0][2] == line_of(project, "MMN has actively engaged")
    code = cli("review", "apply", str(reviewed), "--dry-run").exit_code
    assert code == 0


def test_draft_built_from_a_subfolder_records_the_project_path(project, cli, monkeypatch):
    from mmnpress.safedocx import custom_properties, open_docx

    monkeypatch.chdir(project / "statements")
    assert cli("build", Path(SEED).name, "--to", "docx", "-o", "out").exit_code == 0
    properties = custom_properties(open_docx(project / "statements" / "out" / (Path(SEED).stem + ".docx")))
    assert properties["mmnpress.statement"] == SEED


def test_statement_not_found_outside_the_project_keeps_paths(project, cli, reviewed, monkeypatch, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    copy = Path(shutil.copy(reviewed, elsewhere / "reviewed.docx"))
    monkeypatch.chdir(elsewhere)
    data = pulled(cli, copy)
    assert data["statement"] is None and "not found from this folder" in data["notes"][0]
    assert where(data["changes"][0]) == [("body[1]", None, None)]
    result = cli("review", "pull", str(copy), "--statement", "missing.yaml")
    assert result.exit_code == 2 and result.stderr == "missing.yaml: statement not found; pass --statement\n"
