"""The web page, the email and the ninjs file, read back as their readers read them.

Pages are parsed with lxml and their JSON-LD with extruct; messages with
Python's email package; ninjs files are validated against the official
schemas vendored in the package. The browser checks live in test_browser.py.
"""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

import pytest
from lxml import html as lxml_html

from mmnpress.render import ninjs
from tests.conftest import EXAMPLES, REPO, write_statement

WEB = ("html", "email", "ninjs")
# Phrases of each example translation that every output must hold exactly as typed.
VERBATIM = {
    "th": "เครือข่ายการย้ายถิ่นแม่โขง",
    "my": "မဲခေါင် ရွှေ့ပြောင်းသွားလာမှု ကွန်ရက်",
    "km": "បណ្ដាញចំណាកស្រុកមេគង្គ",
}
EMBARGOED_THAI = """\
kind: press-release
lang: th
title: เครือข่ายการย้ายถิ่นแม่โขงเรียกร้องให้คุ้มครองแรงงานหญิงข้ามชาติในเขตเศรษฐกิจพิเศษ
subtitle: ข่าวประชาสัมพันธ์
date: 2026-11-20
place: เชียงใหม่
organisation: mmn
references: ../bibliography/mmn.json
release: embargoed
embargo: 2999-01-10T09:00:00+07:00
summary: >-
  เครือข่ายการย้ายถิ่นแม่โขง (MMN) เรียกร้องให้รัฐบาลในภูมิภาคคุ้มครองแรงงานหญิงข้ามชาติ[@tfamw2009, 9]
body:
  - >-
    รายงานของธนาคารโลกชี้ว่าการผ่อนคลายข้อจำกัดด้านการย้ายถิ่นจะช่วยเพิ่มสวัสดิการของแรงงาน[@worldbank2017, 5]
recommendations:
  intro: "เราขอเรียกร้องให้:"
  items:
    - title: คุ้มครองสิทธิ
      text: ใช้กฎหมายแรงงานในทุกเขต
contacts:
  - name: Omsin Boonlert
    name_local: ออมสิน บุญเลิศ
    role: เจ้าหน้าที่วิจัยและรณรงค์ MMN
    email: omsin@mekongmigration.org
    phone: "+66 53 283 259"
"""


def build(cli, *args: str) -> None:
    result = cli("build", *args)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def family(tmp_path_factory):
    """Return the build folder of every example built to html, email and ninjs, translations linked."""
    import shutil

    from click.testing import CliRunner

    from mmnpress.commands.main import main

    root = tmp_path_factory.mktemp("publish")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    profile = root / "templates/mmn/profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "page_url: https://www.mekongmigration.org/press/{stem}.html\n"
                       "press_email: press@mekongmigration.org\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "statements"), "--to", ",".join(WEB), "--with-translations",
                                       "--final"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "build"


def page(folder: Path, stem: str):
    return lxml_html.fromstring((folder / f"{stem}.html").read_bytes())


def json_ld(folder: Path, stem: str) -> dict:
    import extruct

    found = extruct.extract((folder / f"{stem}.html").read_text(encoding="utf-8"), syntaxes=["json-ld"])["json-ld"]
    assert len(found) == 1
    return found[0]


