"""Hazard 5: Typst receives text as JSON data and prints it literally.

A statement full of Typst markup (`#read`, `#import`, `$...$`, `<label>`,
`@ref`, backslashes) builds into a PDF whose text (pdftotext) shows every
string as typed, and the PDF holds nothing of the files it tried to read.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import mmnpress as mmnpress_package
from tests.hostile.helpers import assert_clean_failure, mmnpress

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")

# YAML single-quoted; Markdown backslash escapes (\@, \\, \#) print the character after them.
STATEMENT = r"""
kind: statement
lang: en
title: 'Title #read("/etc/passwd") and $x^2$'
subtitle: '#import "/etc/passwd": * and <label>'
date: 2020-05-01
place: '#read("/etc/hostname")'
organisation: mmn
status: final
body:
  - 'Body #read("/etc/passwd") then \@ref and back\\slash and #include "../../templates/mmn/common.typ"'
  - heading: '= Heading #set page(width: 1cm)'
  - quote: '#eval("1 + 1") and #sys.inputs and $ sum_(i=0)^n i $'
  - 'Code `#read("/etc/shadow")` and ]) [ ) #link("file:///etc/passwd")[x] and \#hash'
recommendations:
  items:
    - title: '#let x = read("/etc/passwd")'
      text: '#x and <secret> and @@@'
closing:
  - 'Footnote^[#read("/etc/passwd") in a note] and a named one[^n].'
notes:
  n: '#import "\@preview/oxifmt:0.2.1": strfmt'
signatories:
  - name: '#read("/etc/passwd")'
    country: '$ pi $'
contacts:
  - name: '#read("/etc/group")'
    role: '#{ 1 + 1 } and // not a comment and /* nor this */'
quotes: as-typed
"""

LITERALS = [
    '#read("/etc/passwd")', "$x^2$", '#import "/etc/passwd": *', "<label>", '#read("/etc/hostname")',
    "@ref", "back\\slash", '#include "../../templates/mmn/common.typ"', "= Heading #set page(width: 1cm)",
    '#eval("1 + 1")', "#sys.inputs", "$ sum_(i=0)^n i $", '#read("/etc/shadow")', '#link("file:///etc/passwd")[x]',
    "#hash", '#let x = read("/etc/passwd")', "#x and <secret> and @@@", '#import "@preview/oxifmt:0.2.1": strfmt',
    "$ pi $", '#read("/etc/group")', "#{ 1 + 1 } and // not a comment and /* nor this */",
]


def pdf_text(path: Path) -> str:
    """Return the PDF's text as pdftotext reads it, lines joined with spaces."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.replace("\u00ad\n", "").split())


def test_hazard5_typst_markup_prints_literally_and_reads_nothing(project):
    (project / "statements" / "typst.yaml").write_text(STATEMENT.lstrip(), encoding="utf-8")
    run = mmnpress("build", "--force", "statements/typst.yaml", cwd=project)
    assert run.status == 0, run.stderr
    text = pdf_text(project / "build" / "typst.pdf")
    squeezed = "".join(text.split())  # lines may break at any space or after a slash
    missing = [literal for literal in LITERALS if "".join(literal.split()) not in squeezed]
    assert not missing, f"not printed literally: {missing}\n{text}"
    for leaked in ("root:x:0:0", Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "root:"):
        assert leaked not in text.replace('#read("/etc/hostname")', "")


def test_hazard5_bare_at_reference_is_a_citation_error_at_its_place(project):
    (project / "statements" / "at.yaml").write_text(
        STATEMENT.lstrip().replace(r"then \@ref", "then @ref"), encoding="utf-8")
    run = mmnpress("build", "statements/at.yaml", cwd=project)
    assert_clean_failure(run, expect="unknown citation key 'ref'")
    assert "statements/at.yaml:10:" in run.stderr


