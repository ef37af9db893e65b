"""`mmnpress publish` against a real WordPress 6.1 on the loopback (tests/wordpress_site.py), read back as WordPress holds it.

One WordPress serves this whole file; the tests run in order and build on
each other's posts (the examples are published once, by the first fixture).
Posts are read back through the REST API (`context=edit` for the raw
blocks), parsed with WordPress's own `parse_blocks`, and opened in headless
Chromium as the theme renders them.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from lxml import html as lxml_html

from mmnpress import i18n
from tests import wordpress_site
from tests.browser import Browser, chromium_path
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(wordpress_site.missing() is not None, reason=wordpress_site.missing() or "")

EXAMPLES = {
    "en": "statements/2017-11-22-asean-consensus.yaml",
    "th": "statements/2017-11-22-asean-consensus.th.yaml",
    "my": "statements/2017-11-22-asean-consensus.my.yaml",
    "km": "statements/2017-11-22-asean-consensus.km.yaml",
}
DOWNLOAD = {lang: i18n.labels(lang).text["download_pdf"] for lang in ("en", "th", "my", "km")}  # the link's words, as the site's
EMBARGOED = """\
kind: press-release
lang: th
title: เครือข่ายการย้ายถิ่นแม่โขงเรียกร้องให้คุ้มครองแรงงานหญิงข้ามชาติ
date: 2026-11-20
place: เชียงใหม่
organisation: mmn
status: final
release: embargoed
embargo: 2999-01-10T09:00:00+07:00
body:
  - รายงานของธนาคารโลกชี้ว่าการผ่อนคลายข้อจำกัดด้านการย้ายถิ่นจะช่วยเพิ่มสวัสดิการของแรงงาน
contacts:
  - name: Omsin Boonlert
    email: omsin@example.org
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Start the WordPress of this file; stop it after the last test."""
    running = wordpress_site.start(tmp_path_factory.mktemp("wordpress"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def project(tmp_path_factory, site):
    """Return a copy of the example project whose profile publishes to the site as its administrator."""
    folder = tmp_path_factory.mktemp("project")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, folder / name)
    _profile(folder, site.url, "officer")
    return folder


@pytest.fixture(scope="module")
def published(project, site):
    """Publish the English, Thai, Burmese and Khmer examples as drafts, creating their category; return the recorded states."""
    done = mmnpress(project, site, "publish", "wordpress", "--create-categories", *EXAMPLES.values())
    assert done.returncode == 0, done.stderr
    return {lang: _state(project, path) for lang, path in EXAMPLES.items()}


def mmnpress(project: Path, site, *args: str, user: str = "officer", password: str | None = None) -> subprocess.CompletedProcess:
    """Run the mmnpress command line in `project`, with the Application Password of `user` in the environment."""
    env = dict(os.environ, PYTHONPATH=str(REPO), MMNPRESS_WORDPRESS_PASSWORD=password or site.users[user].password)
    code = "from mmnpress.entry import run; import sys; sys.argv[0] = 'mmnpress'; run()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=project, env=env, capture_output=True, text=True, timeout=300)


def _profile(project: Path, url: str, user: str, extra: str = "") -> None:
    profile = project / "templates" / "mmn" / "profile.yaml"
    text = profile.read_text(encoding="utf-8").split("\npublish:")[0]
    profile.write_text(text + f"""
publish:
  wordpress:
    url: {url}
    user: {user}
    categories:
      statement: MMN Activities
      press-release: MMN Activities
    tags: [migration]
{extra}""", encoding="utf-8")


def _state(project: Path, statement: str) -> dict:
    return json.loads((project / ".mmnpress" / "published" / f"{Path(statement).stem}.wordpress.json").read_text())


def _post(site, post_id: int) -> dict:
    return site.rest(f"/wp/v2/posts/{post_id}?context=edit", user="officer")


def _connections(site) -> int:
    """Return how many connections PHP's server has accepted so far (its log has a line for each)."""
    return (site.folder / "php.log").read_text(errors="replace").count(" Accepted")


