"""Reading an employer's list of folios (CSV or XLSX) for the bulk verification.

Pure: bytes in, rows or every problem out; no database, no request. A file is accepted whole or
not at all: any problem (not a CSV or XLSX by its content, a missing column, no rows, too many
rows, a row without folio or holder data) is reported with its row number, and nothing is
looked up.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.errors import ValidationFailed
from app.inputs import has_control_characters
from app.verification.rules import fold

FIELD = "file"
# Column names accepted in the first row (compared folded: case, accents and spaces ignored).
FOLIO_HEADERS = {"folio"}
CURP_HEADERS = {"curp"}
SURNAME_HEADERS = {"primer_apellido", "first_surname", "apellido", "surname"}
MAX_FOLIO, MAX_HOLDER = 60, 200
# An XLSX is a ZIP: its parts, unpacked, may not exceed this (a small file may unpack to GBs).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# The XLSX sheet is read up to this many rows past the limit, so blank rows cannot go on forever.
BLANK_ROWS_TOLERATED = 1000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FolioRow:
    """One row of the file: its number as the spreadsheet shows it (the header is row 1)."""

    number: int
    folio: str
    holder: str  # the CURP when given, else the first surname


def read_folio_file(data: bytes, *, max_rows: int, max_bytes: int) -> list[FolioRow]:
    """The rows of an uploaded CSV or XLSX, or ValidationFailed on "file" listing every problem
    with its row number."""
    if not data:
        raise _refused([_l("The file is empty.")])
    if len(data) > max_bytes:
        raise _refused([_l("The file must be at most %(limit)d KB.", limit=max_bytes // 1024)])
    table = _xlsx_rows(data, max_rows) if data.startswith(XLSX_MAGIC) else _csv_rows(data)
    return _checked(table, max_rows)


def _refused(problems: list) -> ValidationFailed:
    return ValidationFailed(problems[0], {FIELD: problems})


NOT_A_TABLE = _l("The file must be a CSV or an Excel (XLSX) file.")


def _csv_rows(data: bytes) -> list[list[str]]:
    """The cells of a CSV in UTF-8 (Excel's “CSV UTF-8”) or Windows-1252 (Excel's plain “CSV”
    in Spanish), separated by commas or, as Excel does in some regions, semicolons."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if has_control_characters(text.replace("\r", "").replace("\n", "").replace("\t", "")):
        raise _refused([NOT_A_TABLE])
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise _refused([NOT_A_TABLE]) from None


def _xlsx_rows(data: bytes, max_rows: int) -> list[list[str]]:
    """The cells of the first sheet of an XLSX, read as text, streaming and bounded."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise _refused([NOT_A_TABLE])
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationFailed:
        raise
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a damaged file
        raise _refused([NOT_A_TABLE]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        limit = max_rows + 1 + BLANK_ROWS_TOLERATED
        for values in sheet.iter_rows(max_col=10, max_row=limit, values_only=True):
            rows.append([_cell_text(value) for value in values])
        return rows
    except Exception:
        raise _refused([NOT_A_TABLE]) from None
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _header_key(text: str) -> str:
    return fold(text).replace(" ", "_").replace("-", "_")


def _columns(header: list[str]) -> tuple[int, int | None, int | None]:
    """Where the folio, CURP and first-surname columns are; ValidationFailed when missing."""
    keys = [_header_key(cell) for cell in header]

    def find(names):
        return next((index for index, key in enumerate(keys) if key in names), None)

    folio, curp, surname = find(FOLIO_HEADERS), find(CURP_HEADERS), find(SURNAME_HEADERS)
    if folio is None or (curp is None and surname is None):
        raise _refused(
            [_l("Row 1 must name the columns: folio, and curp or primer_apellido (first_surname).")]
        )
    return folio, curp, surname


def _checked(table: list[list[str]], max_rows: int) -> list[FolioRow]:
    header_index = next((i for i, row in enumerate(table) if any(c.strip() for c in row)), None)
    if header_index is None:
        raise _refused([_l("The file is empty.")])
    folio_at, curp_at, surname_at = _columns(table[header_index])
    rows, problems = [], []
    for number, cells in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, as spreadsheets leave at the end
        row, problem = _row(number, cells, folio_at, curp_at, surname_at)
        rows.append(row)
        if problem:
            problems.append(problem)
    if not rows:
        raise _refused([_l("The file has no rows of folios under its column names.")])
    if len(rows) > max_rows:
        raise _refused(
            [_l("The file has %(count)d rows; at most %(limit)d.", count=len(rows), limit=max_rows)]
        )
    if problems:
        raise _refused(_first_problems(problems))
    return rows


# A file with hundreds of bad rows (e.g. the wrong column chosen) lists the first ones only.
SHOWN_PROBLEMS = 20


def _first_problems(problems: list) -> list:
    if len(problems) <= SHOWN_PROBLEMS:
        return problems
    more = len(problems) - SHOWN_PROBLEMS
    return [
        *problems[:SHOWN_PROBLEMS],
        _l("… and %(count)d more rows with problems.", count=more),
    ]


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _row(number, cells, folio_at, curp_at, surname_at) -> tuple[FolioRow | None, str | None]:
    folio = _cell(cells, folio_at)
    holder = _cell(cells, curp_at) or _cell(cells, surname_at)
    row = FolioRow(number, folio, holder)
    if not folio:
        return row, _l("Row %(n)d: the folio is missing.", n=number)
    if not holder:
        return row, _l("Row %(n)d: the holder’s CURP or first surname is missing.", n=number)
    if len(folio) > MAX_FOLIO or len(holder) > MAX_HOLDER:
        return row, _l("Row %(n)d: a value is too long.", n=number)
    if has_control_characters(folio + holder):
        return row, _l("Row %(n)d: remove the invisible control characters.", n=number)
    return row, None
