"""What every file export shares: written next to the target and moved into place (never half a file), and
XLSX workbooks whose cells a spreadsheet never runs as a formula (issue 7, item 8; CSV: ``csv_safe``)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
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
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for c, name in enumerate(columns, start=1):  # columns and panes before the first row (write-only)
        ws.column_dimensions[get_column_letter(c)].width = (widths or {}).get(name, 15)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(name: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=name)
        cell.font = bold
        return cell

    def cell(name: str, value: object) -> object:
        if isinstance(value, dt.date):
            out = WriteOnlyCell(ws, value=value)
            out.number_format = "DD-MM-YYYY"
            return out
        text = "" if value is None else str(value)
        if name not in text_columns and not text.startswith("="):
            return text  # a plain string is a string cell
        out = WriteOnlyCell(ws, value=text)
        out.data_type = "s"  # never a formula or a number, even for '=...' or '01234567'
        if name in text_columns:
            out.number_format = "@"
        return out

    ws.append([header_cell(name) for name in columns])
    count = 0
    for rec in records:
        ws.append([cell(name, rec[name]) for name in columns])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    wb.save(target)
    return count