def test_examples_go_up_as_block_posts_in_their_category(published, site):
    category = site.rest("/wp/v2/categories?search=MMN%20Activities")[0]
    tag = site.rest("/wp/v2/tags?search=migration")[0]
    for lang, state in published.items():
        post = _post(site, state["post"])
        assert post["status"] == "draft"
        assert post["categories"] == [category["id"]] and post["tags"] == [tag["id"]]
        assert post["slug"] == Path(EXAMPLES[lang]).stem.replace(".", "-")
        assert post["date"] == "2017-11-22T00:00:00"
        raw = post["content"]["raw"]
        assert raw.count("<!-- wp:list-item -->") >= 5 + 3  # the recommendations and the notes
        assert '<!-- wp:list {"ordered":true} -->' in raw
        assert post["excerpt"]["raw"]
        blocks = json.loads(site.php(f"echo json_encode(parse_blocks(get_post({state['post']})->post_content));"))
        names = {b["blockName"] for b in blocks}
        assert names <= {"core/paragraph", "core/heading", "core/list", "core/quote"} | {None}
        assert all(not b["innerHTML"].strip() for b in blocks if b["blockName"] is None)  # nothing outside a block
        assert {b["blockName"] for b in blocks if b["blockName"] == "core/list" for b in b["innerBlocks"]} == {"core/list-item"}


def test_notes_list_links_and_the_pdf_read_back(published, site):
    for lang, state in published.items():
        page = lxml_html.fromstring(_post(site, state["post"])["content"]["rendered"])
        marks = page.xpath("//a[@class='footnote-ref']")
        assert marks and [m.get("href") for m in marks] == [f"#fn{n}" for n in range(1, len(marks) + 1)]
        for n in range(1, len(marks) + 1):
            back = page.xpath(f"//*[@id='fn{n}']")[0]
            assert back.get("href") == f"#fnref{n}" and page.xpath(f"//*[@id='fnref{n}']")
        assert len(page.xpath("//ol[contains(@class, 'footnotes')]/li")) == len(marks)
        download = page.xpath(f"//a[normalize-space()='{DOWNLOAD[lang]}']")[0]
        assert download.get("href") == state["media"]["pdf"]["url"]
        with urllib.request.urlopen(download.get("href")) as answer:
            assert answer.headers["Content-Type"] == "application/pdf" and answer.read(5) == b"%PDF-"
        media = site.rest(f"/wp/v2/media/{state['media']['pdf']['id']}", user="officer")
        assert media["mime_type"] == "application/pdf" and media["source_url"] == state["media"]["pdf"]["url"]
        others = page.xpath("//p[contains(@class, 'also-in')]//a")
        assert {a.get("hreflang") for a in others} == set(EXAMPLES) - {lang}
        assert {a.get("href") for a in others} == {published[o]["link"] for o in EXAMPLES if o != lang}


def test_thai_burmese_khmer_text_is_byte_identical_after_wordpress_filters(published, site, project):
    from mmnpress.build import Request, render_resolved, resolve_request
    from mmnpress.document import plain_text

    for lang in ("th", "my", "km"):
        request = Request(project / EXAMPLES[lang], ())
        document, _ = render_resolved(request, resolve_request(request))
        page = lxml_html.fromstring(site.rest(f"/wp/v2/posts/{published[lang]['post']}", user="officer")["content"]["rendered"])
        for mark in page.xpath("//sup"):
            mark.drop_tree()
        rendered = [p.text_content() for p in page.xpath("//p")]
        for block in document.body:
            assert plain_text(block.text).strip() in rendered, (lang, plain_text(block.text)[:40])
        assert page.xpath(f"//span[@lang='{lang}']")  # the site speaks English: the text says which language it is


def test_a_second_publish_sends_nothing(published, site, project):
    before = _connections(site)
    done = mmnpress(project, site, "publish", "wordpress", *EXAMPLES.values())
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("up to date") == 4 and "nothing sent" in done.stdout
    assert _connections(site) == before
    assert all(_state(project, path) == published[lang] for lang, path in EXAMPLES.items())


