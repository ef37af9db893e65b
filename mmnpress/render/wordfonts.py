"""Give a Word file the fonts its scripts need, as Word itself would embed them.

Word and LibreOffice show Thai, Burmese, Khmer and Lao only with a font that
has them, and few machines have Noto. `apply` therefore, after the template
is filled:

- names the document language's script font in every style (templates are
  shared by all languages) and takes complex-script italics away: Noto has
  no italic Thai, Lao, Khmer or Burmese, so Word would only slant them;
- names the East Asian family (fonts.CJK) in the `w:eastAsia` slot of each
  run with Chinese, Japanese or Korean text, and of every style when the
  document has such text: Hangul asks for Noto Sans KR, kana for Noto Sans
  JP, Han alone for the family of the document language; a run mostly in
  those scripts is set upright, as the PDF sets it (no italic exists);
- names fonts Windows ships (Leelawadee UI, Myanmar Text, Microsoft YaHei,
  Yu Gothic, Malgun Gothic) as the theme's script fonts, the last resort of
  a machine that lacks the embedded ones;
- embeds static Regular and Bold instances of the packaged families the
  document uses (fonts.py), obfuscated as ECMA-376 Part 1 §17.8.1 requires,
  listed in fontTable.xml with `w:embedRegular`/`w:embedBold`, and turns on
  `w:embedTrueTypeFonts` in the settings.

The packaged Noto fonts are variable; Word embeds only static TrueType
fonts. The whole-family instances are shipped in the package
(`staticfonts`); others are made once with fontTools (seconds per font) and
kept in the user's cache folder (`usercache`). The Latin families are cut to Latin and
Vietnamese first (Greek and Cyrillic would quadruple the file); the script
fonts are kept whole, so a reviewer can type any word of the language.
The East Asian fonts hold tens of thousands of glyphs (a static instance of
Noto Sans SC would weigh 10 MB), so they are cut to the characters the
document has and marked `w:subsetted`, as Word does with "embed only the
characters used".
No Python library writes embedded fonts into a package (python-docx does
not), hence this module.
"""

from __future__ import annotations

import functools
import io
import re
import uuid
from pathlib import Path

from lxml import etree

from .. import fonts, usercache
from ..unicode import scripts
from . import staticfonts
from .wordml import SCRIPT_FONTS, qn

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
INSTANCE_VERSION = "1"  # part of the cache name: raise when the instances change
STYLES = {"Regular": 400, "Bold": 700}
# Layout features a lean instance keeps beside fontTools' defaults (shaping of every script, kerning, ligatures):
# small capitals, which a web page asks for by `font-variant: small-caps`.
LEAN_FEATURES = ("smcp",)
# Code points kept in the Latin families: Latin, Vietnamese, punctuation, currency, a few symbols.
LATIN = [*range(0x20, 0x250), *range(0x2B0, 0x370), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070),
         *range(0x20A0, 0x20C1), 0x2116, 0x2122, 0x2190, 0x2192, 0x2212, 0x25CC, 0xFEFF, 0xFFFD]
# Which characters need which script font.
SCRIPT_RANGES = {
    "Noto Sans Thai": ((0x0E00, 0x0E7F),),
    "Noto Sans Lao": ((0x0E80, 0x0EFF),),
    "Noto Sans Myanmar": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    "Noto Sans Khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
}
WHOLE_FAMILIES = ("Noto Sans", "Noto Serif", *SCRIPT_RANGES)  # their instances are shipped (staticfonts)
# The theme's script fonts: what Windows 10/11 always have.
THEME_FONTS = {"Thai": "Leelawadee UI", "Laoo": "Leelawadee UI", "Khmr": "Leelawadee UI", "Mymr": "Myanmar Text",
               "Hans": "Microsoft YaHei", "Hant": "Microsoft JhengHei", "Jpan": "Yu Gothic", "Hang": "Malgun Gothic"}
