"""The block-editor markup of a post, the publish settings, and a site that never answers (no WordPress needed).

The markup is parsed back with a port of WordPress's block grammar
(wp-includes/class-wp-block-parser.php): every block comment opened is
closed in order, its attributes are JSON, and the HTML inside is balanced.
The reference blocks follow the serialisation of WordPress 6.1's editor
(comment, newline, HTML, newline; inner blocks joined by a blank line); they
were written from its serialiser, not captured from a running editor.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mmnpress.build import Request, render_resolved, resolve_request
from mmnpress.errors import MmnpressError
from mmnpress.publishing import blocks, config
from mmnpress.publishing.blocks import Extras, Link, post_content
from mmnpress.publishing.wordpress import Client, PublishError
from tests.conftest import REPO

DELIMITER = re.compile(r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
                       r"(?P<attrs>{(?:(?!}\s+/?-->).)*?}\s+)?(?P<void>/)?-->", re.S)
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}
# What WordPress 6.1's block editor saves for the same content (its serialiser's format).
EDITOR = {
    "paragraph": "<!-- wp:paragraph -->\n<p>Text with <strong>bold</strong></p>\n<!-- /wp:paragraph -->",
    "heading": "<!-- wp:heading -->\n<h2>About MMN</h2>\n<!-- /wp:heading -->",
    "list": ('<!-- wp:list {"ordered":true} -->\n<ol><!-- wp:list-item -->\n<li>One</li>\n<!-- /wp:list-item -->\n\n'
             "<!-- wp:list-item -->\n<li>Two</li>\n<!-- /wp:list-item --></ol>\n<!-- /wp:list -->"),
    "quote": ('<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>Quoted</p>\n'
              "<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->"),
}


def parse(markup: str) -> list[dict]:
    """Parse block markup as WordPress does; raise AssertionError on an unbalanced comment or bad attributes."""
    stack: list[dict] = [{"name": None, "inner": [], "html": []}]
    position = 0
    for match in DELIMITER.finditer(markup):
        stack[-1]["html"].append(markup[position:match.start()])
        position = match.end()
        attrs = json.loads(match["attrs"]) if match["attrs"] else {}
        assert isinstance(attrs, dict)
        if match["closer"]:
            block = stack.pop()
            assert block["name"] == match["name"], f"{match['name']} closes {block['name']}"
            stack[-1]["inner"].append(block)
        elif match["void"]:
            stack[-1]["inner"].append({"name": match["name"], "attrs": attrs, "inner": [], "html": []})
        else:
            stack.append({"name": match["name"], "attrs": attrs, "inner": [], "html": []})
    stack[-1]["html"].append(markup[position:])
    assert len(stack) == 1, f"{stack[-1]['name']} is never closed"
    assert not "".join(stack[0]["html"]).strip(), "text outside every block"
    return stack[0]["inner"]


class Balance(HTMLParser):
    """Check that every element opened is closed, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing open"


def balanced(html: str) -> None:
    checker = Balance()
    checker.feed(html)
    checker.close()
    assert not checker.open, f"<{checker.open[-1]}> is never closed"


def walk(found: list[dict]):
    for block in found:
        yield block
        yield from walk(block["inner"])


@pytest.fixture(scope="module")
def documents():
    out = {}
    for name in ("2017-11-22-asean-consensus.yaml", "2017-11-22-asean-consensus.th.yaml", "2018-01-22-garment-workshops.yaml",
                 "2018-06-01-sez-garment-workers.yaml"):
        request = Request(REPO / "statements" / name, ())
        out[name] = render_resolved(request, resolve_request(request))[0]
    return out


def test_block_writers_save_what_the_block_editor_saves():
    assert blocks.paragraph("Text with <strong>bold</strong>") == EDITOR["paragraph"]
    assert blocks.heading_block("About MMN") == EDITOR["heading"]
    assert blocks.list_block(["One", "Two"], ordered=True) == EDITOR["list"]
    assert blocks.delimited("quote", f'<blockquote class="wp-block-quote">{blocks.paragraph("Quoted")}</blockquote>') == EDITOR["quote"]
    for markup in EDITOR.values():
        parse(markup)


