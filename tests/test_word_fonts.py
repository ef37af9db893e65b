"""Fonts travel with the Word file: embedded, named per script, read back by Word's rules and by LibreOffice.

The embedded fonts are de-obfuscated with the key fontTable.xml gives and
opened with fontTools, so a wrong key or a wrong part fails here as it
would in Word. LibreOffice then renders the Thai and Burmese statements on
a machine where fontconfig is told to reject every Noto font: the glyphs
can only come from the DOCX.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from mmnpress.build import Request
from mmnpress.render import RenderOptions

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
STEM = "2017-11-22-asean-consensus"
SCRIPT_FONT = {"th": "Noto Sans Thai", "my": "Noto Sans Myanmar", "km": "Noto Sans Khmer", "lo": "Noto Sans Lao"}


def _docx(built_examples, lang: str):
    return zipfile.ZipFile(built_examples(f"{STEM}.{lang}.yaml").docx)


def _xml(package: zipfile.ZipFile, name: str):
    return etree.fromstring(package.read(name))


def _embedded(package: zipfile.ZipFile) -> dict[tuple[str, str], TTFont]:
    """Return the embedded fonts by (name in fontTable, Regular/Bold), de-obfuscated and opened."""
    table = _xml(package, "word/fontTable.xml")
    if "word/_rels/fontTable.xml.rels" not in package.namelist():
        return {}
    rels = {rel.get("Id"): rel.get("Target") for rel in _xml(package, "word/_rels/fontTable.xml.rels")}
    found = {}
    for font in table.findall("w:font", NS):
        for tag, style in (("embedRegular", "Regular"), ("embedBold", "Bold")):
            embed = font.find(f"w:{tag}", NS)
            if embed is None:
                continue
            data = bytearray(package.read("word/" + rels[embed.get(f"{{{R}}}id")]))
            key = bytes.fromhex(re.sub("[^0-9A-F]", "", embed.get(f"{{{W}}}fontKey").upper()))[::-1]
            for index in range(32):
                data[index] ^= key[index % 16]
            found[font.get(f"{{{W}}}name"), style] = TTFont(io.BytesIO(bytes(data)))
    return found


@pytest.mark.parametrize("lang", ["th", "my", "km", "lo"])
def test_the_script_font_and_the_latin_families_are_embedded(built_examples, lang):
    package = _docx(built_examples, lang)
    fonts = _embedded(package)
    assert set(fonts) == {(family, style) for family in (SCRIPT_FONT[lang], "Noto Sans", "Noto Serif")
                          for style in ("Regular", "Bold")}
    for (family, style), font in fonts.items():
        assert font["name"].getDebugName(1) == family and font["name"].getDebugName(2) == style
        assert "fvar" not in font  # a static instance: Word embeds no variable fonts
        assert font["OS/2"].usWeightClass == (700 if style == "Bold" else 400)
    script_font = fonts[SCRIPT_FONT[lang], "Regular"]["cmap"].getBestCmap()
    text = "".join(_xml(package, "word/document.xml").itertext())
    letters = {c for c in text if any(low <= ord(c) <= high for low, high in ((0x0E00, 0x0EFF), (0x1000, 0x109F),
                                                                              (0x1780, 0x17FF)))}
    assert letters and all(ord(c) in script_font for c in letters)
    types = {t.get("PartName") or t.get("Extension"): t.get("ContentType") for t in _xml(package, "[Content_Types].xml")}
    for name in (n for n in package.namelist() if n.startswith("word/fonts/")):
        assert types.get("/" + name, types.get("odttf")) == "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    assert _xml(package, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is not None
    assert all(re.fullmatch(r"word/fonts/font\d+\.odttf", name) for name in package.namelist() if "/fonts/" in name)


@pytest.mark.parametrize("lang", ["th", "my", "km", "lo"])
def test_styles_name_the_language_font_and_never_slant_complex_scripts(built_examples, lang):
    package = _docx(built_examples, lang)
    styles = _xml(package, "word/styles.xml")
    cs_fonts = {fonts.get(f"{{{W}}}cs") for fonts in styles.iter(f"{{{W}}}rFonts")}
    assert cs_fonts == {SCRIPT_FONT[lang]}
    subtitle = styles.find("w:style[@w:styleId='Subtitle']", NS)
    assert subtitle.find("w:rPr/w:i", NS) is not None  # Latin text keeps the italic
    for name in package.namelist():
        if name.startswith("word/") and name.endswith(".xml"):
            assert b"<w:iCs" not in package.read(name), name
    run_fonts = {f.get(f"{{{W}}}cs") for f in _xml(package, "word/document.xml").iter(f"{{{W}}}rFonts")} - {None}
    assert run_fonts == {SCRIPT_FONT[lang]}
    names = {font.get(f"{{{W}}}name") for font in _xml(package, "word/fontTable.xml").findall("w:font", NS)}
    assert {SCRIPT_FONT[lang], "Noto Sans", "Noto Serif"} <= names


def test_the_theme_names_windows_fonts_for_each_script(built_examples):
    theme = _xml(_docx(built_examples, "my"), "word/theme/theme1.xml")
    for collection in ("majorFont", "minorFont"):
        scripts = {f.get("script"): f.get("typeface") for f in theme.iterfind(f".//a:{collection}/a:font", NS)}
        assert {k: scripts[k] for k in ("Thai", "Laoo", "Khmr", "Mymr", "Hans", "Hant", "Jpan", "Hang")} == {
            "Thai": "Leelawadee UI", "Laoo": "Leelawadee UI", "Khmr": "Leelawadee UI", "Mymr": "Myanmar Text",
            "Hans": "Microsoft YaHei", "Hant": "Microsoft JhengHei", "Jpan": "Yu Gothic", "Hang": "Malgun Gothic"}


def test_english_embeds_the_latin_families_and_only_the_scripts_its_text_has(built_examples):
    package = zipfile.ZipFile(built_examples(f"{STEM}.yaml").docx)
    text = "".join("".join(_xml(package, name).itertext()) for name in package.namelist()
                   if name.startswith("word/") and name.endswith(".xml"))
    assert re.search("[\u0e00-\u0e7f]", text)  # a contact's name in Thai
    assert not re.search("[\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]", text)
    assert {family for family, _ in _embedded(package)} == {"Noto Sans", "Noto Serif", "Noto Sans Thai"}


def test_no_embed_fonts_leaves_them_out(project, cli):
    result = cli("build", f"statements/{STEM}.th.yaml", "--to", "docx", "--no-embed-fonts")
    assert result.exit_code == 0, result.output
    package = zipfile.ZipFile(project / "build" / f"{STEM}.th.docx")
    assert not [name for name in package.namelist() if name.startswith("word/fonts/")]
    assert _xml(package, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is None
    assert not _embedded(package)


def test_the_build_key_holds_the_choice(project):
    from mmnpress.build import resolve_request
    from mmnpress.pipeline.cache import build_key

    request = Request(project / "statements" / f"{STEM}.th.yaml")
    resolved = resolve_request(request)
    assert build_key(resolved, request) != build_key(resolved, Request(request.path, render_options=RenderOptions(embed_fonts=False)))


# --- LibreOffice without Noto ----------------------------------------------------------------------

NO_NOTO = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>{cache}</cachedir>
  <selectfont><rejectfont><glob>*Noto*</glob><glob>*noto*</glob>
    <pattern><patelt name="family"><string>Noto Sans Thai</string></patelt></pattern>
    <pattern><patelt name="family"><string>Noto Sans Myanmar</string></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
"""


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None,
                    reason="LibreOffice or poppler-utils is not installed")
