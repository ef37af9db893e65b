"""Letterheads as organisations make them: hand-written OOXML and LibreOffice, not python-docx.

`raw_letterhead` writes the parts of a .docx by hand: a different first-page
header holding a logo image and a text box with the address, a plain header
for later pages, and a footer. `libreoffice_letterhead` writes a flat ODF
text document with a first-page style and converts it with soffice.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import zipfile
from pathlib import Path

# An 8x8 red PNG: the "logo".
LOGO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR4nGP4z8CAFWEXHbQSACj/P8Fu7N9hAAAAAElFTkSuQmCC"
)
NAME = "Harbour Workers Union"
ADDRESS = "5 Harbour Lane, Portville"
LATER = "Harbour Workers Union, page header"

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
DRAWING = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:v="urn:schemas-microsoft-com:vml"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
{extra}</Types>"""
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

TEXT_BOX = f"""<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:posOffset>3600000</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="2200000" cy="500000"/>
<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="2" name="Address box"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2200000" cy="500000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>
<wps:txbx><w:txbxContent><w:p><w:r><w:t>{ADDRESS}</w:t></w:r></w:p></w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="position:absolute;width:173pt;height:39pt">
<v:textbox><w:txbxContent><w:p><w:r><w:t>{ADDRESS}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>"""

PICTURE = """<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="540000" cy="540000"/>
<wp:docPr id="1" name="Logo"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">
<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr>
<pic:blipFill><a:blip r:embed="rIdLogo"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>
<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="540000" cy="540000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>
</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"""


def _parts(main: str = MAIN, extra_types: str = "") -> dict[str, bytes]:
    first = (f'<w:hdr {W} {R} {DRAWING}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{PICTURE}'
             f'<w:r><w:rPr><w:b/><w:color w:val="0B6E4F"/><w:sz w:val="32"/></w:rPr><w:t xml:space="preserve"> {NAME}</w:t></w:r>'
             f'{TEXT_BOX}</w:p></w:hdr>')
    later = f'<w:hdr {W}><w:p><w:r><w:t>{LATER}</w:t></w:r></w:p></w:hdr>'
    footer = f'<w:ftr {W}><w:p><w:r><w:t>Registered charity 12345</w:t></w:r></w:p></w:ftr>'
    document = (f'<w:document {W} {R}><w:body><w:p><w:r><w:t>Dear reader, this text is replaced.</w:t></w:r></w:p>'
                '<w:sectPr><w:headerReference w:type="default" r:id="rIdH2"/><w:headerReference w:type="first" r:id="rIdH1"/>'
                '<w:footerReference w:type="default" r:id="rIdF1"/>'
                '<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1800" w:right="1300" w:bottom="1440" w:left="1300" '
                'w:header="500" w:footer="500" w:gutter="0"/><w:titlePg/></w:sectPr></w:body></w:document>')
    styles = (f'<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Noto Sans" w:hAnsi="Noto Sans"/>'
              '<w:sz w:val="21"/></w:rPr></w:rPrDefault></w:docDefaults>'
              '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
              '<w:rPr><w:color w:val="222222"/></w:rPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>'
              '<w:rPr><w:b/><w:color w:val="0B6E4F"/><w:sz w:val="44"/></w:rPr></w:style></w:styles>')
    return {
        "[Content_Types].xml": CONTENT_TYPES.format(main=main, extra=extra_types).encode(),
        "_rels/.rels": (f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>').encode(),
        "word/document.xml": document.encode(),
        "word/_rels/document.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rIdH1" Type="{REL}/header" Target="header1.xml"/>'
            f'<Relationship Id="rIdH2" Type="{REL}/header" Target="header2.xml"/>'
            f'<Relationship Id="rIdF1" Type="{REL}/footer" Target="footer1.xml"/></Relationships>').encode(),
        "word/styles.xml": styles.encode(),
        "word/header1.xml": first.encode(),
        "word/_rels/header1.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdLogo" Type="{REL}/image" Target="media/logo.png"/></Relationships>').encode(),
        "word/header2.xml": later.encode(),
        "word/footer1.xml": footer.encode(),
        "word/media/logo.png": LOGO,
    }


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def raw_letterhead(path: Path) -> Path:
    """Write a hand-made OOXML letterhead: first-page header with image and text box, later header, footer."""
    return write_zip(path, _parts())


def macro_letterhead(path: Path) -> Path:
    """Write the same letterhead as a macro-enabled document carrying a VBA project."""
    parts = _parts(main="application/vnd.ms-word.document.macroEnabled.main+xml",
                   extra_types='<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>')
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
    return write_zip(path, parts)


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:font-face-decls><style:font-face style:name="Noto Sans" svg:font-family="'Noto Sans'"/></office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties style:font-name="Noto Sans" fo:font-size="10pt"/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard"/>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="1cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="2cm" fo:margin-bottom="0.5cm"/></style:header-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">{later}</text:p></style:header>
   <style:header-first><text:p text:style-name="Header"><draw:frame draw:name="Logo" text:anchor-type="as-char" svg:width="1.5cm" svg:height="1.5cm">
     <draw:image><office:binary-data>{logo}</office:binary-data></draw:image></draw:frame> {name}</text:p>
    <text:p text:style-name="Header">{address}</text:p></style:header-first>
   <style:footer><text:p>Registered charity 12345</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text><text:p text:style-name="Standard">Dear reader, this text is replaced.</text:p></office:text></office:body>
</office:document>
"""


def libreoffice_letterhead(folder: Path) -> Path | None:
    """Convert a flat ODF letterhead (first-page header with logo) to .docx with soffice; None without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    source = folder / "letterhead.fodt"
    source.write_text(FODT.format(later=LATER, name=NAME, address=ADDRESS, logo=base64.b64encode(LOGO).decode()), encoding="utf-8")
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    shutil.rmtree(profile, ignore_errors=True)
    return folder / "letterhead.docx"
