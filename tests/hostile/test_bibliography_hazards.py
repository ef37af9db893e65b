"""Hazards beyond the issue's list: bibliographies and citation styles that are
broken, huge, hostile or outside the project. Each fails with one positioned
line, within a few seconds, reading nothing outside the project.
"""

from __future__ import annotations

import json

from tests.hostile.helpers import assert_clean_failure, assert_fast, mmnpress

SECONDS = 5.0


def statement(project, name: str, extra: str, body: str = "First paragraph [@a].") -> str:
    """Write a statement citing @a with `extra` keys; return its path for the CLI."""
    head = "kind: statement\nlang: en\ntitle: A short statement\ndate: 2020-05-01\norganisation: mmn\n"
    text = f"{head}{extra}\nbody:\n  - {body}\n"
    (project / "statements" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return f"statements/{name}.yaml"


def bibliography(project, name: str, content: str | bytes) -> None:
    """Write a bibliography file under bibliography/."""
    path = project / "bibliography" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def build(project, path: str):
    run = mmnpress("build", "--force", "--to", "docx", path, cwd=project)
    assert_fast(run, SECONDS)
    return run


def bibtex_string_bomb(levels: int = 12) -> str:
    """Return BibTeX whose @string macros expand to 10 ** levels copies."""
    lines = ['@string{s0 = "lollollollol"}']
    lines += [f"@string{{s{i} = " + " # ".join([f"s{i - 1}"] * 10) + "}" for i in range(1, levels)]
    lines.append(f"@book{{a, title = s{levels - 1}, author = {{A B}}, year = 2000}}")
    return "\n".join(lines) + "\n"


def test_bibtex_syntax_error_is_placed_in_the_bibliography(project):
    bibliography(project, "broken.bib", "@book{a, title={x}, author={A B},\n year={2000}\n @book{b, title={x")
    run = build(project, statement(project, "broken", "references: ../bibliography/broken.bib"))
    assert_clean_failure(run, expect="bibliography/broken.bib:3:")


def test_csl_json_with_odd_values_is_one_line(project):
    bibliography(project, "odd.json", json.dumps([{"id": "a", "type": "book", "title": {"nested": 1}}]))
    run = build(project, statement(project, "odd", "references: ../bibliography/odd.json"))
    assert_clean_failure(run, expect="bibliography/odd.json")


def test_bibtex_macro_bomb_fails_fast(project):
    bibliography(project, "bomb.bib", bibtex_string_bomb())
    run = build(project, statement(project, "bomb", "references: ../bibliography/bomb.bib"))
    assert_clean_failure(run, positioned=False, expect="the @string macros of bibliography/bomb.bib may expand without end")


def test_not_utf8_bibliography(project):
    bibliography(project, "latin.bib", "@book{a, title={Caf\xe9}, author={A B}, year=2000}\n".encode("latin-1"))
    run = build(project, statement(project, "latin", "references: ../bibliography/latin.bib"))
    assert_clean_failure(run, expect="latin.bib")


def test_deeply_nested_json_bibliography(project):
    bibliography(project, "deep.json", "[" * 100_000 + "]" * 100_000)
    run = build(project, statement(project, "deep", "references: ../bibliography/deep.json"))
    assert_clean_failure(run, expect="deep.json")


def test_csl_yaml_alias_bomb_is_refused_before_pandoc(project):
    """pandoc expands YAML aliases for minutes; the bibliography is refused at once."""
    lines = ["references:", "- id: a", "  type: book", "  title: &t0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"  x{i}: &t{i} [" + ", ".join([f"*t{i - 1}"] * 10) + "]" for i in range(1, 9)]
    bibliography(project, "bomb.yaml", "\n".join(lines) + "\n")
    run = build(project, statement(project, "ybomb", "references: ../bibliography/bomb.yaml"))
    assert_clean_failure(run, expect="bibliography/bomb.yaml:4:")


def test_control_character_in_bibliography_is_placed(project):
    bibliography(project, "ctl.json", '[{"id": "a", "type": "book", "title": "Bad \x01 title"}]')
    run = build(project, statement(project, "ctl", "references: ../bibliography/ctl.json"))
    assert_clean_failure(run, expect="bibliography/ctl.json:1:")


def test_escaped_control_character_in_bibliography_still_builds(project):
    """A JSON escape such as \\u0001 is no raw character: the DOCX must still be valid XML."""
    bibliography(project, "esc.json", '[{"id": "a", "type": "book", "title": "Bad \\u0001 title \\u000b x"}]')
    run = build(project, statement(project, "esc", "references: ../bibliography/esc.json"))
    assert run.status == 0, run.stderr
    from docx import Document

    Document(str(project / "build" / "esc.docx"))


def test_huge_bibliography_is_refused_without_reading_it_all(project):
    path = project / "bibliography" / "huge.json"
    with path.open("wb") as stream:
        stream.write(b"[")
        entry = b'{"id": "k%d", "type": "book", "title": "' + b"x" * 1000 + b'"},'
        for index in range(25_000):
            stream.write(entry.replace(b"%d", str(index).encode()))
        stream.write(b'{"id": "a", "type": "book"}]')
    run = build(project, statement(project, "huge", "references: ../bibliography/huge.json"))
    assert_clean_failure(run, expect="MiB")


def test_bibtex_key_scan_is_not_quadratic(project):
    bibliography(project, "slow.bib", "@a{" * 20_000)
    run = mmnpress("build", "--to", "docx", statement(project, "slow", "references: ../bibliography/slow.bib"),
                   cwd=project, timeout=5)
    assert_clean_failure(run)


def test_large_csl_yaml_bibliography_is_refused_fast(project):
    """PyYAML's pure-Python loader takes 25 s for 5 MB of CSL-YAML; YAML bibliographies stop at 2 MiB."""
    entry = "- id: k{}\n  type: book\n  title: A title of some length about migration in the region\n"
    bibliography(project, "big.yaml", "references:\n" + "".join(entry.format(i) for i in range(40_000)))
    run = build(project, statement(project, "bigyaml", "references: ../bibliography/big.yaml"))
    assert_clean_failure(run, expect="over 2 MiB")


def test_unreadable_bibliography_is_not_called_missing(project):
    """A bibliography that fails to parse is named; the citation line must not claim there is no references file."""
    bibliography(project, "deep2.json", "[" * 100_000 + "]" * 100_000)
    run = build(project, statement(project, "deep2", "references: ../bibliography/deep2.json"))
    assert_clean_failure(run, expect="deep2.json")
    assert "no references file" not in run.stderr