def test_every_post_parses_back_balanced_with_valid_html(documents):
    extras = Extras((Link("Download PDF version here.", "https://example.org/a.pdf"),),
                    (Link("ไทย", "https://example.org/th/", "th"),), "en_US")
    for name, document in documents.items():
        content = post_content(document, extras)
        found = list(walk(parse(content)))
        assert {b["name"] for b in found} <= {"paragraph", "heading", "list", "list-item", "quote"}, name
        for block in found:
            balanced("".join(block["html"]))
        balanced(DELIMITER.sub("", content))


def test_notes_link_both_ways_and_recommendations_are_an_ordered_list(documents):
    content = post_content(documents["2017-11-22-asean-consensus.yaml"])
    marks = re.findall(r'<a href="#fn(\d+)" class="footnote-ref" id="fnref(\d+)"', content)
    assert marks and all(a == b for a, b in marks)
    assert all(f'<a href="#fnref{n}" id="fn{n}"' in content for n, _ in marks)
    listed = [b for b in parse(content) if b["name"] == "list" and b["attrs"] == {"ordered": True}]
    assert len(listed) == 1 and len(listed[0]["inner"]) == len(documents["2017-11-22-asean-consensus.yaml"].recommendations)


def test_text_in_the_sites_language_is_not_marked_and_other_text_is(documents):
    thai = documents["2017-11-22-asean-consensus.th.yaml"]
    assert '<span lang="th">' not in post_content(thai, Extras(site_lang="th"))
    marked = post_content(thai, Extras(site_lang="en_US"))
    assert marked.count('<p><span lang="th">') >= len(thai.body)


def _organisation(tmp_path: Path, section: str):
    """Return the organisation of a profile whose `publish: wordpress:` section is `section`, loaded and checked."""
    from mmnpress.pipeline.project import load_organisation

    (tmp_path / "profile.yaml").write_text("name: Test\npublish:\n  wordpress:\n" + section, encoding="utf-8")
    return load_organisation(tmp_path)


def test_settings_are_read_and_checked_with_located_lines(tmp_path):
    organisation = _organisation(tmp_path, "    url: https://example.org/\n    user: officer\n    categories: {statement: News}\n    tags: [a, b]\n")
    site = config.publish_settings(organisation)["wordpress"]
    assert (site.url, site.user, site.categories, site.tags, site.files) == ("https://example.org", "officer", {"statement": "News"},
                                                                            ("a", "b"), ("pdf",))
    with pytest.raises(MmnpressError) as raised:
        _organisation(tmp_path, "    url: http://example.org\n    user: officer\n    password: hunter22\n    categories: {memo: X}\n")
    lines = raised.value.lines()
    assert len(lines) == 3 and all(re.match(r".*profile\.yaml:\d+:\d+: ", line) for line in lines), lines
    assert "must use https" in lines[0] and "never goes in a file" in lines[1] and "'memo'" in lines[2], lines
    assert "hunter22" not in "\n".join(lines)
    loopback = _organisation(tmp_path, "    url: http://127.0.0.1:8080\n    user: officer\n")
    assert config.publish_settings(loopback)["wordpress"].url == "http://127.0.0.1:8080"


def test_several_sites_are_chosen_by_name(tmp_path):
    organisation = _organisation(tmp_path, "    main: {url: 'https://a.example', user: x}\n    staging: {url: 'https://b.example', user: y}\n")
    sites = config.publish_settings(organisation)
    profile = tmp_path / "profile.yaml"
    assert config.choose_site(sites, "staging", profile).url == "https://b.example"
    with pytest.raises(MmnpressError, match="choose one with --site"):
        config.choose_site(sites, None, profile)


def test_a_site_that_never_answers_is_one_line_after_the_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        with Client(url, "officer", "secret-password", timeout=0.5) as client, pytest.raises(PublishError) as raised:
            client.get("/wp/v2/users/me")
    finally:
        for connection, _ in accepted:
            connection.close()
        listener.close()
    assert str(raised.value) == f"{url} did not answer within 0.5 s (while trying to open the site)"
    assert "secret" not in str(raised.value)
