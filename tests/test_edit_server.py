"""`mmnpress edit`'s server, with raw HTTP requests: the refusals, the confinement to statements, saving without lost updates."""

from __future__ import annotations

import http.client
import json
from urllib.parse import unquote

import pytest

from mmnpress.editor.server import Editor
from mmnpress.editor.workspace import version_of

COMMENTED = """\
# A statement kept under review: every comment must survive the editor.
kind: position-paper   # the kind decides the fields shown
lang: en
title: "Women migrant workers in SEZs"
date: 2018-06-01
organisation: mmn
references: ../bibliography/sez.yaml

# the paragraphs
body:
  - heading: Background
  - >-
    Zones attract garment factories with tax breaks and relaxed rules
    [@mmn2019sez].

recommendations:
  intro: "We call on governments to:"
  items:
    # the first recommendation
    - title: Apply labour law in every zone
      text: >-
        Make national labour law apply inside SEZs without exception.
    - title: Guarantee freedom of association   # agreed with partners
      text: Allow workers in zones to form and join unions.
    - title: Publish zone agreements
      text: Publish investment agreements.
"""


@pytest.fixture
def editor(project):
    (project / "statements" / "commented.yaml").write_text(COMMENTED, encoding="utf-8")
    server = Editor(project, "statements/commented.yaml")
    server.start()
    yield server
    server.close()


def request(editor: Editor, method: str, path: str, body: object = None, headers: dict | None = None, cookie: bool = True):
    """Send one request; return (status, headers, body bytes)."""
    port = editor.guard.port
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if cookie:
        sent.setdefault("Cookie", f"{editor.guard.cookie_name}={editor.guard.token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        sent.setdefault("Content-Type", "application/json")
        sent.setdefault("Origin", f"http://127.0.0.1:{port}")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=data, headers=sent)
    answer = connection.getresponse()
    result = answer.status, dict(answer.getheaders()), answer.read()
    connection.close()
    return result


def test_binds_the_loopback_only(editor):
    assert editor.server.server_address[0] == "127.0.0.1"
    assert editor.url.startswith(f"http://127.0.0.1:{editor.guard.port}/?token=")


def test_the_token_url_sets_the_cookie_and_serves_the_page(editor):
    status, headers, _ = request(editor, "GET", f"/?token={editor.guard.token}", cookie=False)
    assert status == 303 and "HttpOnly" in headers["Set-Cookie"] and headers["Location"] == "/"
    status, headers, body = request(editor, "GET", "/")
    assert status == 200 and b"editor.js" in body and "script-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/static/editor.js", "/api/schema", "/api/open?path=statements/commented.yaml"])
def test_no_token_is_refused(editor, path):
    assert request(editor, "GET", path, cookie=False)[0] == 403
    assert request(editor, "GET", path + ("&" if "?" in path else "?") + "token=wrong", cookie=False)[0] == 403


def test_a_foreign_host_is_refused_even_with_the_token(editor):
    for host in (f"evil.example:{editor.guard.port}", f"127.0.0.1.nip.io:{editor.guard.port}", "127.0.0.1:1"):
        assert request(editor, "GET", "/api/schema", headers={"Host": host})[0] == 403


def test_a_write_from_another_origin_is_refused(editor, project):
    before = (project / "statements" / "commented.yaml").read_bytes()
    opened = json.loads(request(editor, "GET", "/api/open?path=statements/commented.yaml")[2])
    data = {**opened["data"], "title": "Hijacked"}
    body = {"path": "statements/commented.yaml", "data": data, "version": opened["version"]}
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Origin": ""},
                    {"Content-Type": "text/plain"}, {"Sec-Fetch-Site": "cross-site"}):
        assert request(editor, "POST", "/api/save", body, headers=headers)[0] == 403
    assert (project / "statements" / "commented.yaml").read_bytes() == before
    for method in ("PUT", "DELETE", "OPTIONS", "HEAD"):
        assert request(editor, method, "/api/save")[0] == 403


@pytest.mark.parametrize("name", ["../templates/mmn/profile.yaml", "statements/../../etc/passwd", "/etc/passwd",
                                  "statements/../templates/mmn/profile.yaml", "bibliography/sez.yaml",
                                  "statements/%2e%2e/templates/mmn/profile.yaml", "statements", "statements/link.yaml"])
def test_no_path_reaches_outside_the_statements(editor, project, name):
    (project / "statements" / "link.yaml").symlink_to(project / "templates" / "mmn" / "profile.yaml")
    status, _, body = request(editor, "GET", "/api/open?path=" + name)
    assert status == 403, body
    assert b"Traceback" not in body
    profile = (project / "templates" / "mmn" / "profile.yaml").read_bytes()
    status, _, _ = request(editor, "POST", "/api/save", {"path": unquote(name), "data": {"title": "x"}, "version": ""})
    assert status == 403
    assert (project / "templates" / "mmn" / "profile.yaml").read_bytes() == profile


