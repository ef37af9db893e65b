"""The profile's `contacts:` decides where a press release puts its media contacts."""

from __future__ import annotations

import subprocess

import docx

RELEASE = "statements/2018-01-22-garment-workshops.yaml"
HEADING = "Media contacts"
BODY = "On 15 January, 21 representatives"


def _set_contacts(project, place: str) -> None:
    profile = project / "templates" / "mmn" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + f"\ncontacts: {place}\n", encoding="utf-8")


def _build(project, cli, to: str):
    result = cli("build", RELEASE, "--to", to)
    assert result.exit_code == 0, result.output
    return next((project / "build").glob(f"*garment-workshops*.{to}"))


def _docx_order(path) -> tuple[int, int]:
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    heading = texts.index(HEADING)
    body = next(i for i, t in enumerate(texts) if t.startswith(BODY) or BODY in t)
    return heading, body


def _pdf_order(path) -> tuple[int, int]:
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    return text.index(HEADING), text.index(BODY)


def test_contacts_top_puts_media_contacts_before_the_text(project, cli):
    _set_contacts(project, "top")
    heading, body = _docx_order(_build(project, cli, "docx"))
    assert heading < body
    heading, body = _pdf_order(_build(project, cli, "pdf"))
    assert heading < body


def test_contacts_end_is_the_default_and_keeps_them_after_the_text(project, cli):
    heading, body = _docx_order(_build(project, cli, "docx"))
    assert heading > body
    heading, body = _pdf_order(_build(project, cli, "pdf"))
    assert heading > body


def test_an_unknown_place_is_a_located_error(project, cli):
    _set_contacts(project, "middle")
    result = cli("build", RELEASE, "--to", "docx")
    assert result.exit_code == 2
    assert "profile.yaml:" in result.output and "'contacts' must be one of end, top" in result.output
    assert not list(project.glob("build/*.docx"))


PAPER = "statements/2018-06-01-sez-garment-workers.yaml"


def _paper_order(project, cli, to: str) -> list[int]:
    result = cli("build", PAPER, "--to", to)
    assert result.exit_code == 0, result.output
    path = next((project / "build").glob(f"*sez-garment-workers*.{to}"))
    if to == "docx":
        texts = [p.text for p in docx.Document(str(path)).paragraphs]
    else:
        texts = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.splitlines()
    return [texts.index(line) for line in ("References", "About MMN", "For inquiries about this paper, please contact:")]


def test_about_position_after_references_puts_about_and_contacts_last(project, cli):
    for to in ("docx", "pdf"):
        references, about, contacts = _paper_order(project, cli, to)
        assert about < contacts < references, to
    profile = project / "templates" / "mmn" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nabout_position: after-references\n", encoding="utf-8")
    for to in ("docx", "pdf"):
        references, about, contacts = _paper_order(project, cli, to)
        assert references < about < contacts, to