def test_an_edit_in_wordpress_blocks_the_publish_and_force_overwrites(published, site, project):
    post_id = published["en"]["post"]
    site.php(f"wp_update_post(array('ID' => {post_id}, 'post_content' => get_post({post_id})->post_content . "
             "\"\\n\\n<!-- wp:paragraph -->\\n<p>Added in WordPress.</p>\\n<!-- /wp:paragraph -->\"));")
    statement = project / EXAMPLES["en"]
    statement.write_text(statement.read_text(encoding="utf-8").replace("cautiously welcomes the ASEAN Consensus on\n    the",
                                                                        "cautiously welcomes the new ASEAN Consensus on\n    the"))
    recorded = (project / ".mmnpress/published/2017-11-22-asean-consensus.wordpress.json").read_bytes()
    refused = mmnpress(project, site, "publish", "wordpress", EXAMPLES["en"])
    assert refused.returncode == 2
    assert len(refused.stderr.splitlines()) == 1 and "was edited in WordPress" in refused.stderr and "--force" in refused.stderr
    assert "Added in WordPress." in _post(site, post_id)["content"]["raw"]
    assert (project / ".mmnpress/published/2017-11-22-asean-consensus.wordpress.json").read_bytes() == recorded
    forced = mmnpress(project, site, "publish", "wordpress", "--force", EXAMPLES["en"])
    assert forced.returncode == 0, forced.stderr
    raw = _post(site, post_id)["content"]["raw"]
    assert "Added in WordPress." not in raw and "welcomes the new ASEAN Consensus" in raw
    old, new = published["en"]["media"]["pdf"], _state(project, EXAMPLES["en"])["media"]["pdf"]
    assert new["hash"] != old["hash"] and new["id"] != old["id"]  # the PDF changed with the text: uploaded again, the old one removed
    with pytest.raises(urllib.error.HTTPError):
        site.rest(f"/wp/v2/media/{old['id']}", user="officer")
    revisions = site.rest(f"/wp/v2/posts/{post_id}/revisions?context=edit", user="officer")
    assert any("Added in WordPress." in r["content"]["raw"] for r in revisions)


def test_publish_makes_the_family_live_and_links_only_live_posts(published, site, project):
    done = mmnpress(project, site, "publish", "wordpress", "--publish", EXAMPLES["en"], EXAMPLES["th"])
    assert done.returncode == 0, done.stderr
    for lang in ("en", "th"):
        state = _state(project, EXAMPLES[lang])
        assert _post(site, state["post"])["status"] == "publish" == state["status"]
    english = lxml_html.fromstring(_post(site, _state(project, EXAMPLES["en"])["post"])["content"]["rendered"])
    assert {a.get("hreflang") for a in english.xpath("//p[contains(@class, 'also-in')]//a")} == {"th"}  # my and km are drafts


def test_an_embargoed_release_is_scheduled_and_a_missed_schedule_is_reported(site, project):
    (project / "statements" / "embargoed.th.yaml").write_text(EMBARGOED, encoding="utf-8")
    done = mmnpress(project, site, "publish", "wordpress", "--publish", "statements/embargoed.th.yaml")
    assert done.returncode == 0, done.stderr
    state = _state(project, "embargoed.th.yaml")
    post = _post(site, state["post"])
    assert post["status"] == "future" and post["date_gmt"] == "2999-01-10T02:00:00"
    status = mmnpress(project, site, "publish", "status", "statements/embargoed.th.yaml")
    assert status.returncode == 0 and "scheduled for 2999-01-10T02:00:00 UTC" in status.stdout
    site.php(f"global $wpdb; $wpdb->update($wpdb->posts, array('post_date_gmt' => '2020-01-01 00:00:00', "
             f"'post_date' => '2020-01-01 00:00:00'), array('ID' => {state['post']})); clean_post_cache({state['post']});")
    missed = mmnpress(project, site, "publish", "status", "statements/embargoed.th.yaml")
    assert missed.returncode == 1 and "missed its schedule" in missed.stdout and "WP-Cron" in missed.stdout


