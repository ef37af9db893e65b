"""`mmnpress signatories import | export | check` on a real statement: late signatures, comments kept, bad input, no formulas."""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from conftest import write_statement

STATEMENT = """\
# A joint statement of the network.
kind: statement
lang: en
title: A joint statement
date: 2024-03-05
organisation: mmn
body:
  - First paragraph.   # the lead
closing:
  - We call on governments.
signatories:
  # founding members, typed by hand
  - name: Foundation for Education and Development (FED)
    country: Thailand   # hand edit: keep
  - name: MAP Foundation
    country: Burma
about: >-
  The network's own paragraph.
"""

HEADER = ["Timestamp", "Email Address", "Organisation name", "Country", "Does your organisation endorse this statement?"]


def export_csv(path, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


FIRST = [
    ["2024/03/05 10:00:00 AM GMT+7", "a@x.org", "M.A.P. Foundation", "Myanmar", "Yes"],  # already there, other spelling
    ["2024/03/05 10:01:00 AM GMT+7", "b@x.org", "Legal Support for Children and Women (LSCW)", "Cambodia", "Yes"],
    ["2024/03/05 10:02:00 AM GMT+7", "c@x.org", "Legal Support for Children & Women", "Kampuchea", "Yes"],  # duplicate
    ["2024/03/05 10:03:00 AM GMT+7", "d@x.org", "Lao Youth Union", "Lao PDR", "No"],  # no consent
    ["2024/03/05 10:04:00 AM GMT+7", "e@x.org", "@home Workers' Network *Norway*", "NO", "Yes"],  # Markdown and YAML traps
    ["2024/03/05 10:05:00 AM GMT+7", "f@x.org", "legal support for children and women (LSCW)", "Cambodia", "Yes"],  # identical
]


def test_import_adds_only_new_signatories_and_keeps_the_file(project, cli):
    statement = write_statement(project, "joint.yaml", STATEMENT)
    export = project / "responses.csv"
    export_csv(export, FIRST)
    before = (project / statement).read_text(encoding="utf-8")

    dry = cli("signatories", "import", str(export), "--statement", str(statement), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "added 2, already present 1, duplicates 2 (dry run: nothing written)" in dry.output
    assert (project / statement).read_text(encoding="utf-8") == before

    done = cli("signatories", "import", str(export), "--statement", str(statement))
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[-1] == "statements/joint.yaml: added 2, already present 1, duplicates 2"
    assert "responses.csv:4: duplicate 'Legal Support for Children & Women' of line 3 " \
           "'Legal Support for Children and Women (LSCW)': kept line 3" in lines
    assert "responses.csv:2: 'M.A.P. Foundation' is already listed as 'MAP Foundation' (statements/joint.yaml:15)" in lines
    assert "left out 1 without consent: lines 5" in lines
    after = (project / statement).read_text(encoding="utf-8")
    assert after.startswith(before.split("about:")[0])  # everything before the new entries byte for byte, comments included
    assert after.endswith("about: >-\n  The network's own paragraph.\n")
    data = yaml.safe_load(after)
    assert data["signatories"][2:] == [{"name": "Legal Support for Children and Women (LSCW)", "country": "KH"},
                                       {"name": "\\@home Workers' Network \\*Norway\\*", "country": "NO"}]

    again = cli("signatories", "import", str(export), "--statement", str(statement))
    assert again.output.splitlines()[-1] == "statements/joint.yaml: added 0, already present 4, duplicates 1"
    assert (project / statement).read_text(encoding="utf-8") == after  # idempotent

    late = project / "responses-later.csv"
    export_csv(late, [*FIRST, ["2024/03/09 09:00:00 AM GMT+7", "g@x.org", "Mekong Migration Network", "Viet Nam", "Yes"]])
    cli("signatories", "import", str(late), "--statement", str(statement))
    latest = (project / statement).read_text(encoding="utf-8")
    assert latest.replace("  - name: Mekong Migration Network\n    country: VN\n", "") == after


def test_import_builds_and_prints_the_names_as_typed(project, cli):
    statement = write_statement(project, "joint.yaml", STATEMENT)
    export = project / "responses.csv"
    export_csv(export, FIRST)
    cli("signatories", "import", str(export), "--statement", str(statement))
    built = cli("build", str(statement), "--to", "html")
    assert built.exit_code == 0, built.output
    page = (project / "build" / "joint.html").read_text(encoding="utf-8")
    assert "<li>@home Workers\u2019 Network *Norway* (" in page


def test_a_statement_without_signatories_gets_them_before_about(project, cli):
    statement = write_statement(project, "plain.yaml", STATEMENT.split("signatories:")[0] + "about: The end.\n")
    export = project / "responses.csv"
    export_csv(export, FIRST[:2])
    done = cli("signatories", "import", str(export), "--statement", str(statement))
    assert done.exit_code == 0, done.output
    data = yaml.safe_load((project / statement).read_text(encoding="utf-8"))
    assert list(data)[-2:] == ["signatories", "about"] and len(data["signatories"]) == 2


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"PK\x03\x04garbage that is no zip", "zip archive that is not a spreadsheet"),
    (b"\x00\x01binary\x00" * 50, "a binary file"),
    (b"Timestamp,Who\n1,x\n", "no column of organisation or signatory names; the headers are: 'Timestamp', 'Who'"),
])
def test_bad_exports_get_one_line_exit_2_and_the_statement_untouched(project, cli, content, message):
    statement = write_statement(project, "joint.yaml", STATEMENT)
    export = project / "bad.xlsx"
    export.write_bytes(content)
    result = cli("signatories", "import", str(export), "--statement", str(statement))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and message in result.output
    assert result.output.startswith("bad.xlsx:1:1: ") and "Traceback" not in result.output
    assert (project / statement).read_text(encoding="utf-8") == STATEMENT