@pytest.mark.parametrize("lang", ["th", "my"])
def test_libreoffice_without_noto_shows_the_statement_with_the_embedded_fonts(built_examples, tmp_path, lang):
    config = tmp_path / "fonts.conf"
    config.write_text(NO_NOTO.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FONTCONFIG_FILE": str(config)}
    listed = subprocess.run(["fc-list", ":", "family"], env=env, capture_output=True, text=True, check=True).stdout
    assert "Noto" not in listed
    source = built_examples(f"{STEM}.{lang}.yaml").docx
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   env=env, capture_output=True, timeout=300, check=True)
    pdf = tmp_path / f"{STEM}.{lang}.pdf"
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    used = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}
    family = SCRIPT_FONT[lang].replace(" ", "")
    assert {f"{family}-Regular", f"{family}-Bold"} <= used
    assert all(name.startswith("Noto") for name in used), used  # no fallback font drew anything
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    title = built_examples(f"{STEM}.{lang}.yaml").document.title_plain
    # LibreOffice's PDF text moves and drops some marks (its own ToUnicode); the letters come back in order.
    assert _letters(title) in _letters(text)


def _letters(text: str) -> str:
    """Return the letters of `text`, without marks and spaces."""
    return "".join(c for c in text if unicodedata.category(c) in ("Lo", "Lu", "Ll"))
