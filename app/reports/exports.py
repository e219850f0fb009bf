"""Reports as files: CSV (the main table) and XLSX (the filters, then one sheet per table).

Every text cell goes through rules.safe_cell, so a name such as "=HYPERLINK(...)" typed into
Avala stays text in the spreadsheet that opens the export (CSV/formula injection).
"""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.reports.rules import safe_cell

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"


def _cell(value):
    """A value a spreadsheet takes: numbers stay numbers, anything else (a lazy translation,
    a label) becomes its text, neutralised."""
    if value is None or isinstance(value, int | float):
        return value
    return safe_cell(str(value))


def to_csv(table) -> bytes:
    """UTF-8 with a byte order mark, which spreadsheets need to read accents in a CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str, taken: set) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , and unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def to_xlsx(filters_title: str, filter_lines, tables) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set = set()
    sheet = workbook.create_sheet(_sheet_title(filters_title, taken))
    for name, value in filter_lines:
        sheet.append([_cell(name), _cell(value)])
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        widths = [min(max(len(str(c)), 10), 50) for c in table.columns]
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width + 2
        sheet.freeze_panes = "A2"
        sheet.append([_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
