"""What every file export shares: written next to the target and moved into place (never half a file), and
XLSX workbooks whose cells a spreadsheet never runs as a formula (issue 7, item 8; CSV: ``csv_safe``)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


def write_atomically(path: Path, write: Callable[[Path], int]) -> int:
    """``write(tmp)`` writes a file next to ``path`` that then replaces ``path``; a failure leaves no file
    behind and is a Dutch message. Returns what ``write`` returns (the number of rows)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        try:
            count = write(Path(tmp))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as err:
        raise DomainError(_("Het bestand {file} kan niet worden geschreven ({reason}). Is het nog geopend in "
                            "een ander programma, zoals Excel?").format(file=path, reason=err.strerror or err)) from err
    return count


def write_xlsx(target: Path, sheet: str, columns: tuple[str, ...], records: Iterable[Mapping[str, object]], *,
               widths: Mapping[str, int] | None = None, text_columns: frozenset[str] = frozenset()) -> int:
    """A write-only workbook (rows go to disk as they come, so memory does not grow with the list): a bold
    header, frozen and filtered; dates as dates; every text a string cell, never a formula, even '=...';
    ``text_columns`` stay text ('01234567' keeps its zero). Returns the number of rows written."""
    rows = ([rec[name] for name in columns] for rec in records)
    return write_sheets(target, [XlsxSheet(sheet, columns, rows, widths or {}, text_columns)], numbers=False)


@dataclass(frozen=True)
class XlsxSheet:
    """One sheet: its name, header row, rows (values in the order of the columns) and column widths by name."""

    title: str
    columns: tuple[str, ...]
    rows: Iterable[Sequence[object]]
    widths: Mapping[str, int] = field(default_factory=dict)
    text_columns: frozenset[str] = frozenset()


def write_sheets(target: Path, sheets: Iterable[XlsxSheet], *, numbers: bool = True) -> int:
    """A workbook of one or more sheets as ``write_xlsx`` writes one; with ``numbers`` an int or float is a
    number cell (the figures of a report), else every value but a date is text. Returns the rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    total = 0
    for spec in sheets:
        ws = wb.create_sheet(spec.title[:31])  # Excel's limit for a sheet name
        for c, name in enumerate(spec.columns, start=1):  # columns and panes before the first row (write-only)
            ws.column_dimensions[get_column_letter(c)].width = spec.widths.get(name, 15)
        ws.freeze_panes = "A2"

        def header_cell(name: str) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=name)
            cell.font = bold
            return cell

        def cell(name: str, value: object) -> object:
            if isinstance(value, dt.date):
                out = WriteOnlyCell(ws, value=value)
                out.number_format = "DD-MM-YYYY"
                return out
            if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            text = "" if value is None else str(value)
            if name not in spec.text_columns and not text.startswith("="):
                return text  # a plain string is a string cell
            out = WriteOnlyCell(ws, value=text)
            out.data_type = "s"  # never a formula or a number, even for '=...' or '01234567'
            if name in spec.text_columns:
                out.number_format = "@"
            return out

        ws.append([header_cell(name) for name in spec.columns])
        count = 0
        for row in spec.rows:
            ws.append([cell(name, value) for name, value in zip(spec.columns, row)])
            count += 1
        ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{count + 1}"
        total += count
    wb.save(target)
    return total
