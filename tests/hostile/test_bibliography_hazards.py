"""Hazards beyond the issue's list: bibliographies and citation styles that are
broken, huge, hostile or outside the project. Each fails with one positioned
line, within a few seconds, reading nothing outside the project.
"""

from __future__ import annotations

import json
import textwrap

from tests.hostile.helpers import assert_clean_failure, mmnpress

SECONDS = 5.0


def statement(project, name: str, extra: str, body: str = "First paragraph [@a].") -> str:
    """Write a statement citing @a with `extra` keys; return its path for the CLI."""
    text = textwrap.dedent(f"""\
        kind: statement
        lang: en
        title: A short statement
        date: 2020-05-01
        organisation: mmn
        {extra}
        body:
          - {body}
        """)
    (project / "statements" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return f"statements/{name}.yaml"


def bibliography(project, name: str, content: str | bytes) -> None:
    """Write a bibliography file under bibliography/."""
    path = project / "bibliography" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def build(project, path: str):
    run = mmnpress("build", "--force", "--to", "docx", path, cwd=project)
    assert run.seconds < SECONDS, f"took {run.seconds:.2f} s"
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
    assert_clean_failure(run, positioned=False, expect="memory")


def test_not_utf8_bibliography(project):
    bibliography(project, "latin.bib", "@book{a, title={Caf\xe9}, author={A B}, year=2000}\n".encode("latin-1"))
    run = build(project, statement(project, "latin", "references: ../bibliography/latin.bib"))
    assert_clean_failure(run, expect="latin.bib")


def test_deeply_nested_json_bibliography(project):
    bibliography(project, "deep.json", "[" * 100_000 + "]" * 100_000)
    run = build(project, statement(project, "deep", "references: ../bibliography/deep.json"))
    assert_clean_failure(run, expect="deep.json")
