"""The Rapportage page (issue 15): the annual report of a chosen year on screen: the summary, the key figures,
the charts of the PDF (the same reportlab drawings, shown as SVG: docs/architecture.md, "The annual report's
charts") and the tables; buttons save the PDF and the XLSX with the numbers behind every chart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.annual_report import (
    AnnualReport,
    ReportTable,
    cell_text,
    meetings_sentence,
    report_tables,
    summary,
)
from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.services.context import ServiceContext
from commissie_app.ui.errors import show_error
from commissie_app.ui.labels import heading_label, plain, plain_label
from commissie_app.ui.tasks import run_task
from commissie_app.ui.widgets import VerticalScrollArea

CHART_SIZE = QSize(440, 170)  # points of the drawing; shown at this many pixels, or scaled with the page
TABLE_KEYS = ("doorlooptijd", "langst_open", "informatieverzoeken", "vergaderingen")


class ChartView(QSvgWidget):
    """One chart of the report; keeps the drawing's proportions as the page grows or shrinks."""

    def __init__(self, svg: bytes, parent=None):
        super().__init__(parent)
        self.load(QByteArray(svg))
        self.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.setMinimumSize(CHART_SIZE.width() * 2 // 3, CHART_SIZE.height() * 2 // 3)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt naming
        return CHART_SIZE

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt naming
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt naming
        return width * CHART_SIZE.height() // CHART_SIZE.width()


class ReportPage(QWidget):
    def __init__(self, ctx: ServiceContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.report: AnnualReport | None = None
        self.charts: dict[str, ChartView] = {}
        self.tables: dict[str, QTableWidget] = {}
        self.figures: dict[str, QLabel] = {}
        self._stale = False

        self.year_combo = QComboBox(self)
        self.year_combo.setAccessibleName(_("Jaar"))
        year_label = QLabel(_("&Jaar:"), self)
        year_label.setBuddy(self.year_combo)
        self.pdf_button = QPushButton(_("PDF op&slaan…"), self)
        self.pdf_button.setToolTip(_("Het jaarverslag met grafieken en tabellen, op het briefpapier van de commissie"))
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_button = QPushButton(_("&XLSX opslaan…"), self)
        self.xlsx_button.setToolTip(_("De cijfers achter elke grafiek en tabel, één werkblad per grafiek of tabel"))
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        top = QHBoxLayout()
        top.addWidget(heading_label(_("Rapportage"), self, 1.5))
        top.addStretch(1)
        top.addWidget(year_label)
        top.addWidget(self.year_combo)
        top.addSpacing(12)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)

        self.scroll = VerticalScrollArea(self, widest=10_000)
        self.content = QWidget(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)

        self.fill_years()
        self.year_combo.currentIndexChanged.connect(self.reload)
        self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """Shown again after other work: the years and figures are read again (they may have changed)."""
        if self._stale:
            self._stale = False
            self.fill_years()
            self.reload()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self._stale = True
        super().hideEvent(event)

    # -- data
    def set_context(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.fill_years()
        self.reload()

    def fill_years(self) -> None:
        from commissie_app.services.annual_report import report_years

        chosen = self.year()
        years = report_years(self.ctx)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(max(0, years.index(chosen)) if chosen in years else 0)
        self.year_combo.blockSignals(False)

    def year(self) -> int | None:
        return self.year_combo.currentData()

    def set_year(self, year: int) -> None:
        self.year_combo.setCurrentIndex(self.year_combo.findData(year))

    def reload(self) -> None:
        from commissie_app.services.annual_report import annual_report
        from commissie_app.services.annual_report_files import chart_svgs

        year = self.year()
        if year is None:
            return
        try:
            self.report = annual_report(self.ctx, year)
            svgs = chart_svgs(self.report, CHART_SIZE.width(), CHART_SIZE.height())
        except DomainError as err:
            show_error(self, err, _("Rapportage niet gemaakt"))
            return
        self._show(self.report, svgs)

    # -- showing
    def _show(self, r: AnnualReport, svgs: list[tuple[str, str, bytes]]) -> None:
        period = (_("Heel {year}").format(year=r.year) if r.complete else
                  _("{year} tot en met {date} (het jaar loopt nog)").format(year=r.year, date=format_date_nl(r.as_of)))
        self.content = QWidget(self)  # the previous year's figures go with the scroll area's old widget
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 8, 0)
        self.period_label = plain_label(period, self.content)
        self.summary_label = plain_label(summary(r), self.content)
        self.summary_label.setWordWrap(True)
        self.content_layout.addWidget(self.period_label)
        self.content_layout.addWidget(self.summary_label)
        self.charts, self.tables, self.figures = {}, {}, {}
        self.content_layout.addWidget(self._key_figures(r))
        grid = QGridLayout()
        for n, (key, title, svg) in enumerate(svgs):
            box = QGroupBox(title, self.content)
            inner = QVBoxLayout(box)
            self.charts[key] = ChartView(svg, box)
            self.charts[key].setAccessibleName(title)
            inner.addWidget(self.charts[key])
            grid.addWidget(box, n // 2, n % 2)
        self.content_layout.addLayout(grid)
        tables = {t.key: t for t in report_tables(r)}
        for key in TABLE_KEYS:
            self.content_layout.addWidget(self._table_box(tables[key], meetings_sentence(r) if key == "vergaderingen"
                                                          else ""))
        self.content_layout.addWidget(self._advice_box(r, tables))
        self.content_layout.addStretch(1)
        self.scroll.setWidget(self.content)

    def _key_figures(self, r: AnnualReport) -> QGroupBox:
        box = QGroupBox(_("Kerncijfers"), self.content)
        form = QFormLayout(box)
        lead = r.lead_time
        rows = (
            ("applications", _("Aanvragen ontvangen"), str(r.applications)),
            ("decisions", _("Besluiten genomen"), str(r.decisions)),
            ("active", _("Erkend op {date}").format(date=format_date_nl(r.as_of)), str(r.recognitions.active_at_end)),
            ("meetings", _("Vergaderingen gehouden"), _("{held} (minimaal {minimum})").format(
                held=r.meetings_held, minimum=r.minimum_meetings)),
            ("quorum", _("Quorum gehaald"), str(r.meetings_with_quorum)),
            ("lead_time", _("Doorlooptijd tot besluit"), _("mediaan {median} dagen, 90e percentiel {p90} dagen")
             .format(median=cell_text(lead.median), p90=cell_text(lead.p90)) if lead.count else _("geen besluiten")),
            ("open", _("Open aanvragen op {date}").format(date=format_date_nl(r.as_of)), str(r.open_at_end)),
        )
        for key, label, value in rows:
            self.figures[key] = plain_label(value, box)
            self.figures[key].setObjectName(f"figure_{key}")
            form.addRow(plain(label), self.figures[key])
        return box

    def _table_box(self, t: ReportTable, note: str = "") -> QGroupBox:
        box = QGroupBox(t.title, self.content)
        inner = QVBoxLayout(box)
        if note:
            inner.addWidget(plain_label(note, box))
        if not t.rows:
            inner.addWidget(plain_label(_("geen gegevens"), box))
            return box
        table = QTableWidget(len(t.rows), len(t.columns), box)
        table.setHorizontalHeaderLabels(list(t.columns))
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAccessibleName(t.title)
        for row, values in enumerate(t.rows):
            for col, value in enumerate(values):
                item = QTableWidgetItem(cell_text(value))
                if isinstance(value, (int, float)):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, col, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(t.columns)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        height = header.sizeHint().height() + sum(table.rowHeight(r) for r in range(len(t.rows))) + 4
        table.setFixedHeight(height)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tables[t.key] = table
        inner.addWidget(table)
        return box

    def _advice_box(self, r: AnnualReport, tables: dict[str, ReportTable]) -> QWidget:
        if not r.advice.has_data:
            box = QGroupBox(_("Advies aan het Coördinatieteam en ontwikkelingen"), self.content)
            inner = QVBoxLayout(box)
            self.figures["advice"] = plain_label(_("geen gegevens"), box)
            inner.addWidget(self.figures["advice"])
            return box
        holder = QWidget(self.content)
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self._table_box(tables["adviezen"], _("Gevraagd: {asked}; ongevraagd: {unasked}.").format(
            asked=r.advice.asked, unasked=r.advice.unasked)))
        inner.addWidget(self._table_box(tables["ontwikkelingen"]))
        return holder

    # -- files
    def save(self, kind: str, path: Path | None = None):
        """Save the PDF or the XLSX of the year shown (asks for a file unless ``path``); the work runs in the
        background with a progress dialog."""
        from commissie_app.services.annual_report_files import write_pdf, write_xlsx

        report = self.report
        if report is None:
            return None
        title = _("Jaarverslag opslaan als PDF") if kind == "pdf" else _("Cijfers opslaan als XLSX")
        if path is None:
            filters = _("PDF (*.pdf)") if kind == "pdf" else _("Excel-werkmap (*.xlsx)")
            name, _filter = QFileDialog.getSaveFileName(self, title, f"jaarverslag-{report.year}.{kind}", filters)
            if not name:
                return None
            path = Path(name)
            if path.suffix.lower() != f".{kind}":
                path = path.with_name(path.name + f".{kind}")
        ctx = self.ctx

        def write():
            return write_pdf(ctx, report, path) if kind == "pdf" else write_xlsx(report, path)

        def written(_result) -> None:
            QMessageBox.information(self, title, plain(_("Opgeslagen: {file}").format(file=path)))

        return run_task(self, write, on_success=written,
                        on_failure=lambda err: show_error(self, err, _("Opslaan niet gelukt")),
                        label=_("{name} schrijven…").format(name=path.name))