# fontTable's character set of each East Asian family: GB2312, Shift JIS, Hangul, Big5.
CJK_CHARSETS = {"Noto Sans SC": "86", "Noto Sans JP": "80", "Noto Sans KR": "81", "Noto Sans TC": "88"}
# Run properties that come after w:lang in CT_RPr.
_RPR_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")
# Settings that come before w:embedTrueTypeFonts in CT_Settings.
_SETTINGS_BEFORE = ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                    "printFractionalCharacterWidth", "printFormsData")
_FONT_ATTRIBUTES = tuple(qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia"))


def apply(docx, lang: str, embed: bool = True) -> None:
    """Name each script's font, unslant complex scripts, set the theme's fonts and embed the fonts used."""
    package = docx.part.package
    _name_script_font(docx.styles.element, SCRIPT_FONTS.get(lang))
    named: set[str] = set()
    text: list[str] = []
    for part in _word_parts(package):
        if hasattr(part, "element"):
            named_here, text_here = _unslant(part.element, lang)
        else:  # python-docx keeps it as bytes: the same bytes in every build of a template
            part._blob, named_here, text_here = _unslanted_blob(part.blob, lang)
        named.update(named_here)
        text += text_here
    if scripts.east_asian_writing("".join(text), lang):
        _name_style_east_asian_font(docx.styles.element, fonts.CJK[scripts.east_asian_language(lang)])
    _set_theme_fonts(package)
    if embed:
        _embed(docx, _families_used(named, "".join(text)), "".join(text))


def _word_parts(package):
    """Yield each part holding text or styles (document, styles, headers, footers, notes)."""
    for part in package.iter_parts():
        if part.partname.startswith("/word/") and part.partname.endswith(".xml") and "theme" not in part.partname:
            yield part


def _unslant(root, lang: str) -> tuple[set[str], list[str]]:
    """Remove complex-script italics under `root`, name East Asian fonts; return the fonts it names and its texts."""
    for italic in list(root.iter(qn("w:iCs"))):
        italic.getparent().remove(italic)
    _name_east_asian_fonts(root, lang)
    named = {fonts_element.get(attribute) for fonts_element in root.iter(qn("w:rFonts")) for attribute in _FONT_ATTRIBUTES}
    return named, [t.text or "" for t in root.iter(qn("w:t"))]


@functools.lru_cache(maxsize=32)
def _unslanted_blob(blob: bytes, lang: str) -> tuple[bytes, frozenset[str], tuple[str, ...]]:
    """Return a part kept as bytes as `_unslant` leaves it, the fonts it names and its texts.

    Kept for the parts a template carries unchanged into every build
    (stylesWithEffects.xml alone is 0.4 MB of XML to parse and write).
    """
    root = etree.fromstring(blob)
    named, text = _unslant(root, lang)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), frozenset(named), tuple(text)


def _store(part, root) -> None:
    """Write `root` back into a part python-docx keeps as bytes."""
    if not hasattr(part, "element"):
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _name_script_font(styles, font: str | None) -> None:
    """Make every style ask for `font` for complex-script text."""
    if font is None:
        return
    for fonts_element in styles.iter(qn("w:rFonts")):
        fonts_element.attrib.pop(qn("w:cstheme"), None)
        fonts_element.set(qn("w:cs"), font)


def _name_east_asian_fonts(root, lang: str) -> None:
    """Make each run with Chinese, Japanese or Korean text name its family in `w:eastAsia` and its language."""
    for run in root.iter(qn("w:r")):
        writing = scripts.east_asian_writing("".join(t.text or "" for t in run.iter(qn("w:t"), qn("w:delText"))), lang)
        if writing is None:
            continue
        properties = run.find(qn("w:rPr"))
        if properties is None:
            properties = etree.Element(qn("w:rPr"))
            run.insert(0, properties)
        _run_fonts(properties).set(qn("w:eastAsia"), fonts.CJK[writing])
        _language(properties).set(qn("w:eastAsia"), _EAST_ASIAN_TAGS[writing])
        if _mostly_east_asian(run):
            _upright(properties)


_EAST_ASIAN_TAGS = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "ja": "ja-JP", "ko": "ko-KR"}


