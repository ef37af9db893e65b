"""Pieces of WordprocessingML that both the generated Word templates and those built on a letterhead hold.

`wordtemplates` puts them into the templates it makes from the profile;
`letterhead` puts them into an organisation's own Word document, so a
letterhead's template numbers recommendations and shows the DRAFT watermark
as the generated ones do.
"""

from __future__ import annotations

RECOMMENDATION_NUM_ID = 90  # the numbering of the Recommendation paragraph style


def watermark(header) -> None:
    """Add the DRAFT watermark to a header, shown only when the context says draft."""
    from docx.oxml import parse_xml

    header.add_paragraph("{%p if draft %}")
    shape = (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
        '<v:path textpathok="t" o:connecttype="custom"/><v:textpath on="t" fitshape="t"/></v:shapetype>'
        '<v:shape id="DraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:140pt;rotation:315;'
        'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="#d0d0d0" stroked="f"><v:fill opacity=".45"/>'
        '<v:textpath style="font-family:&quot;Noto Sans&quot;;font-size:1pt" string="{{ labels.draft }}"/>'
        '</v:shape></w:pict></w:r></w:p>'
    )
    header._element.append(parse_xml(shape))
    header.add_paragraph("{%p endif %}")