def test_no_listing_and_no_file_outside_static(editor):
    for path in ("/static/", "/static/../server.py", "/static/%2e%2e/server.py", "/static/.hidden.js", "/statements/", "/templates/mmn/profile.yaml"):
        status, _, body = request(editor, "GET", path)
        assert status == 404, path
        assert b"editor.js" not in body


def test_the_form_comes_from_the_schema_command(editor):
    from mmnpress.schema_json import json_schema

    assert json.loads(request(editor, "GET", "/api/schema")[2]) == json_schema()


def test_saving_keeps_every_comment_and_untouched_byte(editor, project):
    path = project / "statements" / "commented.yaml"
    opened = json.loads(request(editor, "GET", "/api/open?path=statements/commented.yaml")[2])
    data = opened["data"]
    data["title"] = "แรงงานข้ามชาติหญิงในเขตเศรษฐกิจพิเศษ"
    items = data["recommendations"]["items"]
    items[0], items[1] = items[1], items[0]
    del items[2]
    status, _, body = request(editor, "POST", "/api/save", {"path": "statements/commented.yaml", "data": data, "version": opened["version"]})
    assert status == 200, body
    saved = path.read_text(encoding="utf-8")
    assert json.loads(body)["version"] == version_of(saved.encode("utf-8"))
    expected = COMMENTED.replace('title: "Women migrant workers in SEZs"', 'title: "แรงงานข้ามชาติหญิงในเขตเศรษฐกิจพิเศษ"')
    expected = expected.replace("""    - title: Publish zone agreements
      text: Publish investment agreements.
""", "")
    first = """    # the first recommendation
    - title: Apply labour law in every zone
      text: >-
        Make national labour law apply inside SEZs without exception.
"""
    second = """    - title: Guarantee freedom of association   # agreed with partners
      text: Allow workers in zones to form and join unions.
"""
    assert saved == expected.replace(first + second, "    # the first recommendation\n" + second
                                     + first.replace("    # the first recommendation\n", ""))


def test_a_change_on_disk_is_never_overwritten(editor, project):
    path = project / "statements" / "commented.yaml"
    opened = json.loads(request(editor, "GET", "/api/open?path=statements/commented.yaml")[2])
    theirs = COMMENTED.replace("Publish investment agreements.", "Publish every investment agreement.")
    path.write_text(theirs, encoding="utf-8")
    data = {**opened["data"], "title": "Mine"}
    status, _, body = request(editor, "POST", "/api/save", {"path": "statements/commented.yaml", "data": data, "version": opened["version"]})
    assert status == 409
    answer = json.loads(body)
    assert path.read_text(encoding="utf-8") == theirs
    assert '-title: "Women migrant workers in SEZs"' in answer["difference"] and '+title: "Mine"' in answer["difference"]
    assert answer["data"]["recommendations"]["items"][2]["text"] == "Publish every investment agreement."
    # keeping mine: saved over the version now on disk, whose other changes my form does not hold
    status, _, _ = request(editor, "POST", "/api/save", {"path": "statements/commented.yaml", "data": data, "version": answer["version"]})
    assert status == 200
    assert 'title: "Mine"' in path.read_text(encoding="utf-8")


def test_the_preview_renders_unsaved_text_and_places_findings(editor, project):
    path = project / "statements" / "commented.yaml"
    before = path.read_bytes()
    opened = json.loads(request(editor, "GET", "/api/open?path=statements/commented.yaml")[2])
    data = opened["data"]
    data["title"] = "A title not yet saved"
    status, _, body = request(editor, "POST", "/api/preview", {"path": "statements/commented.yaml", "data": data})
    answer = json.loads(body)
    assert status == 200 and answer["findings"] == []
    status, headers, page = request(editor, "GET", answer["url"])
    assert status == 200 and b"A title not yet saved" in page and headers["Content-Security-Policy"].startswith("sandbox")
    data["recommendations"]["items"][1]["text"] = "Cite [@nobody2020]."
    answer = json.loads(request(editor, "POST", "/api/preview", {"path": "statements/commented.yaml", "data": data})[2])
    where = {f["path"]: f["message"] for f in answer["findings"]}
    assert "nobody2020" in where["recommendations.items.1.text"] and "url" not in answer
    data["date"] = "2018-02-30"
    answer = json.loads(request(editor, "POST", "/api/preview", {"path": "statements/commented.yaml", "data": data})[2])
    assert [(f["path"], f["line"]) for f in answer["findings"]] == [
        ("date", "statements/commented.yaml:5:7: error: 'date' must be a real date written YYYY-MM-DD (got '2018-02-30')")]
    assert all(f["line"].startswith("statements/commented.yaml:") for f in answer["findings"])
    assert path.read_bytes() == before