def _mostly_east_asian(run) -> bool:
    """Tell whether most letters of `run` are Chinese, Japanese or Korean."""
    letters = [char for text in run.iter(qn("w:t"), qn("w:delText")) for char in text.text or "" if char.isalpha()]
    return sum(map(scripts.is_east_asian, letters)) * 2 > len(letters)


def _upright(properties) -> None:
    """Turn italics off in run properties: the East Asian fonts have none, so Word would only slant them."""
    found = properties.find(qn("w:i"))
    if found is None:
        found = etree.Element(qn("w:i"))
        earlier = [child for child in properties if etree.QName(child).localname in ("rStyle", "rFonts", "b", "bCs")]
        properties.insert(properties.index(earlier[-1]) + 1 if earlier else 0, found)
    found.set(qn("w:val"), "0")


def _run_fonts(properties):
    """Return the `w:rFonts` of run properties, added after `w:rStyle` when missing."""
    found = properties.find(qn("w:rFonts"))
    if found is None:
        found = etree.Element(qn("w:rFonts"))
        style = properties.find(qn("w:rStyle"))
        properties.insert(0 if style is None else properties.index(style) + 1, found)
    found.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would win over the family named here
    return found


def _language(properties):
    """Return the `w:lang` of run properties, added where the schema wants it when missing."""
    found = properties.find(qn("w:lang"))
    if found is None:
        found = etree.Element(qn("w:lang"))
        later = [child for child in properties if etree.QName(child).localname in _RPR_AFTER_LANG]
        if later:
            later[0].addprevious(found)
        else:
            properties.append(found)
    return found


def _name_style_east_asian_font(styles, font: str) -> None:
    """Make every style ask for `font` for East Asian text, so text a reviewer types finds it too."""
    for fonts_element in styles.iter(qn("w:rFonts")):
        fonts_element.attrib.pop(qn("w:eastAsiaTheme"), None)
        fonts_element.set(qn("w:eastAsia"), font)


def _set_theme_fonts(package) -> None:
    """Name fonts Windows ships as the theme's fonts for Thai, Lao, Khmer, Burmese, Chinese, Japanese and Korean."""
    for part in package.iter_parts():
        if not part.partname.startswith("/word/theme/"):
            continue
        root = etree.fromstring(part.blob)
        for collection in root.iter(f"{{{A_NS}}}majorFont", f"{{{A_NS}}}minorFont"):
            present = {f.get("script"): f for f in collection.iter(f"{{{A_NS}}}font")}
            for script, typeface in THEME_FONTS.items():
                entry = present.get(script)
                if entry is None:
                    entry = etree.SubElement(collection, f"{{{A_NS}}}font", script=script)
                entry.set("typeface", typeface)
        _store(part, root)


def _families_used(named: set[str], text: str) -> list[str]:
    """Return the packaged families among those `named` and the script fonts `text` needs."""
    latin = {family for family in named if family and family not in SCRIPT_RANGES}
    return [family for family in sorted(latin | set(script_families(text))) if variable_file(family)]


def script_families(text: str) -> list[str]:
    """Return the script fonts (SCRIPT_RANGES) the characters of `text` need, in the order of SCRIPT_RANGES."""
    points = {ord(c) for c in text}
    return [family for family, ranges in SCRIPT_RANGES.items()
            if any(low <= point <= high for point in points for low, high in ranges)]


def packaged(family: str) -> bool:
    """Tell whether a font package brings `family` (as a variable font static instances can be made of)."""
    return variable_file(family) is not None


@functools.cache
def characters(family: str) -> frozenset[str]:
    """Return the characters packaged `family` has glyphs for (none when it is not packaged)."""
    from fontTools.ttLib import TTFont

    source = variable_file(family)
    if source is None:
        return frozenset()
    return frozenset(map(chr, TTFont(source, lazy=True)["cmap"].getBestCmap()))


