"""A top-level text field declared in the schema alone reaches the model, the render model and the writers.

The statement's and the render model's text attributes are made from the
schema (`schema.text_fields`). A throwaway field is declared in a copy of the
schema before the package loads, in a child Python, so this process keeps
the real classes; the child builds a statement that gives it.
"""

from __future__ import annotations

import dataclasses
import email
import json
import os
import subprocess
import sys
from email import policy

import pytest

from mmnpress import schema
from mmnpress.document import Block, Document
from mmnpress.pipeline.model import Statement, Text
from tests.conftest import MINIMAL, REPO, write_statement
from tests.docx_reader import paragraphs

DECLARE_AND_BUILD = """
import dataclasses, json, sys
from mmnpress import schema

thanks = schema.Field("thanks", schema.TEXT, "Thanks.", empty=schema.EMPTY_ERROR, bookmarked=True, parts=(schema.Part(schema.PARAGRAPH),))
fields = list(schema.STATEMENT.fields)
fields.insert(schema.STATEMENT.keys().index("about") + 1, thanks)
schema.STATEMENT = dataclasses.replace(schema.STATEMENT, fields=tuple(fields))
schema.TOP_KEYS = schema.STATEMENT.keys()

from mmnpress.document import Document
from mmnpress.pipeline.model import Statement
from mmnpress.commands.main import main

print(json.dumps({cls.__name__: [f.name for f in dataclasses.fields(cls)] for cls in (Statement, Document)}))
main(["build", "--to", "docx,html,email", "--force", *sys.argv[1:]], standalone_mode=False)
"""


CONTACTS = "contacts:\n  - name: Reiko Harima\n    email: reiko@example.org\n"
THANKS = "We thank the Qwzx Fund for its support."


def test_a_text_field_declared_only_in_the_schema_is_printed_by_every_writer_walking_the_outline(project):
    given = write_statement(project, "thanks.yaml", MINIMAL + CONTACTS + f"thanks: {THANKS}\n")
    without = write_statement(project, "plain.yaml", MINIMAL + CONTACTS)
    # a cache of its own: the Word template made from the real schema.py would otherwise be reused, as it is made from its text
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(project / "cache")}
    run = subprocess.run([sys.executable, "-c", DECLARE_AND_BUILD, str(given), str(without)], cwd=project, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    names = json.loads(run.stdout.splitlines()[0])
    assert names["Statement"][names["Statement"].index("about") + 1] == "thanks"
    assert names["Document"][names["Document"].index("about") + 1] == "thanks"
    page = (project / "build" / "thanks.html").read_text(encoding="utf-8")
    assert f"<p>{THANKS}</p>" in page
    message = email.message_from_bytes((project / "build" / "thanks.eml").read_bytes(), policy=policy.default)
    assert THANKS in message.get_body(("plain",)).get_content()
    # in Word the last paragraph before the contact block keeps with it: the new one, or About when the new one is not given
    thanks = next(p for p in paragraphs(project / "build" / "thanks.docx") if p.text == THANKS)
    about = next(p for p in paragraphs(project / "build" / "plain.docx") if p.text.startswith("Mekong Migration Network (MMN), launched"))
    assert thanks.paragraph_format.keep_with_next and about.paragraph_format.keep_with_next
    assert THANKS not in (project / "build" / "plain.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("cls, one, many", [(Statement, Text, list[Text]), (Document, Block, tuple[Block, ...])])
def test_every_top_level_text_field_is_an_attribute_of_the_declared_type(cls, one, many):
    attributes = {f.name: f for f in dataclasses.fields(cls)}
    for item in schema.STATEMENT.fields:
        if item.type in schema.TEXT_TYPES:
            attribute = attributes[item.key]
            assert attribute.type in (one, one | None, many), item.key
            assert attribute.kw_only, item.key


def test_a_required_text_has_no_default_and_an_optional_one_is_empty():
    with pytest.raises(TypeError, match="title"):
        Document(kind="statement", lang="en", draft=False, profile=None, labels={}, title_plain="", date_iso="", date_text="")
    statement = {f.name: f for f in dataclasses.fields(Statement)}
    assert statement["closing"].default_factory() == [] and statement["about"].default is None


def test_a_class_may_not_declare_a_text_attribute_itself():
    with pytest.raises(TypeError, match="declared by the schema"):
        @dataclasses.dataclass
        @schema.text_fields({schema.TEXT: (str, "")}, required={})
        class Twice:
            title: str = ""