def message(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


# The web page


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_is_one_article_with_one_title(family, name):
    stem = Path(name).stem
    tree = page(family, stem)
    assert tree.get("lang") == (stem.split(".")[1] if "." in stem else "en")
    assert len(tree.findall(".//article")) == 1
    assert len(tree.findall(".//h1")) == 1
    assert not tree.xpath("//link[@rel='stylesheet'] | //script[@src] | //img[not(starts-with(@src, 'data:'))]")
    assert tree.xpath("//head/style")


def test_page_holds_every_part_of_the_statement_in_order(family):
    tree = page(family, "2017-11-22-asean-consensus")
    text = " ".join(tree.find(".//article").text_content().split())
    parts = ["cautiously welcomes", "Since then, in preparation", "In particular, we urge", "Mediation",
             "MMN wishes to reiterate", "About MMN", "Reiko Harima", "Notes", "Ibid., 9."]
    positions = [text.find(p) for p in parts]
    assert -1 not in positions, list(zip(parts, positions, strict=True))
    assert positions == sorted(positions)
    items = tree.xpath("//ol[@class='recommendations']/li")
    assert len(items) == 5 and items[0].find("strong").text_content() == "Mediation"


def test_notes_are_end_notes_linked_both_ways_with_aria_roles(family):
    tree = page(family, "2017-11-22-asean-consensus.th")
    refs = tree.xpath("//a[@role='doc-noteref']")
    notes = tree.xpath("//section[@role='doc-endnotes']//li")
    assert len(refs) == len(notes) == 3
    for number, (ref, note) in enumerate(zip(refs, notes, strict=True), 1):
        assert ref.get("href") == f"#{note.get('id')}" and ref.text_content() == str(number)
        back = note.xpath(".//a[@role='doc-backlink']")
        assert back and back[0].get("href") == f"#{ref.get('id')}"
        assert back[0].get("aria-label") == f"กลับไปยังเนื้อความ {number}"


def test_text_in_another_script_carries_its_language(family):
    tree = page(family, "2017-11-22-asean-consensus")
    assert [s.text_content() for s in tree.xpath("//strong[@lang='th']")] == ["ออมสิน บุญเลิศ"]
    thai = page(family, "2017-11-22-asean-consensus.th")
    english = {s.text_content() for s in thai.xpath("//article//span[@lang='en']")}
    assert "MMN " in english and "For inquiries about this statement, please contact:" in english


def test_font_stacks_per_script_and_print_styles(family):
    style = page(family, "2017-11-22-asean-consensus.th").xpath("string(//head/style)")
    # the page's own faces first (it embeds only Thai), then the fonts readers may have
    assert ':lang(th) { font-family: "mmnpress Noto Sans Thai", "Noto Sans Thai", "Leelawadee UI", Tahoma, Thonburi' in style
    for lang, first in (("my", "Noto Sans Myanmar"), ("km", "Noto Sans Khmer"), ("lo", "Noto Sans Lao")):
        assert f':lang({lang}) {{ font-family: "mmnpress Noto Sans Thai", "{first}"' in style
    assert "@media print" in style and "#1F4E79" in style


def test_json_ld_describes_a_news_article_and_its_translations(family):
    original = json_ld(family, "2017-11-22-asean-consensus")
    assert original["@type"] == "NewsArticle"
    assert original["headline"].startswith("Mekong Migration Network (MMN) cautiously welcomes")
    assert original["alternativeHeadline"] == "Mekong Migration Network Statement"
    assert original["inLanguage"] == "en" and original["datePublished"] == "2017-11-22"
    assert original["author"]["name"] == original["publisher"]["name"] == "Mekong Migration Network"
    assert any("Civil Society Proposal" in c for c in original["citation"])
    translations = {w["inLanguage"]: w["@id"] for w in original["workTranslation"]}
    assert translations["th"] == "https://www.mekongmigration.org/press/2017-11-22-asean-consensus.th.html"
    assert set(translations) == {"th", "my", "km", "lo", "vi"}
    thai = json_ld(family, "2017-11-22-asean-consensus.th")
    assert thai["translationOfWork"]["@id"] == "https://www.mekongmigration.org/press/2017-11-22-asean-consensus.html"
    assert thai["headline"].startswith(VERBATIM["th"])


def test_hreflang_and_open_graph_link_the_language_family(family):
    tree = page(family, "2017-11-22-asean-consensus.km")
    links = {a.get("hreflang"): a.get("href") for a in tree.xpath("//link[@rel='alternate']")}
    assert set(links) == {"en", "th", "my", "km", "lo", "vi"}
    assert links["my"] == "https://www.mekongmigration.org/press/2017-11-22-asean-consensus.my.html"
    meta = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    assert meta["og:type"] == "article" and meta["og:locale"] == "km_KH"
    assert meta["og:url"] == links["km"] and meta["og:title"].startswith(VERBATIM["km"])


def test_without_translations_a_page_links_only_its_original(project, cli):
    build(cli, "statements/2017-11-22-asean-consensus.th.yaml", "--to", "html")
    tree = page(project / "build", "2017-11-22-asean-consensus.th")
    assert not tree.xpath("//link[@hreflang]")
    data = json_ld(project / "build", "2017-11-22-asean-consensus.th")
    assert data["translationOfWork"]["@id"] == "2017-11-22-asean-consensus.html"
    assert "workTranslation" not in data


def test_an_embargoed_page_says_so_and_is_not_indexed(project, cli):
    write_statement(project, "embargoed.th.yaml", EMBARGOED_THAI)
    build(cli, "statements/embargoed.th.yaml", "--to", "html,ninjs", "--final")
    tree = page(project / "build", "embargoed.th")
    assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
    first = tree.find(".//article").getchildren()[0]
    assert first.get("role") == "note" and first.text_content().startswith("ห้ามเผยแพร่ก่อน")
    assert json_ld(project / "build", "embargoed.th")["datePublished"] == "2999-01-10T09:00:00+07:00"
    data = json.loads((project / "build/embargoed.th.ninjs.json").read_text(encoding="utf-8"))
    assert data["embargoed"] == "2999-01-10T09:00:00+07:00" and not ninjs.validate(data)


def test_a_page_rebuilt_after_its_embargo_is_indexed(project, cli):
    write_statement(project, "over.th.yaml", EMBARGOED_THAI.replace("2999-01-10", "2020-01-10"))
    build(cli, "statements/over.th.yaml", "--to", "html", "--final")
    tree = page(project / "build", "over.th")
    assert not tree.xpath("//meta[@name='robots']") and not tree.xpath("//*[@role='note']")


def test_check_warns_of_an_embargoed_release_built_to_the_web(project, cli):
    write_statement(project, "embargoed.th.yaml", EMBARGOED_THAI)
    plain = cli("check", "statements/embargoed.th.yaml")
    assert "embargoed-web" not in plain.output and plain.exit_code == 0, plain.output
    result = cli("check", "statements/embargoed.th.yaml", "--to", "html,ninjs", "--format", "json")
    report = json.loads(result.output)
    rules = [p["rule"] for p in report["problems"]]
    assert rules == ["embargoed-web"] and result.exit_code == 1


# The email


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_message_is_small_and_made_for_mail_clients(family, name):
    path = family / f"{Path(name).stem}.eml"
    assert path.stat().st_size < 100 * 1024
    parsed = message(path)
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = (part.get_content() for part in parsed.iter_parts())
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["From"] == "Mekong Migration Network <press@mekongmigration.org>"
    assert parsed["Content-Language"] == (Path(name).stem.split(".")[1] if "." in Path(name).stem else "en")
    for forbidden in ("@font-face", "<link", "<script", 'href="#', "<style"):
        assert forbidden not in html
    assert 'width="600"' in html and "max-width: 600px" in html
    assert "Read online" in html or parsed["Content-Language"] != "en"


def test_thai_message_is_compact_and_readable_as_text(family):
    parsed = message(family / "2017-11-22-asean-consensus.th.eml")
    text_part, html_part = parsed.iter_parts()
    assert text_part["Content-Transfer-Encoding"] == html_part["Content-Transfer-Encoding"] == "base64"
    text = text_part.get_content()
    assert text.startswith(VERBATIM["th"])
    assert "[1]" in text and "\n[3] Mauro Testaverde" in text
    assert "https://www.mekongmigration.org/press/2017-11-22-asean-consensus.th.html" in text
    html = html_part.get_content()
    assert re.search(r"<sup[^>]*>1</sup>", html) and "อ่านออนไลน์" in html
    assert "font-family: 'Noto Sans Thai', 'Leelawadee UI', Tahoma, Thonburi" in html


def test_embargoed_thai_subject_starts_with_the_embargo_line(project, cli):
    write_statement(project, "embargoed.th.yaml", EMBARGOED_THAI)
    build(cli, "statements/embargoed.th.yaml", "--to", "email", "--final")
    parsed = message(project / "build/embargoed.th.eml")
    assert parsed["Subject"].startswith("ห้ามเผยแพร่ก่อน 10 มกราคม 3542")
    assert parsed["Subject"].endswith(": เครือข่ายการย้ายถิ่นแม่โขงเรียกร้องให้คุ้มครองแรงงานหญิงข้ามชาติในเขตเศรษฐกิจพิเศษ")
    assert "From" not in parsed  # the examples' profile gives no press address
    text = next(parsed.iter_parts()).get_content()
    assert "[1]" in text and "[2]" in text


# ninjs


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_ninjs_file_is_valid(family, name):
    data = json.loads((family / f"{Path(name).stem}.ninjs.json").read_text(encoding="utf-8"))
    assert ninjs.validate(data, "2") == []
    assert data["uri"] == f"https://www.mekongmigration.org/press/{Path(name).stem}.html"
    html = next(b for b in data["bodies"] if b["contenttype"] == "text/html")["value"]
    assert "<ol" in html or "recommendations" not in data


def test_ninjs_describes_the_statement_and_its_translations(family):
    data = json.loads((family / "2017-11-22-asean-consensus.my.ninjs.json").read_text(encoding="utf-8"))
    assert data["language"] == "my" and data["pubstatus"] == "usable"
    assert data["headlines"][0]["value"].startswith(VERBATIM["my"])
    assert data["by"] == "Mekong Migration Network" and data["located"]
    reiko = data["people"][0]
    assert reiko["name"] == "Reiko Harima (ရေကို ဟာရီမ)" and reiko["rel"] == "contact"
    assert reiko["contactinfo"] == [{"type": "phone", "role": "MMN ဒေသဆိုင်ရာ ညှိနှိုင်းရေးမှူး", "value": "+852 93692244"}]
    languages = {a["language"]: a["name"] for a in data["associations"]}
    assert languages == {"en": "original (en)", "th": "translation (th)", "km": "translation (km)",
                         "lo": "translation (lo)", "vi": "translation (vi)"}


def test_ninjs_3_on_request_is_valid_against_its_own_schema(project, cli):
    build(cli, "statements/2017-11-22-asean-consensus.km.yaml", "--to", "ninjs", "--ninjs-version", "3")
    data = json.loads((project / "build/2017-11-22-asean-consensus.km.ninjs.json").read_text(encoding="utf-8"))
    assert ninjs.validate(data, "3") == [] and ninjs.validate(data, "2") != []
    assert "pubStatus" in data and "versionCreated" in data


def test_an_invalid_ninjs_object_is_reported():
    assert ninjs.validate({"uri": "x", "pubstatus": "maybe", "headlines": [{"role": "main"}]})


# Scripts


@pytest.mark.parametrize("lang", sorted(VERBATIM))
def test_thai_burmese_khmer_text_verbatim_in_every_output(family, lang):
    stem = f"2017-11-22-asean-consensus.{lang}"
    phrase = VERBATIM[lang]
    assert phrase in (family / f"{stem}.html").read_text(encoding="utf-8")
    assert phrase in json.loads((family / f"{stem}.ninjs.json").read_text(encoding="utf-8"))["headlines"][0]["value"]
    parsed = message(family / f"{stem}.eml")
    assert all(phrase in part.get_content() for part in parsed.iter_parts())
    assert phrase in json_ld(family, stem)["headline"]


# Hostile text and profile keys


def test_markup_typed_in_a_statement_prints_as_text_everywhere(project, cli):
    typed = "Fees <script>alert(1)</script> & </script><b>bold</b> {{ x }}"
    write_statement(project, "typed.yaml", f"""\
        kind: press-release
        lang: en
        title: "{typed}"
        date: 2020-05-01
        organisation: mmn
        body:
          - "[a link](javascript:alert(1)) and [another](https://example.org/?a=1&b=2)"
        contacts:
          - name: "<img src=x onerror=alert(1)>"
            email: a@example.org
        """)
    build(cli, "statements/typed.yaml", "--to", ",".join(WEB))
    tree = page(project / "build", "typed")
    assert tree.find(".//h1").text_content() == typed
    assert not tree.xpath("//body//script | //body//img[not(starts-with(@src, 'data:'))] | //h1//b")
    assert not tree.xpath("//a[starts-with(@href, 'javascript')]")
    assert tree.xpath("//a/@href[. = 'https://example.org/?a=1&b=2']")
    assert json_ld(project / "build", "typed")["name"] == typed
    html = next(p for p in message(project / "build/typed.eml").iter_parts() if p.get_content_type() == "text/html")
    assert "<script" not in html.get_content() and "&lt;script&gt;" in html.get_content()
    data = json.loads((project / "build/typed.ninjs.json").read_text(encoding="utf-8"))
    assert data["headlines"][0]["value"] == typed and not ninjs.validate(data)


@pytest.mark.parametrize("value", ["javascript:alert(1)//{stem}", "https://example.org/{stem}/{0}", "https://example.org/press"])
def test_a_page_url_must_be_a_web_address_naming_the_stem(project, cli, value):
    profile = project / "templates/mmn/profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + f'page_url: "{value}"\n', encoding="utf-8")
    result = cli("build", "statements/2017-11-22-asean-consensus.yaml", "--to", "html")
    assert result.exit_code == 2
    line = len(profile.read_text(encoding="utf-8").splitlines())
    assert re.search(rf"templates/mmn/profile\.yaml:{line}:\d+: 'page_url' ", result.output), result.output
    assert not (project / "build/2017-11-22-asean-consensus.html").exists()
