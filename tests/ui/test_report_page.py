"""Issue 15: the Rapportage page (``ui/report_page.py``) in the main window, through pytest-qt on SQLite with the
demo data: the year's figures in its widgets, the PDF's charts drawn as SVG, the tables, another year, and the
PDF and XLSX saved through the buttons."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from sqlalchemy import func, select

from commissie_app.db.models import Application, DecisionRecord
from commissie_app.services import applications as apps
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.main_window import PAGES, MainWindow
from tests.conftest import TODAY
from tests.factories import app_data, org_data
from tests.ui.test_transfer_actions import save_file, synchronous  # noqa: F401 - fixtures


@pytest.fixture
def page(qtbot, sqlite_ctx):
    create_demo_data(sqlite_ctx)
    window = MainWindow(sqlite_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    go = next(a for a in window.findChildren(type(window.quit_action)) if a.text() == "Rapportage")
    assert go.shortcut() == QKeySequence("Ctrl+5")
    go.trigger()
    qtbot.waitUntil(lambda: window._lazy_pages["report"].content is not None)
    assert window.stack.currentIndex() == PAGES.index("report")
    return window._lazy_pages["report"].content


def _count(ctx, column, start: dt.date, end: dt.date) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).where(column.between(start, end)))


def test_the_page_shows_the_years_figures_charts_and_tables(page, sqlite_ctx):
    """Issue 15: the page opens on this year; its key figures are the counts of the database; every chart of the
    PDF is there as a valid SVG drawing; the table of open applications lists the longest open first; the advice
    section lists the advice the demo adopted this year and the developments it logged."""
    assert page.year() == TODAY.year and page.year_combo.itemData(0) == TODAY.year
    start = dt.date(TODAY.year, 1, 1)
    assert page.figures["applications"].text() == str(_count(sqlite_ctx, Application.received_on, start, TODAY))
    assert page.figures["decisions"].text() == str(_count(sqlite_ctx, DecisionRecord.decided_on, start, TODAY))
    assert page.figures["meetings"].text() == "2 (minimaal 2)"
    assert set(page.charts) == {"aanvragen_per_maand", "aanvragen_per_gemeente", "besluiten", "erkenningen",
                                "actief_per_maand", "register_per_criterium", "aanwezigheid"}
    assert all(chart.renderer().isValid() and chart.isVisibleTo(page) for chart in page.charts.values())
    table = page.tables["langst_open"]
    days = [int(table.item(row, 3).text()) for row in range(table.rowCount())]
    assert days == sorted(days, reverse=True) and len(days) == len(page.report.longest_open) > 0
    assert table.item(0, 0).text() == page.report.longest_open[0].organisation
    assert "advice" not in page.figures  # the 'geen gegevens' label is only there without data
    advices = page.tables["adviezen"]
    assert advices.rowCount() == len(page.report.advice.advices) > 0
    assert {advices.item(row, 1).text() for row in range(advices.rowCount())} == {
        a.subject for a in page.report.advice.advices}
    assert page.tables["ontwikkelingen"].rowCount() == len(page.report.advice.developments) > 0
    assert str(TODAY.year) in page.summary_label.text()


def test_choosing_another_year_shows_that_years_figures(page, sqlite_ctx):
    """Issue 15: the year chooser lists the years with data (read again when the page is shown again); another
    year shows its own counts."""
    window = page.window()
    assert [page.year_combo.itemData(i) for i in range(page.year_combo.count())] == [TODAY.year]
    last_year = dataclasses.replace(sqlite_ctx, today=lambda: dt.date(TODAY.year - 1, 6, 2))
    apps.register_application(last_year, org_data(kvk="10000001", name="Org vorig jaar"),
                              app_data(received_on=dt.date(TODAY.year - 1, 6, 2)))
    window.show_page(PAGES.index("applications"))
    window.show_page(PAGES.index("report"))
    years = [page.year_combo.itemData(i) for i in range(page.year_combo.count())]
    assert years == [TODAY.year, TODAY.year - 1]
    last = years[1]
    page.year_combo.setCurrentIndex(1)
    assert page.year() == last and page.report.year == last and page.report.complete
    want = _count(sqlite_ctx, Application.received_on, dt.date(last, 1, 1), dt.date(last, 12, 31))
    assert page.figures["applications"].text() == str(want) == "1"
    assert f"Heel {last}" == page.period_label.text()


def test_the_buttons_save_the_pdf_and_the_xlsx(page, tmp_path, save_file, synchronous, message_boxes, qtbot):
    """Issue 15: PDF opslaan… and XLSX opslaan… ask for a file (the extension is added), write it in the
    background and say where it went."""
    save_file["name"] = str(tmp_path / "verslag")
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "verslag.pdf").read_bytes().startswith(b"%PDF")
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    wb = load_workbook(tmp_path / "verslag.xlsx")
    month = list(wb["aanvragen_per_maand"].iter_rows(values_only=True))[1:]
    assert tuple(n for _m, n in month) == page.report.applications_by_month
    assert [text for kind, _t, text in message_boxes.shown] == [
        f"Opgeslagen: {tmp_path / 'verslag.pdf'}", f"Opgeslagen: {tmp_path / 'verslag.xlsx'}"]