def _embed(docx, families: list[str], text: str) -> None:
    """Embed Regular and Bold of each of `families` and list them in fontTable.xml.

    The East Asian families are cut to the East Asian characters of `text`.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    table_part = next((rel.target_part for rel in docx.part.rels.values() if rel.reltype == RT.FONT_TABLE), None)
    if table_part is None or not families:
        return
    table = etree.fromstring(table_part.blob)
    number = 1 + sum(1 for p in docx.part.package.iter_parts() if p.partname.startswith("/word/fonts/"))
    east_asian = "".join(sorted(scripts.east_asian_characters(text)))
    for family in families:
        keep = east_asian if family in CJK_CHARSETS else None
        if keep == "":
            continue
        entry = _font_entry(table, family, keep)
        for style, tag in (("Regular", "w:embedRegular"), ("Bold", "w:embedBold")):
            key = _font_key(family, style)
            data = _obfuscate(static_instance(family, style, keep), key)
            part = Part(PackURI(f"/word/fonts/font{number}.odttf"), ODTTF_TYPE, data, docx.part.package)
            number += 1
            rel_id = table_part.relate_to(part, FONT_REL)
            embedded = etree.SubElement(entry, qn(tag))
            embedded.set(qn("r:id"), rel_id)
            embedded.set(qn("w:fontKey"), key)
            if keep is not None:
                embedded.set(qn("w:subsetted"), "1")
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    _turn_on(docx.settings.element, "embedTrueTypeFonts")


def _font_entry(table, family: str, keep: str | None):
    """Return the fontTable entry of `family`, made fresh (charset, family, pitch, signature)."""
    for old in table.findall(qn("w:font")):
        if old.get(qn("w:name")) == family:
            table.remove(old)
    entry = etree.SubElement(table, qn("w:font"))
    entry.set(qn("w:name"), family)
    for tag, value in (("w:charset", CJK_CHARSETS.get(family, "00")), ("w:family", "swiss" if "Sans" in family else "roman"),
                       ("w:pitch", "variable")):
        etree.SubElement(entry, qn(tag)).set(qn("w:val"), value)
    usb, csb = _signature(family, keep)
    signature = etree.SubElement(entry, qn("w:sig"))
    for index, value in enumerate(usb):
        signature.set(qn(f"w:usb{index}"), f"{value:08X}")
    for index, value in enumerate(csb):
        signature.set(qn(f"w:csb{index}"), f"{value:08X}")
    return entry


def _turn_on(settings, name: str) -> None:
    """Add the switch `w:name` to the settings where the schema's order wants it."""
    if settings.find(qn(f"w:{name}")) is not None:
        return
    switch = etree.Element(qn(f"w:{name}"))
    earlier = [child for child in settings if etree.QName(child).localname in _SETTINGS_BEFORE]
    if earlier:
        earlier[-1].addnext(switch)
    else:
        settings.insert(0, switch)


