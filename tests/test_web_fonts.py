"""The web page as a reader without Thai, Burmese, Khmer or Lao fonts sees it.

Chromium here has only the machine's fonts that lack those scripts (no
packaged font): whatever draws the title, the subtitle and a paragraph must
be the page's own embedded face, and text in a script without italics must
stand upright. DevTools' CSS.getPlatformFontsForNode says which font drew
the text directly inside a node and how many glyphs it drew.
Set MMNPRESS_SCREENSHOTS=folder to keep a screenshot of each page.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.browser import Browser, needs_chromium
from tests.conftest import REPO

SEED = "2017-11-22-asean-consensus"
SCRIPT_FONTS = {"th": "Noto Sans Thai", "my": "Noto Sans Myanmar", "km": "Noto Sans Khmer", "lo": "Noto Sans Lao"}
PARTS = {"title": "h1", "subtitle": ".subtitle", "paragraph": "article > p:not([class])"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Return the folder of the seed's web page and email and those of its Thai, Burmese, Khmer and Lao translations."""
    from click.testing import CliRunner

    from mmnpress.commands.main import main

    root = tmp_path_factory.mktemp("pages")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    statements = [str(root / "statements" / f"{SEED}.yaml"), *(str(root / "statements" / f"{SEED}.{lang}.yaml") for lang in SCRIPT_FONTS)]
    result = CliRunner().invoke(main, ["build", *statements, "--to", "html,email", "-o", str(root / "build")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.fixture(scope="module")
def reader():
    """A Chromium without the packaged fonts or any other font for the four scripts."""
    with Browser(packaged_fonts=False) as opened:
        opened.send("DOM.enable")
        opened.send("CSS.enable")
        yield opened


def open_page(reader: Browser, page: Path) -> None:
    reader.open(page.as_uri(), 1280)
    assert reader.evaluate("document.fonts.ready.then(() => document.fonts.status)", awaited=True) == "loaded"


def drawn_by(reader: Browser, selector: str) -> list[dict]:
    """Return the fonts that drew the text directly inside the first node `selector` finds."""
    root = reader.send("DOM.getDocument", depth=0)["root"]["nodeId"]
    node = reader.send("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
    assert node, selector
    return reader.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]


def widths(reader: Browser, text: str, family: str, style: str, prefix: str = "mmnpress ") -> tuple[float, float]:
    """Return how wide `text` is set in the page's embedded `family` (named `prefix` + family) and in the whole packaged font.

    A character the embedded face lacks, or one the shaper needs and the
    face lacks, is drawn as a box or in another font: the widths differ.
    """
    from mmnpress.render.wordfonts import STYLES, static_instance

    whole = base64.b64encode(static_instance(family, style)).decode("ascii")
    weight = STYLES[style]
    return tuple(reader.evaluate(f"""(async () => {{
        const face = new FontFace("whole", Uint8Array.from(atob("{whole}"), c => c.charCodeAt(0)), {{weight: "{weight}"}});
        document.fonts.add(await face.load());
        const context = document.createElement("canvas").getContext("2d");
        const width = name => {{ context.font = `{weight} 40px ${{name}}`; return context.measureText({json.dumps(text)}).width; }};
        return [width('"{prefix}{family}"'), width("whole")];
    }})()""", awaited=True))


def own_text(reader: Browser, selector: str) -> str:
    """Return the text directly inside the first node `selector` finds (what getPlatformFontsForNode reports on)."""
    return reader.evaluate(f"[...document.querySelector({selector!r}).childNodes].filter(n => n.nodeType === 3)"
                           ".map(n => n.textContent).join('')")


@needs_chromium()
@pytest.mark.parametrize("lang", SCRIPT_FONTS)
def test_a_reader_without_the_fonts_sees_the_script_in_the_embedded_face(reader, pages, lang):
    open_page(reader, pages / f"{SEED}.{lang}.html")
    for part, selector in PARTS.items():
        fonts = drawn_by(reader, selector)
        text = own_text(reader, selector)
        assert fonts, f"{lang} {part}: nothing drawn"
        others = [f for f in fonts if not f["isCustomFont"] or f["familyName"] != SCRIPT_FONTS[lang]]
        assert not others, f"{lang} {part} is drawn partly in {others}, not only in the page's {SCRIPT_FONTS[lang]}"
        glyphs = sum(f["glyphCount"] for f in fonts)
        letters = sum(1 for c in text if not c.isspace())
        assert glyphs >= letters * 0.6, f"{lang} {part}: {glyphs} glyphs for {letters} characters"
        style = "Bold" if fonts[0]["postScriptName"].endswith("-Bold") else "Regular"
        embedded, whole = widths(reader, text, SCRIPT_FONTS[lang], style)
        assert abs(embedded - whole) < 0.5, f"{lang} {part}: {embedded} px wide in the page's face, {whole} px in the whole font"
    if os.environ.get("MMNPRESS_SCREENSHOTS"):
        reader.screenshot(Path(os.environ["MMNPRESS_SCREENSHOTS"]) / f"{SEED}.{lang}-without-fonts.png")


@needs_chromium()
@pytest.mark.parametrize("lang", SCRIPT_FONTS)
def test_a_script_without_italics_is_not_slanted(reader, pages, lang):
    open_page(reader, pages / f"{SEED}.{lang}.html")
    assert reader.evaluate("getComputedStyle(document.querySelector('.subtitle')).fontStyle") == "normal"


@needs_chromium()
def test_an_english_subtitle_stays_italic_in_the_embedded_latin_face(reader, pages):
    open_page(reader, pages / f"{SEED}.html")
    assert reader.evaluate("getComputedStyle(document.querySelector('.subtitle')).fontStyle") == "italic"
    fonts = drawn_by(reader, ".subtitle")
    assert [(f["familyName"], f["isCustomFont"]) for f in fonts] == [("Noto Serif", True)]


@pytest.mark.parametrize("lang", ["", *SCRIPT_FONTS])
def test_the_email_carries_no_fonts_and_slants_only_what_has_italics(pages, lang):
    import email
    from email import policy

    message = email.message_from_bytes((pages / f"{SEED}{'.' + lang if lang else ''}.eml").read_bytes(), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    assert "@font-face" not in html and "data:font" not in html
    subtitle = re.search(r'<p class="subtitle" style="([^"]*)"', html)[1]
    assert ("font-style: normal" if lang else "font-style: italic") in subtitle


def embedded_faces(page: Path) -> list[tuple[str, int]]:
    """Return the family and weight of each @font-face of `page`."""
    return re.findall(r'@font-face \{ font-family: "([^"]+)"; font-style: normal; font-weight: (\d+);', page.read_text(encoding="utf-8"))


def test_a_page_carries_the_fonts_its_text_needs_and_no_others(pages):
    assert embedded_faces(pages / f"{SEED}.th.html") == [("mmnpress Noto Sans Thai", "400"), ("mmnpress Noto Sans Thai", "700")]
    assert embedded_faces(pages / f"{SEED}.my.html") == [("mmnpress Noto Sans Myanmar", "400"), ("mmnpress Noto Sans Myanmar", "700")]
    # the English page: the profile's two families, and Thai for the Thai name of a contact
    assert [f for f, _ in embedded_faces(pages / f"{SEED}.html")] == [
        f"mmnpress {family}" for family in ("Noto Serif", "Noto Serif", "Noto Sans", "Noto Sans", "Noto Sans Thai", "Noto Sans Thai")]


def test_no_embed_fonts_leaves_them_out_of_the_page(pages, tmp_path):
    from click.testing import CliRunner

    from mmnpress.commands.main import main

    statement = pages.parent / "statements" / f"{SEED}.my.yaml"
    result = CliRunner().invoke(main, ["build", str(statement), "--to", "html", "--no-embed-fonts", "-o", str(tmp_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = (tmp_path / f"{SEED}.my.html").read_text(encoding="utf-8")
    assert "@font-face" not in page and "mmnpress Noto" not in page
    assert ':lang(my) { font-family: "Noto Sans Myanmar", "Myanmar Text"' in page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Return the folder of the example project's statements website."""
    from mmnpress.site.make import make_site

    root = tmp_path_factory.mktemp("site")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    return make_site(root).folder


@needs_chromium()
@pytest.mark.parametrize("page", ["2017/asean-consensus/my/index.html", "2017/asean-consensus/index.html", "th/index.html"])
def test_the_sites_frame_is_drawn_in_its_own_embedded_faces(reader, site, page):
    """The switcher names every language in its own script, the navigation is in the page's: each whole, in the frame's faces."""
    from mmnpress.site.layout import FRAME_FACES

    open_page(reader, site / page)
    links = {lang: f'.languages a[hreflang="{lang}"]' for lang in SCRIPT_FONTS}
    for name, selector in {**links, "search": '.site-nav a[href$="search/index.html"]'}.items():
        fonts = drawn_by(reader, selector)
        assert len(fonts) == 1 and fonts[0]["isCustomFont"], f"{page}, {name}: {fonts}"
        assert fonts[0]["familyName"] == SCRIPT_FONTS.get(name, fonts[0]["familyName"]), f"{page}, {name}: {fonts}"
        style = "Bold" if fonts[0]["postScriptName"].endswith("-Bold") else "Regular"
        embedded, whole = widths(reader, own_text(reader, selector), fonts[0]["familyName"], style, FRAME_FACES)
        assert abs(embedded - whole) < 0.5, f"{page}, {name}: {embedded} px wide in the frame's face, {whole} px in the whole font"
