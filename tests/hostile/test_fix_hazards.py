"""`fix --zawgyi` on hostile files: mixed encodings, long paragraphs, alias bombs, broken YAML.

Each case runs the real command line in its own process. A value mixing a
Zawgyi sentence with a name already in Unicode keeps the name byte for byte;
megabytes convert in seconds; every file `fix` cannot read safely is one
located line, exit status 2, and nothing is written.
"""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import MINIMAL
from tests.hostile.helpers import assert_clean_failure, assert_fast, mmnpress
from tests.hostile.test_yaml_hazards import billion_laughs

ZAWGYI_SENTENCE = "ျမန္မာႏိုင္ငံမွ ေရႊ႕ေျပာင္းအလုပ္သမားမ်ား၏ အခြင့္အေရးမ်ားကို ကာကြယ္ရန္"
UNICODE_SENTENCE = "မြန်မာနိုင်ငံမှ ရွှေ့ပြောင်းအလုပ်သမားများ၏ အခွင့်အရေးများကို ကာကွယ်ရန်"
UNICODE_NAME = "(ဦးအောင်ကျော်)"


def _statement(body: str) -> str:
    return f"kind: statement\nlang: my\ntitle: x\nbody:\n  - {body}\n"


def test_unicode_name_beside_zawgyi_keeps_its_bytes(tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text(_statement(f"{ZAWGYI_SENTENCE} {UNICODE_NAME} {ZAWGYI_SENTENCE}။ UN {UNICODE_SENTENCE}"), encoding="utf-8")
    run = mmnpress("fix", "--zawgyi", path, cwd=tmp_path)
    assert run.status == 0, run.lines
    body = yaml.safe_load(path.read_text(encoding="utf-8"))["body"][0]
    assert body == f"{UNICODE_SENTENCE} {UNICODE_NAME} {UNICODE_SENTENCE}။ UN {UNICODE_SENTENCE}"
    assert UNICODE_NAME.encode() in path.read_bytes()
    again = mmnpress("fix", "--zawgyi", path, cwd=tmp_path)
    assert again.stdout.endswith("no Zawgyi text\n"), again.lines


def test_check_points_at_the_zawgyi_run_not_the_unicode_name(project):
    path = project / "statements" / "mixed.yaml"
    path.write_text(f"extends: 2017-11-22-asean-consensus.yaml\nlang: my\ntitle: {UNICODE_NAME} {ZAWGYI_SENTENCE}\n", encoding="utf-8")
    run = mmnpress("check", "statements/mixed.yaml", cwd=project)
    assert run.status == 2, run.lines
    errors = [line for line in run.lines if "Zawgyi" in line]
    assert errors and errors[0].startswith(f"statements/mixed.yaml:3:{8 + len(UNICODE_NAME) + 1}: error:"), errors
    path.write_text(f"extends: 2017-11-22-asean-consensus.yaml\nlang: my\ntitle: {UNICODE_NAME} {UNICODE_SENTENCE}\n", encoding="utf-8")
    assert not [line for line in mmnpress("check", "statements/mixed.yaml", cwd=project).lines if "Zawgyi" in line]


def _fully_converted(text: str) -> bool:
    """Tell whether no word of the Zawgyi sentence is left and the Unicode one is there."""
    return UNICODE_SENTENCE.split()[0] in text and not any(word in text for word in ZAWGYI_SENTENCE.split())


@pytest.mark.parametrize("characters", [5_000, 14_000])
def test_long_paragraph_converts_in_linear_time(tmp_path, characters):
    sentence = ZAWGYI_SENTENCE + "။ "
    path = tmp_path / "long.yaml"
    path.write_text(_statement((sentence * (characters // len(sentence) + 1))[:characters].strip()), encoding="utf-8")
    run = mmnpress("fix", "--zawgyi", path, cwd=tmp_path)
    assert run.status == 0, run.lines
    assert_fast(run, 1.5)
    assert _fully_converted(path.read_text(encoding="utf-8"))


def test_a_megabyte_of_long_paragraphs_converts_in_seconds(tmp_path):
    sentence = ZAWGYI_SENTENCE + "။ "
    paragraph = (sentence * (20_000 // len(sentence)))[:20_000].strip()
    files = []
    for number in range(3):  # three files just under the statement limit of 1 MiB each
        path = tmp_path / f"big{number}.yaml"
        body = "".join(f"  - {paragraph}\n" for _ in range(17))
        path.write_text(f"kind: statement\nlang: my\ntitle: x\nbody:\n{body}", encoding="utf-8")
        assert 0.9e6 < path.stat().st_size < 1024 * 1024
        files.append(path)
    run = mmnpress("fix", "--zawgyi", *files, cwd=tmp_path, timeout=120)
    assert run.status == 0, run.lines
    assert_fast(run, 20.0)
    assert all(_fully_converted(path.read_text(encoding="utf-8")) for path in files)


HOSTILE = {
    "alias-bomb": (billion_laughs().encode(), "aliases"),
    "latin-1-byte": (_statement("caf\xe9 " + ZAWGYI_SENTENCE).encode("utf-8").replace("caf\xe9".encode(), b"caf\xe9"), "UTF-8"),
    "syntax-error": (_statement(f"[{ZAWGYI_SENTENCE}").encode(), "YAML syntax"),
    "python-tag": ((MINIMAL + "x: !!python/object/apply:os.system ['touch pwned']\n").encode(), "tag"),
    "deep-lists": ((MINIMAL + "x: " + "[" * 3000 + "]" * 3000 + "\n").encode(), "nest"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_fix_reads_through_the_statement_guards(tmp_path, name):
    data, expected = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(data)
    good = tmp_path / "good.yaml"
    good.write_text(_statement(ZAWGYI_SENTENCE), encoding="utf-8")
    run = mmnpress("fix", "--zawgyi", good, path, cwd=tmp_path, timeout=60)
    assert_clean_failure(run, expect=expected)
    assert all("hostile.yaml:" in line for line in run.lines), run.lines
    assert_fast(run, 2.0)
    assert path.read_bytes() == data
    assert good.read_text(encoding="utf-8") == _statement(ZAWGYI_SENTENCE)  # nothing written when any file is refused
    assert not (tmp_path / "pwned").exists()