def _font_key(family: str, style: str) -> str:
    """Return the GUID that obfuscates a font: fixed per font, so the same statement gives the same file."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"mmnpress:{family}:{style}")).upper() + "}"


def _obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes of `data` with the key's bytes in reverse order (ECMA-376 §17.8.1)."""
    key_bytes = bytes.fromhex(re.sub(r"[^0-9A-Fa-f]", "", key))[::-1]
    head = bytes(byte ^ key_bytes[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


@functools.cache
def variable_file(family: str) -> Path | None:
    """Return the packaged upright font file of `family`, or None."""
    stem = family.replace(" ", "")
    for folder in fonts.font_folders(cjk=True):
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() == ".ttf" and file.name.split("[")[0] == stem:
                return file
    return None


def _signature(family: str, keep: str | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Return the Unicode and code page ranges of `family` (OS/2), as fontTable's w:sig wants them."""
    from fontTools.ttLib import TTFont

    os2 = TTFont(io.BytesIO(static_instance(family, "Regular", keep)), lazy=True)["OS/2"]
    usb = (os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4)
    return usb, (os2.ulCodePageRange1, os2.ulCodePageRange2)


@functools.lru_cache(maxsize=64)  # bounded: a web page asks for its own characters, new at many edits in watch or the server
def static_instance(family: str, style: str, keep: str | None = None, lean: bool = False) -> bytes:
    """Return a static TrueType instance of packaged `family` in `style` (Regular or Bold).

    With `keep`, the instance holds only those characters; without, a Latin
    family holds Latin and Vietnamese and a script family all it has. A
    `lean` instance cut to `keep` keeps only the layout features text needs
    unasked (shaping, kerning, ligatures) and LEAN_FEATURES: a Latin font's
    alternates and figure styles go (for a web page). A whole family's
    instance is shipped in the package (`staticfonts`); the others are made
    once with fontTools, then read from the user's cache folder under a name
    that hashes the variable font's path, size and time and the characters.
    """
    source = variable_file(family)
    if source is None:
        raise LookupError(f"no packaged font file for {family}")
    if keep is None and (shipped := staticfonts.shipped(family, style, source, INSTANCE_VERSION)) is not None:
        return shipped
    info = source.stat()
    stamp = (f"{INSTANCE_VERSION}:{source}:{info.st_size}:{info.st_mtime_ns}:{style}" + (f":{keep}" if keep is not None else "")
             + (":lean" if lean and keep is not None else ""))
    unicodes = [ord(char) for char in keep] if keep is not None else None if family in SCRIPT_RANGES else LATIN
    announce = f"preparing fonts for {_script_name(family)} (once)…" if keep is None else None
    return usercache.kept("font-instances", stamp.encode(), f"{family.replace(' ', '')}-{style}.ttf",
                          lambda: _instantiate(source, STYLES[style], unicodes, lean), announce)


def make_whole_instance(family: str, style: str) -> bytes:
    """Return a newly made whole-family instance of `family` in `style`, as shipped (scripts/make_static_fonts.py)."""
    source = variable_file(family)
    if source is None:
        raise LookupError(f"no packaged font file for {family}")
    return _instantiate(source, STYLES[style], None if family in SCRIPT_RANGES else LATIN)


def _script_name(family: str) -> str:
    """Return the script a whole family is for, as a user names it (Thai, Khmer; Latin for Noto Sans and Serif)."""
    name = family.removeprefix("Noto Sans ").removeprefix("Noto Serif")
    return {"": "Latin", "Noto Sans": "Latin", "Myanmar": "Burmese"}.get(name, name)


def _instantiate(source: Path, weight: int, unicodes: list[int] | None, lean: bool = False) -> bytes:
    """Return the instance of the variable font `source` at `weight` and normal width, as TrueType bytes.

    With `unicodes`, the font is first cut to those characters (`lean`ly: see static_instance).
    """
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    # head.modified stays the source font's (fontTools would stamp the time of saving): same inputs, same bytes
    font = TTFont(io.BytesIO(_cut(source, None if unicodes is None else tuple(unicodes), lean)), recalcTimestamp=False)
    axes = {axis.axisTag for axis in font["fvar"].axes}
    location = {"wght": weight, **({"wdth": 100} if "wdth" in axes else {})}
    static = instancer.instantiateVariableFont(font, location, updateFontNames=True)
    static["OS/2"].fsType = 0  # installable embedding, as the OFL allows
    buffer = io.BytesIO()
    static.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=4)
def _cut(source: Path, unicodes: tuple[int, ...] | None, lean: bool = False) -> bytes:
    """Return the variable font `source` cut to `unicodes` (whole when None), kept for the next weight.

    A `lean` cut keeps fontTools' default layout features and LEAN_FEATURES only.

    Cutting is the slow step (a second for a 17 MB East Asian font), so
    Regular and Bold share one cut.
    """
    import logging

    from fontTools import subset as subsetting
    from fontTools.ttLib import TTFont

    if unicodes is None:
        return source.read_bytes()
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(source, recalcTimestamp=False)  # keep the source's head.modified, as _instantiate does
    options = subsetting.Options(name_IDs=["*"], name_languages=["*"], notdef_outline=True, glyph_names=False)
    # fontTools' default features shape every script, kern and join ligatures
    options.layout_features = [*options.layout_features, *LEAN_FEATURES] if lean else ["*"]
    subsetter = subsetting.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