def test_hazard5_typst_root_is_the_build_folder(project):
    """The compiler's root holds only copies of the templates: a template cannot reach the project."""
    from mmnpress.render.pdf import PdfRenderer, new_build

    build = new_build(project / "templates" / "mmn", everything=False)
    try:
        names = sorted(p.name for p in build.folder.iterdir())
        assert all(name.endswith(".typ") for name in names), names
        assert not build.folder.resolve().is_relative_to(project.resolve())
    finally:
        shutil.rmtree(build.folder, ignore_errors=True)
    with PdfRenderer() as renderer:
        assert renderer is not None


def test_hazard5_template_cannot_read_outside_its_root(project):
    """Even a hostile Typst template is confined to the build folder by Typst's root."""
    house = Path(mmnpress_package.__file__).with_name("house")
    template = project / "templates" / "mmn" / "statement.typ"
    shutil.copyfile(house / "common.typ", template.with_name("common.typ"))
    template.write_text('#read("/etc/passwd")\n' + (house / "statement.typ").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "statements" / "plain.yaml").write_text(
        "kind: statement\nlang: en\ntitle: T\ndate: 2020-05-01\norganisation: mmn\nbody:\n  - x\n", encoding="utf-8")
    run = mmnpress("build", "--to", "pdf", "statements/plain.yaml", cwd=project)
    assert_clean_failure(run, positioned=False)
    assert "root:x:0:0" not in run.stderr
    assert not (project / "build" / "plain.pdf").exists()


def test_hazard16_16_byte_order_mark_inside_a_paragraph_is_placed_by_check_and_build(project):
    """Typst's PDF/A check refused U+FEFF naming only its temporary file; check said ok."""
    text = ("kind: statement\nlang: en\ntitle: A short statement\ndate: 2020-05-01\norganisation: mmn\n"
            "body:\n  - First \ufeffparagraph.\n")
    (project / "statements" / "feff.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # a leading BOM is fine
    for command in (("check",), ("build", "--to", "pdf")):
        run = mmnpress(*command, "statements/feff.yaml", cwd=project)
        assert_clean_failure(run, expect="U+FEFF")
        assert run.lines == [line for line in run.lines if line.startswith("statements/feff.yaml:7:11: ")], run.lines


ESCAPED_STATEMENT = """kind: statement
lang: en
title: A short statement
date: 2020-05-01
organisation: mmn
body:
  - "First {} paragraph."
"""


@pytest.mark.parametrize("escape", ["\\uFEFF", "\\ufeff", "\\uE000", "\\U0010FFFD", "\\uFDD0", "\\U0001FFFE"])
def test_character_a_pdf_cannot_hold_written_as_an_escape_is_found_by_check(project, escape):
    """An escaped U+FEFF passed `check`, then failed the PDF at `common.typ:72:4: … disallowed codepoint`."""
    (project / "statements" / "escaped.yaml").write_text(ESCAPED_STATEMENT.format(escape), encoding="utf-8")
    checked = mmnpress("check", "statements/escaped.yaml", cwd=project)
    assert_clean_failure(checked, expect=f"U+{escape[2:].upper().lstrip('0').rjust(4, '0')}")
    assert checked.stdout.startswith("statements/escaped.yaml:7:12: error: "), checked.stdout  # at the escape
    built = mmnpress("build", "--to", "pdf", "statements/escaped.yaml", cwd=project)
    assert_clean_failure(built)
    assert built.stderr.startswith("statements/escaped.yaml:7:12: ") and ".typ" not in built.stderr, built.stderr
    assert not (project / "build" / "escaped.pdf").exists()


def test_invisible_characters_a_pdf_holds_still_build(project):
    (project / "statements" / "escaped.yaml").write_text(ESCAPED_STATEMENT.format("\\u200B\\u2060\\u00AD"), encoding="utf-8")
    built = mmnpress("build", "--to", "pdf", "statements/escaped.yaml", cwd=project)
    assert built.status == 0, built.stderr
    text = subprocess.run(["pdftotext", str(project / "build" / "escaped.pdf"), "-"], capture_output=True, text=True).stdout
    assert "First" in text and "paragraph." in text
