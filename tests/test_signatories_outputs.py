"""Signatories in every output: grouped by country in the document language, sorted in its order, counted, in columns."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from conftest import write_statement

HEAD = """\
kind: statement
lang: {lang}
title: {title}
date: 2024-03-05
organisation: mmn
body:
  - {body}
"""
COUNTRIES = ["TH", "Burma", "Cambodia", "Lao PDR", "Viet Nam", "မြန်မာ", "ประเทศไทย"]
NAMES = [f"{word} Network {i}" for i, word in enumerate(
    ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo", "Lima", "Mike",
     "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "Xray"])]


def statement(lang: str, names: list[str], countries: list[str], by: str | None = None, title="A joint statement",
              body="We stand together.") -> str:
    lines = [HEAD.format(lang=lang, title=title, body=body).rstrip()]
    if by:
        lines.append(f"signatories_by: {by}")
    lines.append("signatories:")
    for name, country in zip(names, countries, strict=True):
        lines += [f"  - name: {name}", f"    country: {country}"]
    return "\n".join(lines) + "\n"


def build(cli, path, to="docx,pdf,html,email,ninjs"):
    result = cli("build", str(path), "--to", to, "--force")
    assert result.exit_code == 0, result.output


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext is not installed")
def test_every_output_holds_every_signatory_grouped_and_counted(project, cli):
    countries = [COUNTRIES[i % len(COUNTRIES)] for i in range(len(NAMES))]
    path = write_statement(project, "joint.yaml", statement("en", NAMES, countries, by="country"))
    build(cli, path)
    pdf = words(subprocess.run(["pdftotext", str(project / "build" / "joint.pdf"), "-"], capture_output=True, text=True).stdout)
    with zipfile.ZipFile(project / "build" / "joint.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    docx_text = words(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))
    page = (project / "build" / "joint.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert name in pdf and name in docx_text and f"<li>{name}</li>" in page
    count = "Endorsed by 24 organisations from 5 countries"  # Burma and မြန်မာ are one country, TH and ประเทศไทย too
    assert count in pdf and count in docx_text and count in page
    headings = re.findall(r"<h3>([^<]*)</h3>", page)
    assert headings == ["Cambodia", "Laos", "Myanmar (Burma)", "Thailand", "Vietnam"]
    # Word: the list is a continuous section of its own in two columns, the text before it in one
    sections = re.findall(r"<w:sectPr.*?</w:sectPr>", xml)
    assert len(sections) == 3
    assert '<w:cols w:num="2"' in sections[1] and '<w:type w:val="continuous"/>' in sections[1]
    assert "headerReference" in sections[0] and "pgSz" in sections[0] and "pgSz" in sections[1]
    assert sections[0].index("headerReference") < sections[0].index("pgSz") < sections[0].index("cols")
    body_before_list = xml[:xml.index(sections[0])]
    assert "We stand together." in body_before_list and "Alpha Network 0" not in body_before_list
    assert xml.index("Alpha Network 0") < xml.index(sections[1]) and xml.rindex("Xray Network 23") < xml.index(sections[1])
    import email
    import json
    from email import policy

    message = email.message_from_bytes((project / "build" / "joint.eml").read_bytes(), policy=policy.default)
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    ninjs = json.loads((project / "build" / "joint.ninjs.json").read_text(encoding="utf-8"))
    ninjs_text = json.dumps(ninjs, ensure_ascii=False)
    for name in NAMES:
        assert f"- {name}\r\n" in plain and name in html and name in ninjs_text
    assert "Cambodia\r\n- " in plain and count in plain and count in ninjs_text


def test_signatories_by_name_and_as_listed(project, cli):
    names = ["Zeta Org", "alpha org", "Mu Org"]
    by_name = write_statement(project, "byname.yaml", statement("en", names, ["KH", "Laos", "Atlantis"], by="name"))
    build(cli, by_name, "html")
    page = (project / "build" / "byname.html").read_text(encoding="utf-8")
    assert re.findall(r"<li>([^<]*)</li>", page) == ["alpha org (Laos)", "Mu Org (Atlantis)", "Zeta Org (Cambodia)"]
    listed = write_statement(project, "listed.yaml", statement("en", names, ["KH", "Laos", "Atlantis"], by="as-listed"))
    build(cli, listed, "html")
    page = (project / "build" / "listed.html").read_text(encoding="utf-8")
    assert re.findall(r"<li>([^<]*)</li>", page) == ["Zeta Org (Cambodia)", "alpha org (Laos)", "Mu Org (Atlantis)"]


def test_the_profile_gives_the_default_order(project, cli):
    profile = project / "templates" / "mmn" / "profile.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nsignatories_by: name\n", encoding="utf-8")
    path = write_statement(project, "joint.yaml", statement("en", ["B Org", "A Org"], ["TH", "KH"]))
    build(cli, path, "html")
    page = (project / "build" / "joint.html").read_text(encoding="utf-8")
    assert re.findall(r"<li>([^<]*)</li>", page) == ["A Org (Cambodia)", "B Org (Thailand)"] and "<h3>" not in page
    profile.write_text(profile.read_text(encoding="utf-8").replace("signatories_by: name", "signatories_by: alphabet"), encoding="utf-8")
    result = cli("build", str(path), "--to", "html", "--force")
    assert result.exit_code != 0 and "'signatories_by' must be one of as-listed, country, name, not 'alphabet'" in result.output


def test_thai_signatories_sort_in_thai_order(project, cli):
    names = ["ขบวนการแรงงาน", "เครือข่ายสตรี", "กลุ่มเยาวชน", "เกษตรกรภาคเหนือ", "มูลนิธิเพื่อนหญิง", "ไทยอาสา"]
    path = write_statement(project, "thai.yaml", statement("th", names, ["TH"] * 4 + ["Myanmar", "Cambodia"], by="country", title="แถลงการณ์ร่วม",
                                                           body="เรายืนหยัดร่วมกัน"))
    build(cli, path, "html")
    page = (project / "build" / "thai.html").read_text(encoding="utf-8")
    assert re.findall(r"<h3>([^<]*)</h3>", page) == ["กัมพูชา", "ไทย", "เมียนมา (พม่า)"]  # ก, ท, ม: leading vowels set aside
    assert re.findall(r"<li>([^<]*)</li>", page) == ["ไทยอาสา", "กลุ่มเยาวชน", "เกษตรกรภาคเหนือ", "ขบวนการแรงงาน", "เครือข่ายสตรี",
                                                     "มูลนิธิเพื่อนหญิง"]  # code point order would put every เ... last
    assert "ลงนามรับรองโดย 6 องค์กรจาก 3 ประเทศ" in page


def test_khmer_signatories_sort_in_khmer_order(project, cli):
    names = ["អង្គការ", "សមាគម", "ក្រុម", "ឧត្តម", "កសិករ", "ខ្មែរ"]
    path = write_statement(project, "khmer.yaml", statement("km", names, ["KH"] * 6, by="name", title="សេចក្តីថ្លែងការណ៍រួម",
                                                            body="យើងឈរជាមួយគ្នា"))
    build(cli, path, "html")
    page = (project / "build" / "khmer.html").read_text(encoding="utf-8")
    assert re.findall(r"<li>([^<]*) \(កម្ពុជា\)</li>", page) == ["កសិករ", "ក្រុម", "ខ្មែរ", "សមាគម", "អង្គការ", "ឧត្តម"]
    assert "គាំទ្រដោយអង្គការចំនួន ៦ មកពីប្រទេសមួយ" in page  # Khmer digits, as in its dates
