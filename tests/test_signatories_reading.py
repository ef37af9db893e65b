"""Reading sign-on exports: each form tool's shape, every encoding and delimiter, spreadsheets, cleaning and countries."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mmnpress.errors import InputError
from mmnpress.signatories.cleaning import clean, consents
from mmnpress.signatories.countries import country_code, country_name
from mmnpress.signatories.reading import read_table, recognise

GOOGLE = [
    ["Timestamp", "Email Address", "Name of your organisation", "Country", "Contact person",
     "Does your organisation endorse this statement?"],
    ["2024/03/05 10:15:22 AM GMT+7", "info@fed.or.th", "Foundation for Education and Development (FED)", "Thailand", "Ko Ko",
     "Yes, we endorse"],
    ["2024/03/05 11:02:10 AM GMT+7", "map@example.org", "MAP Foundation", "Burma", "Jackie", "Yes, we endorse"],
    ["2024/03/06 09:00:00 AM GMT+7", "x@example.org", "Undecided Group", "Cambodia", "Sok", "No"],
    ["2024/03/06 09:30:00 AM GMT+7", "y@example.org", "", "Laos", "Nobody", "Yes, we endorse"],
]


def csv_bytes(rows, delimiter=",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def signatories(path: Path, mapping=()) -> list[tuple[str, str | None]]:
    cleaned = clean(read_table(path, mapping))
    assert not cleaned.problems
    return [(e.name, e.code) for e in cleaned.entries]


def test_google_forms_csv_with_bom(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(GOOGLE).encode("utf-8"))
    table = read_table(path)
    assert set(table.columns) == {"timestamp", "email", "organisation", "country", "consent"}
    assert table.headers[0] == "Timestamp"  # the BOM is not part of the first header
    cleaned = clean(table)
    assert [(e.name, e.code, e.line) for e in cleaned.entries] == [
        ("Foundation for Education and Development (FED)", "TH", 2), ("MAP Foundation", "MM", 3)]
    assert cleaned.without_consent == [4]
    assert cleaned.without_name == [5]  # a contact person is not a signatory


def test_microsoft_forms_xlsx_from_openpyxl(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["ID", "Start time", "Completion time", "Email", "Name", "Organization name", "Country/Region",
                  "I endorse this statement on behalf of my organization"])
    sheet.append([1, dt.datetime(2024, 3, 5, 10, 15, 22), dt.datetime(2024, 3, 5, 10, 17, 1), "anonymous", "", "Legal Support for "
                  "Children and Women (LSCW)", "Kampuchea", "I endorse"])
    sheet.append([2, dt.datetime(2024, 3, 5, 11, 0), dt.datetime(2024, 3, 5, 11, 2), "anonymous", "", "Mekong Migration Network",
                  "Viet Nam", ""])
    path = tmp_path / "Joint statement(1-2).xlsx"
    book.save(path)
    table = read_table(path)
    assert table.columns["organisation"] == 5 and table.columns["consent"] == 7 and table.columns["country"] == 6
    cleaned = clean(table)
    assert [(e.name, e.code) for e in cleaned.entries] == [("Legal Support for Children and Women (LSCW)", "KH")]
    assert cleaned.without_consent == [3]  # an unticked box is no consent


def test_kobotoolbox_semicolon_csv_with_group_names(tmp_path):
    rows = [["start", "end", "today", "group_org/org_name", "group_org/country", "consent", "_id", "_uuid", "_submission_time",
             "_index"],
            ["2024-03-05T10:15:22.000+07:00", "2024-03-05T10:20:00.000+07:00", "2024-03-05", "Karen Women's Organization",
             "Myanmar", "yes", "101", "a-b", "2024-03-05T03:20:01", "1"],
            ["2024-03-05T10:15:22.000+07:00", "2024-03-05T10:20:00.000+07:00", "2024-03-05", "Someone", "Thailand", "no", "102",
             "c-d", "2024-03-05T03:21:01", "2"]]
    path = tmp_path / "kobo.csv"
    path.write_text(csv_bytes(rows, ";"), encoding="utf-8")
    assert signatories(path) == [("Karen Women's Organization", "MM")]


def test_action_network_csv_person_names(tmp_path):
    rows = [["first_name", "last_name", "email", "zip_code", "can2_country", "can2_subscription_status", "created_at"],
            ["Somchai", "Jaidee", "s@example.org", "50200", "TH", "subscribed", "2024-03-05 03:15:22 UTC"],
            ["Nguyen", "Van A", "n@example.org", "", "VN", "subscribed", "2024-03-05 04:00:00 UTC"]]
    path = tmp_path / "action_network.csv"
    path.write_text(csv_bytes(rows), encoding="utf-8")
    assert signatories(path) == [("Somchai Jaidee", "TH"), ("Nguyen Van A", "VN")]


@pytest.mark.parametrize("headers, consent", [
    (["ประทับเวลา", "ชื่อองค์กร", "ประเทศ", "ท่านยินยอมร่วมลงนามในแถลงการณ์หรือไม่"], ("ใช่", "ไม่")),
    (["အချိန်", "အဖွဲ့အစည်းအမည်", "နိုင်ငံ", "ထုတ်ပြန်ချက်ကို ထောက်ခံပါသလား"], ("ဟုတ်ကဲ့", "မဟုတ်ပါ")),
    (["ពេលវេលា", "ឈ្មោះអង្គការ", "ប្រទេស", "តើអង្គការរបស់អ្នកយល់ព្រមចុះហត្ថលេខាទេ"], ("បាទ/ចាស", "ទេ")),
    (["ເວລາ", "ຊື່ອົງການ", "ປະເທດ", "ທ່ານເຫັນດີລົງນາມບໍ່"], ("ແມ່ນ", "ບໍ່")),
    (["Dấu thời gian", "Tên tổ chức", "Quốc gia", "Tổ chức của bạn có đồng ý ký tên không?"], ("Có", "Không")),
])
def test_headers_and_answers_in_the_mekong_languages(tmp_path, headers, consent):
    path = tmp_path / "form.csv"
    rows = [headers, ["1", "Org One", "Thailand", consent[0]], ["2", "Org Two", "Thailand", consent[1]]]
    path.write_text(csv_bytes(rows), encoding="utf-8")
    table = read_table(path)
    assert [recognise(h) for h in headers] == ["timestamp", "organisation", "country", "consent"]
    assert [e.name for e in clean(table).entries] == ["Org One"]


def test_utf16_tab_delimited_as_excel_saves_unicode_text(tmp_path):
    path = tmp_path / "unicode.txt"
    rows = [["Organisation", "Country"], ["มูลนิธิเพื่อการศึกษา", "ประเทศไทย"], ["សមាគមខ្មែរ", "កម្ពុជា"]]
    path.write_bytes(csv_bytes(rows, "\t").encode("utf-16"))  # with the BOM, little-endian, as Excel writes it
    assert signatories(path) == [("มูลนิธิเพื่อการศึกษา", "TH"), ("សមាគមខ្មែរ", "KH")]


def test_legacy_encoding_detected_when_sure(tmp_path):
    path = tmp_path / "old-excel.csv"
    rows = [["Organisation", "Country"]] + [[f"Asociación Pública Número {i} de Educación Básica y Económica", "España"]
                                            for i in range(40)]
    path.write_bytes(csv_bytes(rows, ";").encode("cp1252"))
    table = read_table(path)
    assert table.encoding and clean(table).entries[0].name == "Asociación Pública Número 0 de Educación Básica y Económica"


def test_undecidable_encoding_is_refused_not_guessed(tmp_path):
    path = tmp_path / "short.csv"
    path.write_bytes("Organisation\nCaf\xe9 \x8f\x90\x9d\n".encode("latin-1"))
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert "CSV UTF-8" in str(caught.value)


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"\x00\x01\x02\x03" * 100, "binary"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_bad_files_get_one_line(tmp_path, content, message):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert len(caught.value.lines()) == 1 and message in str(caught.value) and str(caught.value).startswith("")


def test_a_zip_that_is_no_spreadsheet(tmp_path):
    path = tmp_path / "export.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="zip archive that is not a spreadsheet"):
        read_table(path)


def test_no_name_column_lists_the_headers_and_map_fixes_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Timestamp,Who signs,Where\n2024,Org A,Laos\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(path)
    assert "'Timestamp', 'Who signs', 'Where'" in str(caught.value) and "--map" in str(caught.value)
    assert signatories(path, ("Who signs=name", "Where=country")) == [("Org A", "LA")]
    with pytest.raises(InputError, match="no column 'Nowhere'"):
        read_table(path, ("Nowhere=name",))


def test_too_many_rows_and_huge_cells_and_formulas(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    many = tmp_path / "many.csv"
    many.write_text("Organisation\n" + "".join(f"Org {i}\n" for i in range(100_000)), encoding="utf-8")
    with pytest.raises(InputError, match="100,000 rows; the limit is 20,000"):
        read_table(many)
    huge = tmp_path / "huge.csv"
    huge.write_text("Organisation,Country\nOrg A,Laos\n" + "x" * (1024 * 1024) + ",Laos\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_table(huge)
    assert caught.value.lines() == [f"{huge.name}:3:1: a cell of 1,048,576 characters; the limit is 10,000"]
    formulas = tmp_path / "formulas.csv"
    formulas.write_text('Organisation,Country\n"=HYPERLINK(""http://x"",""y"")",Laos\n@SUM(A1),Laos\n- Youth Network -,Laos\n',
                        encoding="utf-8")
    cleaned = clean(read_table(formulas))
    assert [str(p) for p in cleaned.problems] == [f"{formulas.name}:2:1: a formula, not a name: '=HYPERLINK(\"http://x\",\"y\")'",
                                                  f"{formulas.name}:3:1: a formula, not a name: '@SUM(A1)'"]


def test_cleaning_trims_nfc_and_converts_zawgyi(tmp_path):
    path = tmp_path / "export.csv"
    decomposed = "Vie\u0302\u0323t Youth"  # NFD
    zawgyi = "ျမန္မာ အမ်ိဳးသမီး ကြန္ယက္"
    path.write_text(f"Organisation,Country\n  {decomposed}\u00a0 ,  Viet Nam \n{zawgyi},Myanmar\n", encoding="utf-8")
    cleaned = clean(read_table(path))
    assert cleaned.entries[0].name == "Việt Youth" and cleaned.entries[0].code == "VN"
    assert cleaned.entries[1].name.startswith("မြန်မာ")
    assert any("converted from Zawgyi" in note and ":3:" in note for note in cleaned.notes)


def test_consent_answers():
    assert consents("Yes") and consents("I endorse this statement") and consents("✓ agree") and consents("ใช่")
    assert not any(consents(a) for a in ("", "No", "no.", "ไม่", "Không", "ទេ", "ບໍ່", "မဟုတ်ပါ", "FALSE"))


@pytest.mark.parametrize("typed, code", [
    ("Burma", "MM"), ("Myanmar", "MM"), ("မြန်မာ", "MM"), ("မြန်မာနိုင်ငံ", "MM"), ("พม่า", "MM"), ("Myanmar (Burma)", "MM"),
    ("Lao PDR", "LA"), ("Lao People's Democratic Republic", "LA"), ("ລາວ", "LA"), ("ສປປ ລາວ", "LA"), ("Laos", "LA"),
    ("Viet Nam", "VN"), ("Vietnam", "VN"), ("Việt Nam", "VN"), ("Kampuchea", "KH"), ("កម្ពុជា", "KH"), ("Cambodia", "KH"),
    ("Timor-Leste", "TL"), ("East Timor", "TL"), ("ประเทศไทย", "TH"), ("ไทย", "TH"), ("thailand", "TH"), ("THA", "TH"),
    ("th", "TH"), ("Thái Lan", "TH"), ("Philippines", "PH"), ("the Philippines", "PH"), ("Indonesia", "ID"),
    ("ប្រទេសថៃ", "TH"), ("UK", "GB"), ("United States", "US"),
])
def test_country_names_in_many_languages(typed, code):
    assert country_code(typed) == code


def test_unknown_countries_are_kept_and_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "export.csv"
    path.write_text("Organisation,Country\nOrg A,Cambodai\nOrg B,Atlantis\n", encoding="utf-8")
    cleaned = clean(read_table(path))
    assert [(e.name, e.country, e.code) for e in cleaned.entries] == [("Org A", "Cambodai", None), ("Org B", "Atlantis", None)]
    assert cleaned.notes == [f"{path.name}:2: unknown country 'Cambodai' kept as typed (did you mean Cambodia?)",
                             f"{path.name}:3: unknown country 'Atlantis' kept as typed"]


def test_country_names_in_the_document_language():
    assert country_name("MM", "th") == "เมียนมา (พม่า)" and country_name("KH", "km") == "កម្ពុជា"
    assert country_name("LA", "en") == "Laos" and country_name("VN", "vi") == "Việt Nam"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_xlsx_and_ods_written_by_libreoffice(tmp_path):
    source = tmp_path / "responses.csv"
    source.write_text(csv_bytes(GOOGLE), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    for target in ("xlsx", "ods"):
        done = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", target,
                               "--infilter=CSV:44,34,76", "--outdir", str(tmp_path), str(source)],
                              capture_output=True, env=env, timeout=180)
        converted = tmp_path / f"responses.{target}"
        if not converted.exists():
            pytest.skip(f"soffice could not convert to {target}: {done.stderr.decode()[:200]}")
        assert signatories(converted) == [("Foundation for Education and Development (FED)", "TH"), ("MAP Foundation", "MM")]
