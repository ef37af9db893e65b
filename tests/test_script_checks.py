"""check finds text no output can show right, at its place, and the build refuses the same.

Zawgyi is Burmese in a font encoding that reuses Myanmar code points; no font
check can see it (Noto Sans Myanmar has every code point it uses). A character
no packaged font has would fail a PDF/A build without a place, or print a box.
"""

from __future__ import annotations

import yaml

from tests.conftest import write_statement

ZAWGYI = """\
# Burmese typed on a Zawgyi keyboard
extends: 2017-11-22-asean-consensus.yaml
lang: my
title: ျမန္မာႏိုင္ငံ ေရႊ႕ေျပာင္း အလုပ္သမားမ်ား  # the title
place: ရန္ကုန္
body:
  - >-
    ျမန္မာႏိုင္ငံမွ ေရႊ႕ေျပာင္းအလုပ္သမားမ်ား၏
    အခြင့္အေရးမ်ားကို ကာကြယ္ရန္
"""
UNICODE_TITLE = "မြန်မာနိုင်ငံ ရွှေ့ပြောင်း အလုပ်သမားများ"
UNICODE_BODY = "မြန်မာနိုင်ငံမှ ရွှေ့ပြောင်းအလုပ်သမားများ၏ အခွင့်အရေးများကို ကာကွယ်ရန်"

# Egyptian hieroglyphs: no packaged font has them, with or without the cjk extra (tests/test_cjk.py has 王伟).
GLYPHLESS = """\
extends: 2017-11-22-asean-consensus.yaml
lang: th
title: แถลงการณ์ ≥ → ✓
contacts:
  - name: Scribe (𓀀𓀁)
    email: scribe@example.org
"""

SHAN = """\
extends: 2017-11-22-asean-consensus.yaml
lang: shn
title: ၵႂၢမ်းလိၵ်ႈတႆး ပိူင်ယႂ်ႇ
"""


def test_check_finds_zawgyi_at_its_place(project, cli):
    write_statement(project, "z.yaml", ZAWGYI)
    result = cli("check", "statements/z.yaml")
    assert result.exit_code == 2
    hint = "this Burmese is typed in the Zawgyi encoding, not Unicode; convert the file with: mmnpress fix --zawgyi statements/z.yaml"
    lines = result.output.splitlines()
    assert f"statements/z.yaml:4:8: error: {hint}" in lines
    assert f"statements/z.yaml:5:8: error: {hint}" in lines
    assert f"statements/z.yaml:8:5: error: {hint}" in lines


def test_build_refuses_zawgyi_and_writes_nothing(project, cli):
    write_statement(project, "z.yaml", ZAWGYI)
    result = cli("build", "statements/z.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("statements/z.yaml:4:8: this Burmese is typed in the Zawgyi encoding")
    assert not (project / "build").exists() or not any((project / "build").iterdir())


def test_fix_converts_zawgyi_and_keeps_comments_and_folding(project, cli):
    path = write_statement(project, "z.yaml", ZAWGYI)
    result = cli("fix", "--zawgyi", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == "statements/z.yaml: converted 3 values from Zawgyi: title, place, body[0]\n"
    text = (project / path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == UNICODE_TITLE
    assert data["place"] == "ရန်ကုန်"
    assert data["body"] == [UNICODE_BODY]
    assert text.startswith("# Burmese typed on a Zawgyi keyboard\n")
    assert "# the title" in text
    assert "  - >-\n    မြန်မာနိုင်ငံမှ ရွှေ့ပြောင်းအလုပ်သမားများ၏\n    အခွင့်အရေးများကို ကာကွယ်ရန်\n" in text
    assert cli("check", str(path)).exit_code in (0, 1)  # no errors left
    assert cli("fix", "--zawgyi", str(path)).output == "statements/z.yaml: no Zawgyi text\n"


def test_unicode_burmese_and_shan_are_not_zawgyi(project, cli):
    write_statement(project, "shan.yaml", SHAN)
    for name in ("2017-11-22-asean-consensus.my.yaml", "shan.yaml"):
        result = cli("check", f"statements/{name}")
        assert result.exit_code in (0, 1) and "Zawgyi" not in result.output, result.output


def test_check_finds_characters_no_font_has(project, cli):
    write_statement(project, "glyphless.yaml", GLYPHLESS)
    result = cli("check", "statements/glyphless.yaml")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    tail = "so the PDF cannot show it; remove or replace it"
    assert errors == [
        f"statements/glyphless.yaml:5:19: error: no packaged font has 𓀀 (U+13000 EGYPTIAN HIEROGLYPH A001), {tail}",
        f"statements/glyphless.yaml:5:20: error: no packaged font has 𓀁 (U+13001 EGYPTIAN HIEROGLYPH A002), {tail}",
    ]  # ≥ → ✓ are in Typst's own fonts


def test_build_refuses_characters_no_font_has_before_typst(project, cli):
    write_statement(project, "glyphless.yaml", GLYPHLESS)
    result = cli("build", "statements/glyphless.yaml", "--to", "pdf", "--pdf-standard", "none")
    assert result.exit_code == 2
    assert result.stderr.startswith("statements/glyphless.yaml:5:19: no packaged font has 𓀀")
