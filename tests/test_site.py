"""The statements website (`mmnpress site`) read back as readers and machines read it.

Headless Chromium crawls it from the front page over a local http.server and
runs axe-core; feedparser reads the feeds; lxml checks the sitemap against the
sitemaps.org schema; Pagefind's own pagefind.js searches it in Chromium.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.browser import Browser, needs_chromium
from tests.conftest import REPO

VENDOR = Path(__file__).with_name("vendor")
EMBARGO = "2030-01-01T09:00:00+07:00"
BEFORE, AFTER = "2029-12-31T00:00:00+00:00", "2030-02-01"
BASE = "https://statements.example.org/archive"


def site_command(*args: str):
    """Run `mmnpress site` with `args`; return click's result."""
    from mmnpress.commands.main import main

    return CliRunner().invoke(main, ["site", *args], catch_exceptions=False)


def copy_project(root: Path) -> Path:
    """Copy the example project into `root`: the press release made final, one embargoed release added."""
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    release = root / "statements/2018-01-22-garment-workshops.yaml"
    text = release.read_text(encoding="utf-8").replace("status: draft", "status: final")
    release.write_text(text, encoding="utf-8")
    embargoed = text.replace("date: 2018-01-22", "date: 2029-12-20").replace("release: immediate", f"release: embargoed\nembargo: {EMBARGO}")
    embargoed = embargoed.replace("title: Mekong Migration Network and Clean", "title: Embargoed news from Mekong Migration Network and Clean")
    (root / "statements/2029-12-20-embargoed-news.yaml").write_text(embargoed, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site(project) -> Path:
    """The site before the embargo ends (the position paper is a draft)."""
    result = site_command(str(project), "--at", BEFORE)
    assert result.exit_code == 0, result.output
    assert "2018-06-01-sez-garment-workers.yaml: left out: a draft" in result.output
    assert "2029-12-20-embargoed-news.yaml: left out: under embargo until 2030-01-01T09:00:00+07:00" in result.output
    return project / "build/site"


@pytest.fixture(scope="module")
def site_after(project, site) -> Path:
    result = site_command(str(project), "--at", AFTER, "-o", str(project / "build/site-after"), "--base-url", BASE + "/")
    assert result.exit_code == 0, result.output
    return project / "build/site-after"


class Served:
    """A folder served on 127.0.0.1 by http.server, in a thread."""

    def __init__(self, folder: Path):
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def served(site):
    server = Served(site)
    yield server.url
    server.close()


@pytest.fixture(scope="module")
def browser():
    with Browser() as opened:
        yield opened


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# The pages, in Chromium

LINKS = "[...document.querySelectorAll('a[href], link[href], img[src], script[src]')].map(e => e.href || e.src)"


@needs_chromium()
def test_every_internal_link_and_download_answers_from_the_front_page(browser, served):
    seen, pages, queue = set(), [], [served + "index.html"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url) as answer:  # raises on 404
            assert answer.status == 200, url
            kind = answer.headers.get_content_type()
        if kind != "text/html":
            continue
        pages.append(url)
        browser.open(url, 375)
        overflow = browser.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} is {overflow} px too wide at 375 px"
        for link in browser.evaluate(LINKS):
            target = urllib.parse.urldefrag(link)[0]
            if target.startswith(served) and target not in seen:
                queue.append(target)
    names = {urllib.parse.urlsplit(u).path for u in seen}
    assert {
        "/2017/asean-consensus/th/index.html",
        "/2017/asean-consensus/th/asean-consensus-th.pdf",
        "/2017/asean-consensus/th/asean-consensus-th.docx",
        "/2018/garment-workshops/index.html",
        "/statements/index.html",
        "/press-releases/index.html",
        "/2017/index.html",
        "/th/index.html",
        "/search/index.html",
        "/feed.xml",
    } <= names
    assert len(pages) >= 15


