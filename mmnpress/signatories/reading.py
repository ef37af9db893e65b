"""Read a sign-on form's export (CSV, XLSX, ODS) into rows under recognised fields.

CSV comes as UTF-8 (with or without the BOM Excel writes), as UTF-16 with
a BOM (Excel's "Unicode text"), or in a legacy encoding that
charset-normalizer must be sure of; a file it cannot tell is refused, never
read as mojibake. The delimiter is whichever of , ; tab | splits the first
lines into the same number of columns. Spreadsheets are read with
python-calamine, the first sheet that holds anything.

The header row names the fields: the column headers of Google Forms,
Microsoft Forms, KoboToolbox and Action Network exports, in English and in
Thai, Burmese, Khmer, Lao and Vietnamese, or `--map COLUMN=FIELD`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem, display_path

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000  # a regional network's sign-on list is hundreds, at most a few thousand
MAX_CELL_CHARS = 10_000
DELIMITERS = (",", ";", "\t", "|")
FIELDS = ("name", "organisation", "first_name", "last_name", "country", "email", "consent", "timestamp", "ignore")
LEGACY_MAX_CHAOS = 0.02  # charset-normalizer's "mess" ratio above which a legacy encoding is not trusted

# Header words per field, tried in this order (a consent question names the organisation too: it comes first).
# A header matches when one of these patterns is found in it, lower-cased with punctuation as spaces.
HEADERS: tuple[tuple[str, str], ...] = (
    ("timestamp", r"^(timestamp|start time|completion time|start|end|today|submission time|submitted at|created date|"
                  r"created at|date submitted|ประทับเวลา|เวลา|dấu thời gian|thời gian|ត្រាពេលវេលា|ពេលវេលា|ເວລາ|အချိန်)$|submission time"),
    ("consent", r"consent|endorse|agree|sign on|signon|sign this|support this|i confirm|permission|publish our|"
                r"ยินยอม|รับรอง|เห็นด้วย|ร่วมลงนาม|သဘောတူ|ထောက်ခံ|យល់ព្រម|គាំទ្រ|ເຫັນດີ|ຮັບຮອງ|ຍິນຍອມ|đồng ý|ủng hộ|tán thành"),
    ("email", r"e ?mail|อีเมล|အီးမေးလ်|អ៊ីមែល|ອີເມວ|ອີເມລ|thư điện tử"),
    ("country", r"country|nation|ประเทศ|နိုင်ငံ|ប្រទេស|ປະເທດ|quốc gia|^nước"),
    ("organisation", r"organi[sz]ation|\borg\b|org name|\bngo\b|\bcso\b|institution|network name|group name|"
                     r"องค์กร|หน่วยงาน|มูลนิธิ|အဖွဲ့|အသင်း|អង្គការ|ស្ថាប័ន|ອົງການ|tổ chức"),
    ("first_name", r"^(first|given)( name)?$|first name|given name"),
    ("last_name", r"^(last|family)( name)?$|last name|surname|family name"),
    ("name", r"^(full )?name$|your name|name of signatory|signatory|signer|^ชื่อ|အမည်|ឈ្មោះ|ຊື່|^tên|họ và tên|họ tên"),
)
_HEADER_PATTERNS = tuple((name, re.compile(pattern)) for name, pattern in HEADERS)


@dataclass
class Table:
    """The rows of an export: each cell under its column; `lines` gives each row's line (CSV) or row number (sheets)."""

    file: Path
    headers: list[str]
    rows: list[list[str]]
    lines: list[int]
    encoding: str = ""  # the legacy encoding a CSV was read in, when it was not UTF-8 or UTF-16
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index

    @property
    def name(self) -> str:
        """Return the file's name for messages."""
        return display_path(self.file)

    def cell(self, row: int, field_name: str) -> str:
        """Return the cell of `field_name` in row `row` ("" without such a column)."""
        column = self.columns.get(field_name)
        cells = self.rows[row]
        return cells[column] if column is not None and column < len(cells) else ""


def read_table(path: Path, mapping: tuple[str, ...] = ()) -> Table:
    """Read `path` and recognise its columns; raise `InputError` with one located line per problem."""
    name = display_path(path)
    data = _read_bytes(path, name)
    table = _spreadsheet(path, data, name) if _is_spreadsheet(data) else _csv(path, data, name)
    if len(table.rows) > MAX_ROWS:
        raise InputError([Problem(name, 1, 1, f"{len(table.rows):,} rows; the limit is {MAX_ROWS:,} (split the file)")])
    table.columns = columns(table, mapping)
    return table


def _fail(name: str, message: str, line: int = 1, column: int = 1) -> InputError:
    return InputError([Problem(name, line, column, message)])