def test_new_statements_and_translations(editor, project):
    status, _, body = request(editor, "POST", "/api/new", {"kind": "press-release", "slug": "flood-relief", "lang": "en"})
    assert status == 200, body
    made = json.loads(body)["path"]
    opened = json.loads(request(editor, "GET", "/api/open?path=" + made)[2])
    assert opened["data"]["kind"] == "press-release"
    status, _, body = request(editor, "POST", "/api/translate", {"path": "statements/commented.yaml", "lang": "my"})
    assert status == 200
    translation = json.loads(body)["path"]
    assert translation == "statements/commented.my.yaml"
    opened = json.loads(request(editor, "GET", "/api/open?path=" + translation)[2])
    assert opened["data"] == {"extends": "commented.yaml", "lang": "my"}
    assert opened["original"]["data"]["title"] == "Women migrant workers in SEZs"
    assert request(editor, "POST", "/api/translate", {"path": "statements/commented.yaml", "lang": "my"})[0] == 422
    assert request(editor, "POST", "/api/new", {"kind": "press-release", "slug": "../x", "lang": "en"})[0] == 422


def test_bibliography_and_interface_words(editor):
    opened = json.loads(request(editor, "GET", "/api/open?path=statements/commented.yaml")[2])
    entries = json.loads(request(editor, "POST", "/api/bibliography", {"path": "statements/commented.yaml", "data": opened["data"]})[2])["entries"]
    assert any(e["key"] == "mmn2019sez" and e["year"] for e in entries)
    words = json.loads(request(editor, "GET", "/api/messages?lang=th-TH")[2])
    assert words["lang"] == "th" and words["words"]["save"] == "บันทึก" and words["fields"]["recommendations"] == "ข้อเสนอแนะ"
    assert json.loads(request(editor, "GET", "/api/messages?lang=../../x")[2])["lang"] == "en"


NOTED = COMMENTED.replace("\nrecommendations:", """
notes:
  # fees are the first thing workers ask about
  fees: Recruitment fees average [@ilo2017sez].   # checked 2024
  tf-amw: The Task Force was formed in 2008.

recommendations:""")


def saved_form(editor, project, name: str, change) -> tuple[int, bytes, str]:
    """Open statements/`name`, change its form data with `change`, save it; return the status, the answer and the file read back."""
    opened = json.loads(request(editor, "GET", f"/api/open?path=statements/{name}")[2])
    data = opened["data"]
    change(data)
    status, _, body = request(editor, "POST", "/api/save", {"path": f"statements/{name}", "data": data, "version": opened["version"]})
    return status, body, (project / "statements" / name).read_text(encoding="utf-8")


def test_a_note_added_in_the_form_is_written_and_used(editor, project):
    def add_cost(data):
        # as the form does: a new top-level key goes where the schema orders it (before `references`), a new note at the end
        keys = list(data)
        data_with_notes = {**{k: data[k] for k in keys[:keys.index("references")]}, "notes": {"cost": "Fees average USD 400."},
                           **{k: data[k] for k in keys[keys.index("references"):]}}
        data.clear()
        data.update(data_with_notes)
        data["body"][1] += " [^cost]"

    status, body, saved = saved_form(editor, project, "commented.yaml", add_cost)
    assert status == 200, body
    expected = COMMENTED.replace("organisation: mmn\n", "organisation: mmn\nnotes:\n  cost: Fees average USD 400.\n").replace(
        "    [@mmn2019sez].", "    [@mmn2019sez]. [^cost]")
    assert saved == expected


def test_notes_are_removed_and_added_at_the_end_keeping_every_comment(editor, project):
    (project / "statements" / "noted.yaml").write_text(NOTED, encoding="utf-8")

    def remove_and_add(data):
        del data["notes"]["tf-amw"]
        data["notes"]["cost"] = "Fees average USD 400."

    status, body, saved = saved_form(editor, project, "noted.yaml", remove_and_add)
    assert status == 200, body
    assert saved == NOTED.replace("  tf-amw: The Task Force was formed in 2008.\n", "  cost: Fees average USD 400.\n")

    def remove_all(data):
        del data["notes"]

    status, body, saved = saved_form(editor, project, "noted.yaml", remove_all)
    assert status == 200, body
    assert saved == COMMENTED


def test_a_new_note_left_empty_is_not_written(editor, project):
    (project / "statements" / "noted.yaml").write_text(NOTED, encoding="utf-8")
    status, body, saved = saved_form(editor, project, "noted.yaml", lambda data: data["notes"].update({"cost": ""}))
    assert status == 200, body
    assert saved == NOTED


def test_a_note_labelled_with_digits_is_changed_and_removed(editor, project):
    # `1:` reads as a number in YAML; the form holds every label as text
    numbered = NOTED.replace("  tf-amw:", "  1: Numbered.\n  tf-amw:")
    (project / "statements" / "noted.yaml").write_text(numbered, encoding="utf-8")
    status, body, saved = saved_form(editor, project, "noted.yaml", lambda data: data["notes"].update({"1": "Changed."}))
    assert status == 200, body
    assert saved == numbered.replace("1: Numbered.", "1: Changed.")
    status, body, saved = saved_form(editor, project, "noted.yaml", lambda data: data["notes"].pop("1"))
    assert status == 200, body
    assert saved == NOTED