@needs_chromium()
@pytest.mark.parametrize("page", ["index.html", "2017/index.html", "2017/asean-consensus/th/index.html", "search/index.html"])
def test_pages_pass_axe_and_fit_375_px(browser, served, page):
    browser.open(served + page, 1280)
    assert browser.axe() == []
    browser.resize(375)
    assert browser.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_statement_page_links_its_downloads_in_its_language(site):
    page = (site / "2017/asean-consensus/th/index.html").read_text(encoding="utf-8")
    assert '<html lang="th">' in page
    assert '<a href="asean-consensus-th.pdf">ดาวน์โหลดฉบับ PDF ที่นี่</a>' in page
    assert '<a href="asean-consensus-th.docx">ดาวน์โหลดฉบับ Word</a>' in page
    assert (site / "2017/asean-consensus/th/asean-consensus-th.pdf").read_bytes().startswith(b"%PDF")
    english = (site / "2017/asean-consensus/index.html").read_text(encoding="utf-8")
    assert '<a href="asean-consensus.pdf">Download PDF version here</a>' in english
    assert 'hreflang="my" href="my/index.html"' in english  # the language switcher, relative


def test_archive_lists_newest_first_with_kind_date_language_and_lead(site):
    front = (site / "index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h2 lang="\w+"><a href="([^"]+)">', front)
    assert titles == ["2018/garment-workshops/index.html", "2017/asean-consensus/index.html"]
    assert 'Press release</a> · <a href="2018/index.html"><time datetime="2018-01-22">22 January 2018</time></a>' in front
    assert '<p class="lead" lang="en">Mekong Migration Network (MMN) cautiously welcomes' in front
    thai = (site / "th/index.html").read_text(encoding="utf-8")
    assert "แถลงการณ์" in thai and "22 พฤศจิกายน 2560" in thai and '<html lang="th">' in thai


# Feeds and sitemap


def test_feeds_hold_every_public_statement_once(site):
    import feedparser

    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    links = [e.link for e in feed.entries]
    assert sorted(links) == sorted(set(links))
    assert len(links) == 7  # the English, five translations, the press release; no draft, no embargoed release
    assert all((site / link).is_file() for link in links)  # relative to the feed
    thai = feedparser.parse((site / "th/feed.xml").read_bytes())
    assert [e.link for e in thai.entries] == ["../2017/asean-consensus/th/index.html"]
    assert thai.entries[0].title.startswith("เครือข่ายการย้ายถิ่นแม่โขง")


def test_sitemap_is_valid_and_lists_every_statement_once_with_its_alternates(site, site_after):
    from lxml import etree

    assert not (site / "sitemap.xml").exists()  # no base URL: a sitemap would need absolute addresses
    schema = etree.XMLSchema(etree.parse(str(VENDOR / "sitemap-with-alternates.xsd")))
    document = etree.parse(str(site_after / "sitemap.xml"))
    schema.assertValid(document)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = document.xpath("//s:loc/text()", namespaces=ns)
    assert len(locs) == len(set(locs)) == 1 + 8
    thai = document.xpath(f"//s:url[s:loc='{BASE}/2017/asean-consensus/th/']/x:link/@hreflang", namespaces=ns)
    assert sorted(thai) == ["en", "km", "lo", "my", "th", "vi"]
    assert f"Sitemap: {BASE}/sitemap.xml" in (site_after / "robots.txt").read_text()
    page = (site_after / "2017/asean-consensus/th/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{BASE}/2017/asean-consensus/th/">' in page
    assert 'href="../../../assets/site.css"' in page  # links between pages stay relative


# Embargo


def test_embargoed_release_is_nowhere_before_and_everywhere_after(site, site_after):
    before = site_files(site)
    assert not any("embargoed" in name for name in before)
    assert not any(b"Embargoed news" in data for data in before.values())
    assert not any("2029" in name for name in before)
    after = site_files(site_after)
    assert "2029/embargoed-news/index.html" in after and "2029/embargoed-news/embargoed-news.pdf" in after
    page = after["2029/embargoed-news/index.html"].decode("utf-8")
    assert 'class="notice embargo"' not in page and "noindex" not in page
    assert b"Embargoed news" in after["index.html"] and b"Embargoed news" in after["feed.xml"]
    assert b"2029/embargoed-news/" in after["sitemap.xml"]
    fragments = [[n for n in files if n.startswith("pagefind/fragment/")] for files in (before, after)]
    assert (len(fragments[0]), len(fragments[1])) == (7, 8)  # one page each in the search index (its files are compressed)


def test_check_names_what_the_site_leaves_out(project):
    from mmnpress.commands.main import main

    result = CliRunner().invoke(main, ["check", str(project / "statements"), "--to", "site"])
    assert re.search(r"2018-06-01-sez-garment-workers\.yaml:9:9: warning: left out of the site: a draft", result.output)
    assert re.search(r"2029-12-20-embargoed-news\.yaml:\d+:\d+: warning: left out of the site: under embargo until 2030", result.output)
    assert result.exit_code == 1


# Search


def _middle_word(text: str) -> str:
    """Return a dictionary word (ICU's) from the middle of a paragraph of Thai, Burmese or Khmer."""
    from icu4py.breakers import WordBreaker

    from mmnpress.render.pdfbreaks import UNSPACED

    words = [w for w in WordBreaker(text, "root") if len(w) >= 4 and all(UNSPACED.match(c) for c in w)]
    return words[len(words) // 2]


@needs_chromium()
@pytest.mark.parametrize("lang", ["th", "my", "km"])
def test_a_word_from_mid_paragraph_finds_its_statement(browser, served, project, site, lang):
    from mmnpress.site.pages import parse_page

    parsed = parse_page((project / f"build/2017-11-22-asean-consensus.{lang}.html").read_bytes())
    paragraph = max(re.findall(r"<p>(.*?)</p>", parsed.main, re.S), key=len)
    word = _middle_word(re.sub(r"<[^>]+>", "", paragraph))
    browser.open(served + "search/index.html", 1280)
    browser.wait_for("window.siteSearch")
    found = browser.evaluate(f"window.siteSearch.search({word!r}).then(r => r.map(d => d.url))", awaited=True)
    assert f"/2017/asean-consensus/{lang}/" in found, (word, found)
    browser.evaluate(f"document.getElementById('search-query').value = {word!r};document.getElementById('search-form').requestSubmit()")
    browser.wait_for("document.querySelector('#search-results li a')")
    assert browser.evaluate("document.querySelector('#search-results li a').textContent")


# Writing only what changed


def test_a_second_run_writes_only_what_changed(project, site):
    out = project / "build/site-again"
    assert site_command(str(project), "--at", BEFORE, "-o", str(out)).exit_code == 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = site_command(str(project), "--at", BEFORE, "-o", str(out))
    assert ", 0 files written," in result.output and "0 removed" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps
    thai = project / "statements/2017-11-22-asean-consensus.th.yaml"
    source = thai.read_text(encoding="utf-8")
    thai.write_text(source.replace("หลักนิติธรรม และธรรมาภิบาล", "หลักนิติธรรม และธรรมาภิบาลที่ดี"), encoding="utf-8")
    try:
        site_command(str(project), "--at", BEFORE, "-o", str(out))
    finally:
        thai.write_text(source, encoding="utf-8")
    changed = {p.relative_to(out).as_posix() for p, stamp in stamps.items() if not p.exists() or p.stat().st_mtime_ns != stamp}
    thai_files = {
        "2017/asean-consensus/th/index.html",
        "2017/asean-consensus/th/asean-consensus-th.pdf",
        "2017/asean-consensus/th/asean-consensus-th.docx",
    }
    assert "2017/asean-consensus/th/index.html" in changed
    assert changed - thai_files - {".mmnpress-site.json"} <= {n for n in changed if n.startswith("pagefind/")}, changed


def test_a_statement_taken_out_takes_its_files_with_it(tmp_path):
    root = copy_project(tmp_path)
    assert site_command(str(root), "--at", AFTER).exit_code == 0
    (root / "build/site/keep-me.txt").write_text("the user's own file")
    release = root / "statements/2029-12-20-embargoed-news.yaml"
    release.write_text(release.read_text(encoding="utf-8").replace("status: final", "status: draft"), encoding="utf-8")
    result = site_command(str(root), "--at", AFTER)
    assert result.exit_code == 0
    assert not (root / "build/site/2029").exists()
    assert (root / "build/site/keep-me.txt").is_file()


# Hostile titles and file names

HOSTILE_TITLE = "Closing </script><script>alert(1)</script> \"quoted\" 'single' ../../../etc/passwd \u200fRTL\u200e \u202eevil end"


@pytest.mark.slow
def test_hostile_titles_and_file_names_stay_in_their_element_and_folder(tmp_path):
    root = tmp_path
    for name in ("templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    (root / "statements").mkdir()
    statement = (
        f"kind: statement\nlang: en\ntitle: '{HOSTILE_TITLE.replace(chr(39), chr(39) * 2)}'\ndate: 2019-05-01\n"
        "status: final\norganisation: mmn\nbody:\n  - A paragraph.\n"
    )
    name = '2019-05-01-..\u200f"quoted" <b>&amp.yaml'
    (root / "statements" / name).write_text(statement, encoding="utf-8")
    result = site_command(str(root))
    assert result.exit_code == 0, result.output
    files = site_files(root / "build/site")
    assert "2019/quoted-b-amp/index.html" in files
    assert all(not n.startswith("/") and ".." not in n.split("/") for n in files)
    for data in files.values():
        assert b"<script>alert" not in data
    page = files["2019/quoted-b-amp/index.html"].decode("utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "&lt;/script&gt;" in title and "<" not in title
    assert "\u202e" not in title and "\u200f" in title  # an override could reorder what follows; a mark stays
    front = files["index.html"].decode("utf-8")
    assert front.count("<script") == 0
    heading = re.search(r'<h2 lang="en"><a href="2019/quoted-b-amp/index.html">(.*?)</a></h2>', front).group(1)
    assert heading.startswith("Closing &lt;/script&gt;&lt;script&gt;alert(1)") and "<" not in heading


# Many statements


def generated_project(root: Path, count: int) -> Path:
    """Make a project of `count` short statements over five years and three kinds."""
    for name in ("templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    (root / "statements").mkdir()
    kinds = ("statement", "press-release", "position-paper")
    for number in range(count):
        day = f"{2015 + number % 5}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        text = (
            f"kind: {kinds[number % 3]}\nlang: en\ntitle: Generated statement number {number}\ndate: {day}\nstatus: final\n"
            f"organisation: mmn\nplace: Chiang Mai\nbody:\n  - Paragraph {number} of the generated statement about migrant workers.\n"
        )
        if kinds[number % 3] == "press-release":
            text += "contacts:\n  - name: Press Officer\n    email: press@example.org\n"
        (root / "statements" / f"{day}-generated-{number}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.slow
def test_200_statements_paginate_20_a_page(tmp_path):
    root = generated_project(tmp_path, 200)
    started = time.perf_counter()
    result = site_command(str(root))
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 900
    site = root / "build/site"
    pages = [site / "index.html", *(site / "page" / str(n) / "index.html" for n in range(2, 11))]
    counts = [p.read_text(encoding="utf-8").count('<article class="entry">') for p in pages]
    assert counts == [20] * 10 and not (site / "page/11").exists()
    first, last = pages[0].read_text(encoding="utf-8"), pages[-1].read_text(encoding="utf-8")
    assert 'rel="next" href="page/2/index.html">Older posts' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="../9/index.html">Newer posts' in last and 'rel="next"' not in last
    dates = re.findall(r'<time datetime="([\d-]+)"', "".join(p.read_text(encoding="utf-8") for p in pages))
    assert dates == sorted(dates, reverse=True) and len(dates) == 200
    years = sum(
        len(re.findall('<article class="entry">', p.read_text(encoding="utf-8")))
        for p in site.glob("20*/**/index.html")
        if re.fullmatch(r"20\d\d(/page/\d+)?", p.parent.relative_to(site).as_posix())
    )
    assert years == 200


# A new project, and publishing it


@pytest.mark.parametrize(
    ("host", "path", "commands"),
    [
        (
            "github",
            ".github/workflows/statements-site.yml",
            ["mmnpress check || [ $? -eq 1 ]", 'mmnpress site --base-url "${{ steps.pages.outputs.base_url }}"'],
        ),
        ("gitlab", ".gitlab-ci.yml", ["mmnpress check || [ $? -eq 1 ]", 'mmnpress site --base-url "$CI_PAGES_URL" -o public']),
    ],
)
def test_init_ci_writes_a_workflow_that_checks_builds_and_publishes(tmp_path, host, path, commands):
    import yaml

    from mmnpress.commands.main import main

    result = CliRunner().invoke(main, ["init", str(tmp_path / "org"), "--name", "Test Org", "--ci", host])
    assert result.exit_code == 0, result.output
    workflow = yaml.safe_load((tmp_path / "org" / path).read_text(encoding="utf-8"))
    steps = workflow["pages"]["script"] if host == "gitlab" else [s.get("run") for s in workflow["jobs"]["build"]["steps"]]
    assert all(command in steps for command in commands)
    again = CliRunner().invoke(main, ["init", str(tmp_path / "org"), "--ci", host])
    assert f"left alone (already there): {tmp_path / 'org' / path}" in again.output or "left alone" in again.output


def test_a_project_without_a_site_section_is_named_after_its_profile(tmp_path):
    from mmnpress.commands.main import main

    assert CliRunner().invoke(main, ["init", str(tmp_path), "--name", "Migrant Rights Org"]).exit_code == 0
    result = site_command(str(tmp_path), "--drafts")
    assert result.exit_code == 0, result.output
    front = (tmp_path / "build/site/index.html").read_text(encoding="utf-8")
    assert "<h1>Migrant Rights Org</h1>" in front and front.count('<article class="entry">') == 3


def test_a_site_section_sets_name_navigation_and_is_checked(tmp_path):
    from mmnpress.errors import InputError
    from mmnpress.pipeline.project import load_organisation
    from mmnpress.site.settings import site_settings

    folder = tmp_path / "org"
    folder.mkdir()
    (folder / "profile.yaml").write_text(
        "name: Org\nsite:\n  name: Org statements\n  navigation:\n    - {label: About, url: 'https://example.org/about'}\n"
        "  base_url: https://example.org/statements/\n",
        encoding="utf-8",
    )
    site = site_settings(load_organisation(folder))
    assert (site.name, site.navigation, site.base_url) == (
        "Org statements",
        (("About", "https://example.org/about"),),
        "https://example.org/statements",
    )
    (folder / "profile.yaml").write_text(
        "name: Org\nsite:\n  colour: red\n  navigation:\n    - {label: x, url: 'javascript:alert(1)'}\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as raised:
        site_settings(load_organisation(folder))
    lines = raised.value.lines()
    assert any(re.search(r"profile\.yaml:3:3: unknown key 'colour'.*colours", line) for line in lines), lines
    assert any(re.search(r"profile\.yaml:5:23: 'site\.navigation\.url' must be an http\(s\) or mailto address", line) for line in lines), lines


def test_a_project_of_drafts_only_builds_an_empty_site(tmp_path):
    # a new project's examples are drafts: the site is written without them, and without a search index
    from mmnpress.commands.main import main

    assert CliRunner().invoke(main, ["init", str(tmp_path), "--name", "New Network"]).exit_code == 0
    result = site_command(str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "left out: a draft" in result.output
    front = (tmp_path / "build/site/index.html").read_text(encoding="utf-8")
    assert "New Network" in front and '<article class="entry">' not in front
    assert not list((tmp_path / "build/site").glob("20*"))


def test_the_pagefind_binary_is_the_one_pagefinds_own_api_finds(monkeypatch, tmp_path):
    from pagefind.service import get_executable

    from mmnpress.site.search import pagefind_binary

    assert pagefind_binary() == str(get_executable())
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pagefind"))
    assert pagefind_binary() == str(get_executable())


def test_the_archive_pages_of_a_language_share_one_cut_of_their_fonts(site):
    """A new letter in one title then makes that language's faces once, not once for every archive listing it."""
    styles = {page: re.search(r"<style>(.*?)</style>", (site / page).read_text(encoding="utf-8"), re.S)[1]
              for page in ("index.html", "statements/index.html", "2017/index.html", "press-releases/index.html")}
    assert len(set(styles.values())) == 1, list(styles)
    assert "@font-face" in styles["index.html"]
