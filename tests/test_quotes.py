"""Straight quotes print as curly ones (`quotes: typographic`), and review still finds them."""

from __future__ import annotations

import yaml
from review.drafts import SEED, Reviewer, build_draft

from mmnpress.document import Note, Run
from mmnpress.pipeline.text import curl_quotes


def test_quotes_open_after_a_space_and_close_after_a_letter():
    rich = (Run('He said "it\'s \'fine\'" ('), Run('"no"', em=True), Run(")."))
    assert "".join(r.text for r in curl_quotes(rich)) == "He said \u201cit\u2019s \u2018fine\u2019\u201d (\u201cno\u201d)."


def test_code_keeps_straight_quotes_and_notes_are_curled():
    rich = (Run('"a"'), Run('x = "b"', code=True), Note(((Run('"c"'),),)))
    code, note = curl_quotes(rich)[1:]
    assert curl_quotes(rich)[0].text == "\u201ca\u201d" and code.text == 'x = "b"'
    assert note.paragraphs[0][0].text == "\u201cc\u201d"


def _quoted(text: str) -> str:
    return text.replace("MMN has actively engaged", 'MMN has "actively" engaged')


def test_as_typed_keeps_straight_quotes(tmp_path):
    import docx

    def as_typed(text: str) -> str:
        return _quoted(text).replace("lang: en\n", "lang: en\nquotes: as-typed\n", 1)

    typed = "\n".join(p.text for p in docx.Document(str(build_draft(tmp_path / "typed", as_typed))).paragraphs)
    curled = "\n".join(p.text for p in docx.Document(str(build_draft(tmp_path / "curled", _quoted))).paragraphs)
    assert 'MMN has "actively" engaged' in typed
    assert "MMN has \u201cactively\u201d engaged" in curled


def test_review_apply_next_to_a_curled_quote_keeps_the_straight_quote(tmp_path, project, cli):
    draft = build_draft(tmp_path / "built", _quoted)
    (project / SEED).write_text(_quoted((project / SEED).read_text(encoding="utf-8")), encoding="utf-8")
    r = Reviewer(draft)
    r.replace("body[1]", "actively", "consistently", "Dana")
    r.insert_after("body[1]", "\u201d", " and openly", "Dana")
    reviewed = r.save(project / "reviewed.docx")
    result = cli("review", "apply", str(reviewed))
    assert result.exit_code == 0, result.output
    body = yaml.safe_load((project / SEED).read_text(encoding="utf-8"))["body"][1]
    assert 'MMN has "consistently" and openly engaged' in body and "\u201c" not in body


def test_review_apply_of_a_deletion_across_curled_quotes_deletes_the_straight_ones(tmp_path, project, cli):
    draft = build_draft(tmp_path / "built", _quoted)
    (project / SEED).write_text(_quoted((project / SEED).read_text(encoding="utf-8")), encoding="utf-8")
    r = Reviewer(draft)
    r.delete("body[1]", "\u201cactively\u201d ", "Dana")
    result = cli("review", "apply", str(r.save(project / "reviewed.docx")))
    assert result.exit_code == 0, result.output
    body = yaml.safe_load((project / SEED).read_text(encoding="utf-8"))["body"][1]
    assert "MMN has engaged" in body and '"' not in body