def test_formulas_in_cells_are_refused(project, cli):
    statement = write_statement(project, "joint.yaml", STATEMENT)
    export = project / "responses.csv"
    export_csv(export, [["1", "a@x.org", '=HYPERLINK("http://evil","Click")', "Laos", "Yes"]])
    result = cli("signatories", "import", str(export), "--statement", str(statement))
    assert result.exit_code == 2 and result.output.startswith("responses.csv:2:3: a formula, not a name")
    assert (project / statement).read_text(encoding="utf-8") == STATEMENT


def test_export_neutralises_formulas_and_check_reports(project, cli):
    from openpyxl import load_workbook

    text = STATEMENT.replace("about:", "  - name: '=1+2'\n    country: Atlantis\n  - name: '-Youth Network'\n"
                                       "  - name: \"@cmd\"\n  - name: Map Foundation\n    country: Myanmar\nabout:")
    statement = write_statement(project, "joint.yaml", text)
    out = project / "out" / "signatories.xlsx"
    result = cli("signatories", "export", str(statement), "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f" or str(c.value).startswith(("=", "+", "-", "@", "\t", "\r"))]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["Foundation for Education and Development (FED)", "Thailand", "TH"]
    assert values[3] == ["'=1+2", "Atlantis", None]
    csv_out = project / "signatories.csv"
    assert cli("signatories", "export", str(statement), "-o", str(csv_out)).exit_code == 0
    read = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert [r[0] for r in read] == ["Name", "Foundation for Education and Development (FED)", "MAP Foundation", "'=1+2",
                                    "'-Youth Network", "'@cmd", "Map Foundation"]
    checked = cli("signatories", "check", str(statement))
    assert checked.exit_code == 2
    assert checked.output.splitlines() == [
        "statements/joint.yaml:17:11: unknown country 'Atlantis' of '=1+2'",
        "statements/joint.yaml:21:11: duplicate signatory 'Map Foundation' of line 15 'MAP Foundation'",
    ]
    clean = write_statement(project, "clean.yaml", STATEMENT)
    assert cli("signatories", "check", str(clean)).output == "statements/clean.yaml: 2 signatories, no duplicates, every country known\n"