def _read_bytes(path: Path, name: str) -> bytes:
    from ..pipeline.source import read_limited

    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except OSError as error:
        raise _fail(name, f"cannot read file: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _fail(name, f"file is over {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit for a sign-on export")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail(name, "the file is empty: export the form's responses again")
    return data


def _is_spreadsheet(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _spreadsheet(path: Path, data: bytes, name: str) -> Table:
    """Return the first non-empty sheet of an XLSX, XLS or ODS file."""
    from python_calamine import CalamineWorkbook

    if data.startswith(b"PK") and not _zip_is_spreadsheet(data):
        raise _fail(name, "a zip archive that is not a spreadsheet (XLSX or ODS); export the responses as CSV or XLSX")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for index in range(len(book.sheet_names)):
            cells = book.get_sheet_by_index(index).to_python(skip_empty_area=False)
            numbered = [(number, [_cell_text(v) for v in row]) for number, row in enumerate(cells, 1) if any(_cell_text(v) for v in row)]
            if numbered:
                return _table(path, numbered, name)
    except InputError:
        raise
    except Exception as error:  # calamine raises its own errors and zip/XML ones for damaged files
        raise _fail(name, f"cannot read the spreadsheet ({type(error).__name__}: {str(error)[:200]})") from None
    raise _fail(name, "the spreadsheet is empty: no sheet holds any cell")


def _zip_is_spreadsheet(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.spreadsheet"
            return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def _cell_text(value) -> str:
    """Return a spreadsheet value as text: whole numbers without ".0", dates in ISO 8601."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _csv(path: Path, data: bytes, name: str) -> Table:
    text, encoding = decode(data, name)
    csv.field_size_limit(MAX_FILE_BYTES)  # a cell over MAX_CELL_CHARS is reported with its place, below
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered, line = [], 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                numbered.append((line, row))
            line = reader.line_num + 1
    except csv.Error as error:
        raise _fail(name, f"not a readable CSV file: {error}", reader.line_num or 1) from None
    if not numbered:
        raise _fail(name, "the file is empty: no row holds any value")
    table = _table(path, numbered, name)
    table.encoding = encoding
    return table


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return the text of a CSV file and the legacy encoding it was in ("" for UTF-8 and UTF-16)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            raise _fail(name, "the file says it is UTF-16 but is not; save it again as CSV UTF-8") from None
    if b"\x00" in data[:4096]:
        raise _fail(name, "a binary file, not a CSV or spreadsheet export")
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > LEGACY_MAX_CHAOS or best.encoding.startswith("utf"):
        raise _fail(name, "not UTF-8 and its encoding cannot be told for sure; save it as \"CSV UTF-8\" and import that")
    return str(best), best.encoding


def sniff_delimiter(text: str) -> str:
    """Return the delimiter that splits the first lines into the most columns, the same number in each."""
    sample = text[:65536]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        rows = []
        try:
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
                rows.append(len(row))
                if len(rows) >= 20:
                    break
        except csv.Error:
            continue
        rows = [count for count in rows[:-1] or rows if count]
        if not rows:
            continue
        consistent = sum(1 for count in rows if count == rows[0])
        score = (consistent if rows[0] > 1 else 0, rows[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _table(path: Path, numbered: list[tuple[int, list[str]]], name: str) -> Table:
    """Return the table of the numbered rows: the first is the header row."""
    problems = []
    for line, row in numbered:
        for column, cell in enumerate(row, 1):
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(name, line, column, f"a cell of {len(cell):,} characters; the limit is {MAX_CELL_CHARS:,}"))
    if problems:
        raise InputError(problems[:20])
    (_, headers), body = numbered[0], numbered[1:]
    return Table(path, [h.strip() for h in headers], [row for _, row in body], [line for line, _ in body])


def header_key(header: str) -> str:
    """Return a header lower-cased, NFC, its punctuation and underscores (Kobo's group_x/org_name) as single spaces."""
    header = unicodedata.normalize("NFC", header).casefold()
    cleaned = "".join(" " if unicodedata.category(c)[0] in "PS" or c == "_" else c for c in header)
    return " ".join(cleaned.split())


def recognise(header: str) -> str | None:
    """Return the field a column header names, or None."""
    key = header_key(header)
    return next((name for name, pattern in _HEADER_PATTERNS if key and pattern.search(key)), None)


def columns(table: Table, mapping: tuple[str, ...]) -> dict[str, int]:
    """Return the column of each field: the `--map COLUMN=FIELD` choices first, then the first header naming it."""
    found: dict[str, int] = {}
    mapped = _mapped(table, mapping)
    for index, header in enumerate(table.headers):
        chosen = mapped.get(index) or (recognise(header) if index not in mapped else None)
        if chosen and chosen != "ignore" and (chosen not in found or index in mapped):
            found[chosen] = index
    if not {"name", "organisation", "first_name"} & set(found):
        shown = ", ".join(repr(h) for h in table.headers if h) or "none"
        raise _fail(table.name, f"no column of organisation or signatory names; the headers are: {shown}; "
                                "name the column with --map COLUMN=name")
    return found


def _mapped(table: Table, mapping: tuple[str, ...]) -> dict[int, str]:
    """Return the field each `COLUMN=FIELD` choice gives its column; raise on a choice that names nothing."""
    chosen, problems = {}, []
    keys = [header_key(h) for h in table.headers]
    for item in mapping:
        column, _, field_name = item.rpartition("=")
        field_name = field_name.strip().lower().replace("organization", "organisation")
        if not column or field_name not in FIELDS:
            problems.append(Problem("--map", 1, 1, f"{item!r}: write COLUMN=FIELD, FIELD one of {', '.join(FIELDS)}"))
        elif header_key(column) not in keys:
            shown = ", ".join(repr(h) for h in table.headers if h)
            problems.append(Problem("--map", 1, 1, f"{item!r}: no column {column!r} in {table.name}; the headers are: {shown}"))
        else:
            chosen[keys.index(header_key(column))] = field_name
    if problems:
        raise InputError(problems)
    return chosen
