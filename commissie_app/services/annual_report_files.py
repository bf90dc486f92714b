"""The annual report as files (issue 15): the PDF, and an XLSX workbook with one sheet per table or chart (a
header row, then the numbers the chart is drawn from). Both are written next to the target and moved into
place (``export_files``), so a failure never leaves half a file. ``chart_svgs`` gives the Rapportage page the
charts of the PDF, drawn by the same code."""

from __future__ import annotations

import logging
from pathlib import Path

from commissie_app.documents import annual_report_charts
from commissie_app.documents.annual_report_pdf import render_annual_report
from commissie_app.domain.annual_report import AnnualReport, report_tables
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.services.export_files import XlsxSheet, write_atomically, write_sheets
from commissie_app.services.letter_settings import get_letter_settings

log = logging.getLogger(__name__)

WIDTHS = 34  # every column of the workbook


def report_pdf(ctx: ServiceContext, report: AnnualReport) -> bytes:
    return render_annual_report(report, get_letter_settings(ctx))


def check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise DomainError(_("Kies een bestandsnaam die eindigt op {suffix}; ‘{name}’ wordt niet ondersteund.")
                          .format(suffix=suffix, name=path.name))


def write_pdf(ctx: ServiceContext, report: AnnualReport, path: Path) -> int:
    """Write the PDF; returns its size in bytes."""
    path = Path(path)
    check_suffix(path, ".pdf")
    data = report_pdf(ctx, report)
    write_atomically(path, lambda tmp: tmp.write_bytes(data))
    log.info("wrote the annual report %d (%d bytes) to %s", report.year, len(data), path)
    return len(data)


def write_xlsx(report: AnnualReport, path: Path) -> int:
    """Write the workbook: one sheet per table, named by the table's key; returns the number of sheets."""
    path = Path(path)
    check_suffix(path, ".xlsx")
    tables = report_tables(report)
    sheets = [XlsxSheet(t.key, t.columns, t.rows, {c: WIDTHS for c in t.columns}) for t in tables]
    write_atomically(path, lambda tmp: write_sheets(tmp, sheets))
    log.info("wrote the figures of the annual report %d to %s", report.year, path)
    return len(sheets)


def chart_svgs(report: AnnualReport, width: float = 440, height: float = 170) -> list[tuple[str, str, bytes]]:
    """(key, title, SVG) of every chart of the report, as the PDF draws them."""
    return [(t.key, t.title, annual_report_charts.svg(t, width, height)) for t in report_tables(report) if t.chart]