def test_a_contributor_is_refused_before_anything_is_sent(site, project):
    (project / "statements" / "contributed.yaml").write_text((project / EXAMPLES["en"]).read_text(encoding="utf-8"), encoding="utf-8")
    posts, media = _count(site, "posts"), _count(site, "media")
    _profile(project, site.url, "contributor")
    try:
        done = mmnpress(project, site, "publish", "wordpress", "--publish", "statements/contributed.yaml", user="contributor")
    finally:
        _profile(project, site.url, "officer")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "user 'contributor' (WordPress role: contributor) may not upload files" in done.stderr and "nothing was sent" in done.stderr
    assert (_count(site, "posts"), _count(site, "media")) == (posts, media)
    assert not (project / ".mmnpress/published/contributed.wordpress.json").exists()


def test_a_wrong_password_is_one_line_that_never_shows_a_password(site, project):
    done = mmnpress(project, site, "publish", "wordpress", "statements/2018-01-22-garment-workshops.yaml",
                    password="abcd EFGH ijkl MNOP qrst UVWX")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "refused the Application Password of user 'officer'" in done.stderr
    assert "abcd" not in done.stdout + done.stderr and "EFGH" not in done.stdout + done.stderr


def test_the_password_appears_in_no_output_and_no_file(site, project):
    password = site.users["officer"].password
    runs = [mmnpress(project, site, "publish", "wordpress", "--dry-run", "statements/2018-06-01-sez-garment-workers.yaml"),
            mmnpress(project, site, "publish", "wordpress", "statements/2018-06-01-sez-garment-workers.yaml"),
            mmnpress(project, site, "publish", "status", *EXAMPLES.values()),
            mmnpress(project, site, "publish", "wordpress", "--site", "nope", EXAMPLES["en"])]
    # status warns (exit 1): the Burmese and Khmer posts extend the English statement, edited by an earlier test
    assert [r.returncode for r in runs] == [0, 0, 1, 2], [r.stdout + r.stderr for r in runs]
    assert "warning: the statement changed since it was last published" in runs[2].stdout
    # as WordPress shows it (groups of four), and any eight characters of it
    variants = {password, " ".join(password[i:i + 4] for i in range(0, len(password), 4)),
                *(password[i:i + 8] for i in range(0, len(password) - 7, 4))}
    for run in runs:
        assert not any(v in run.stdout + run.stderr for v in variants)
    for path in project.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(v.encode() in data for v in variants), path


def test_a_failed_post_leaves_no_media_and_no_state(site, project):
    plugin = site.folder / "wp" / "wp-content" / "mu-plugins" / "refuse.php"
    plugin.parent.mkdir(exist_ok=True)
    plugin.write_text("<?php add_filter('rest_pre_insert_post', function ($post) { return new WP_Error('broken', "
                      "'The database is down', array('status' => 500)); });")
    try:
        (project / "statements" / "refused.yaml").write_text((project / EXAMPLES["en"]).read_text(encoding="utf-8"), encoding="utf-8")
        media = _count(site, "media")
        done = mmnpress(project, site, "publish", "wordpress", "statements/refused.yaml")
    finally:
        plugin.unlink()
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "500" in done.stderr and "nothing was published" in done.stderr and "removed" in done.stderr
    assert _count(site, "media") == media
    assert not (project / ".mmnpress/published/refused.wordpress.json").exists()


def test_a_missing_category_is_one_clear_line(site, project):
    _profile(project, site.url, "officer")
    profile = project / "templates" / "mmn" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace("position-paper: MMN Activities", "")
                       .replace("press-release: MMN Activities", "press-release: Press Room"), encoding="utf-8")
    try:
        done = mmnpress(project, site, "publish", "wordpress", "--dry-run", "statements/2018-01-22-garment-workshops.yaml")
    finally:
        _profile(project, site.url, "officer")
    kind = "press-release"
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert f"the category 'Press Room' (publish: wordpress: categories: {kind}" in done.stderr and "--create-categories" in done.stderr


