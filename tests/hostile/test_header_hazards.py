"""Profile values and titles that reach mail headers: no header injection, international addresses, folded lines.

The real command line builds the email; the message is read back with
Python's `email` parser (the modern policy, as a mail program reads it).
"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from tests.hostile.helpers import assert_clean_failure, assert_no_traceback, mmnpress

PROFILE = Path("templates/mmn/profile.yaml")


def _set_profile(project: Path, **values: str) -> None:
    """Append `values` to the organisation's profile as YAML typed by hand (double-quoted, escapes and all)."""
    path = project / PROFILE
    text = path.read_text(encoding="utf-8")
    for key, typed in values.items():
        lines = [line for line in text.splitlines() if not line.startswith(f"{key}:")]
        text = "\n".join([*lines, f"{key}: {typed}"]) + "\n"
    path.write_text(text, encoding="utf-8")


def _statement(project: Path, title: str = "A short statement") -> str:
    (project / "statements" / "mail.yaml").write_text(MINIMAL.replace("A short statement", title), encoding="utf-8")
    return "statements/mail.yaml"


def _message(project: Path) -> email.message.EmailMessage:
    return email.message_from_bytes((project / "build" / "mail.eml").read_bytes(), policy=email.policy.default)


@pytest.mark.parametrize(
    ("key", "typed", "expect"),
    [
        ("press_email", r'"press@mekongmigration.org\r\nBcc: everyone@example.org"', "U+000D"),
        ("press_email", '"press@mekongmigration.org\\nBcc: everyone@example.org"', "U+000A"),
        ("name", '"Mekong Migration Network\\nBcc: everyone@example.org"', "U+000A"),
        ("short_name", '"MMN\\u2028Bcc: everyone@example.org"', "U+2028"),
        ("press_email", "prénsa@ejémplo.org", "SMTPUTF8"),
        ("press_email", "press at example.org", "mail address"),
    ],
)
def test_profile_values_that_would_break_a_header_are_one_located_line(project, key, typed, expect):
    _set_profile(project, **{key: typed})
    statement = _statement(project)
    for command in (("check", "--to", "email", statement), ("build", "--to", "email", statement)):
        run = mmnpress(*command, cwd=project)
        assert_clean_failure(run, expect=expect)
        assert all(line.startswith(f"{PROFILE}:") for line in run.lines), run.lines
    assert not (project / "build").exists()


def test_an_internationalised_domain_is_written_in_its_idna_form(project):
    _set_profile(project, press_email="prensa@ejémplo.org", name='"Fundación Ejémplo"')
    run = mmnpress("build", "--to", "email", _statement(project), cwd=project)
    assert run.status == 0, run.lines
    assert_no_traceback(run)
    sender = _message(project)["From"]
    assert sender.addresses[0].addr_spec == "prensa@xn--ejmplo-cva.org"
    assert sender.addresses[0].display_name == "Fundación Ejémplo"


def test_a_long_subject_is_folded_within_998_octets_and_reads_back_whole(project):
    _set_profile(project, press_email="press@mekongmigration.org")
    title = "See https://example.org/" + "a" * 1200
    run = mmnpress("build", "--to", "email", _statement(project, title), cwd=project)
    assert run.status == 0, run.lines
    raw = (project / "build" / "mail.eml").read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    assert _message(project)["Subject"] == title


def test_init_refuses_a_name_with_a_line_break_and_writes_nothing(tmp_path):
    run = mmnpress("init", "--name", "Forum\nBcc: everyone@example.org", cwd=tmp_path)
    assert_clean_failure(run, positioned=False, expect="--name must be one line")
    assert not any(tmp_path.iterdir())


def test_init_writes_any_other_name_as_yaml_that_loads(tmp_path):
    name = "Forum \"Mekong\": rights #1 & *all* [asia] > {x} 'quoted' % @ `tick`"
    run = mmnpress("init", "--name", name, "--organisation", "forum", cwd=tmp_path)
    assert run.status == 0, run.lines
    from mmnpress.pipeline.project import load_organisation

    profile = load_organisation(tmp_path / "templates" / "forum").profile
    assert profile.name == profile.short_name == name
    checked = mmnpress("check", cwd=tmp_path)
    assert checked.status in (0, 1), checked.lines