def test_a_site_that_is_not_wordpress_is_named_so(project, site, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _profile(project, f"http://127.0.0.1:{server.server_address[1]}", "officer")
    try:
        done = mmnpress(project, site, "publish", "wordpress", "statements/2018-01-22-garment-workshops.yaml")
    finally:
        server.shutdown()
        server.server_close()
        _profile(project, site.url, "officer")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "is not a WordPress site" in done.stderr


def test_plain_permalinks_work_through_rest_route(site, project):
    site.php("update_option('permalink_structure', ''); flush_rewrite_rules();")
    try:
        (project / "statements" / "plain.yaml").write_text((project / EXAMPLES["km"]).read_text(encoding="utf-8"), encoding="utf-8")
        done = mmnpress(project, site, "publish", "wordpress", "statements/plain.yaml")
    finally:
        site.php("update_option('permalink_structure', '/%year%/%postname%/'); flush_rewrite_rules();")
    assert done.returncode == 0, done.stderr
    assert _post(site, _state(project, "plain.yaml")["post"])["content"]["raw"].startswith("<!-- wp:")


@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_published_thai_post_in_chromium(published, site, project, tmp_path):
    mmnpress(project, site, "publish", "wordpress", "--publish", EXAMPLES["th"])
    link = _state(project, EXAMPLES["th"])["link"]
    with Browser() as browser:
        browser.open(link)
        browser.wait_for("document.querySelector('a.footnote-ref') !== null")
        pairs = browser.evaluate("""Array.from(document.querySelectorAll('a.footnote-ref')).map(a => {
            const note = document.querySelector(a.getAttribute('href'));
            const back = note && document.querySelector(note.getAttribute('href'));
            return [a.id, note ? note.id : null, back ? back.id : null]; })""")
        assert pairs and all(mark == back and note and note.startswith("fn") for mark, note, back in pairs)
        browser.evaluate("document.querySelector('a.footnote-ref').click()")
        assert browser.evaluate("location.hash") == "#fn1"
        answer = browser.evaluate(f"""fetch(Array.from(document.querySelectorAll('a')).find(a => a.textContent === '{DOWNLOAD["th"]}').href)
            .then(r => r.status + ' ' + r.headers.get('content-type'))""", awaited=True)
        assert answer == "200 application/pdf"
        browser.evaluate("location.hash = ''; window.scrollTo(0, 0)")
        shot = Path(os.environ.get("MMNPRESS_SCREENSHOTS", tmp_path)) / "wordpress-thai-post.png"
        browser.screenshot(shot)
        assert shot.stat().st_size > 10_000


def _count(site, kind: str) -> int:
    request = urllib.request.Request(f"{site.url}/?rest_route=/wp/v2/{kind}&status=any&per_page=1&context=edit"
                                     if kind == "posts" else f"{site.url}/?rest_route=/wp/v2/{kind}&per_page=1")
    request.add_header("Authorization", wordpress_site._basic(site.users["officer"]))
    with urllib.request.urlopen(request) as answer:
        return int(answer.headers["X-WP-Total"])


def test_no_password_at_all_says_where_to_put_it(project, site):
    env = {k: v for k, v in os.environ.items() if k != "MMNPRESS_WORDPRESS_PASSWORD"}
    env.update(PYTHONPATH=str(REPO), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    code = "from mmnpress.entry import run; import sys; sys.argv[0] = 'mmnpress'; run()"
    (project / "statements" / "unsent.yaml").write_text((project / EXAMPLES["en"]).read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code, "publish", "wordpress", "statements/unsent.yaml"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "MMNPRESS_WORDPRESS_PASSWORD" in done.stderr and "keyring set mmnpress" in done.stderr
    assert re.search(r"\bofficer\b", done.stderr)
