"""Import and export of applications from the File menu.

Import: choose a CSV file, check it (a dry run, in the background), show every problem in a
table or ask to confirm, import with a progress dialog, show the summary. Export: choose a
file name (CSV or XLSX) and write the applications the list shows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import ImportFileError
from commissie_app.i18n import _, ngettext
from commissie_app.services.context import ServiceContext
from commissie_app.services.transfer import ImportResult, export_applications, import_applications
from commissie_app.ui.errors import show_error
from commissie_app.ui.tasks import Cancelled, Task, run_task
from commissie_app.ui.widgets import plain, plain_label



def _csv_filter() -> str:
    return _("CSV-bestand (*.csv)")


def _xlsx_filter() -> str:
    return _("Excel-werkmap (*.xlsx)")


class ImportProblemsDialog(QDialog):
    """Every problem of a refused import file: row, column, reason (read-only)."""

    def __init__(self, path: Path, problems: list[tuple[int, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Bestand niet ingelezen"))
        self.problems = list(problems)
        intro = plain_label(
            ngettext(
                "Het bestand {name} is niet ingelezen; er is niets opgeslagen. Verbeter het volgende punt in het "
                "bestand en probeer het opnieuw.",
                "Het bestand {name} is niet ingelezen; er is niets opgeslagen. Verbeter de volgende {n} punten in "
                "het bestand en probeer het opnieuw.",
                len(self.problems),
            ).format(name=path.name, n=len(self.problems))
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.problems), 3, self)
        self.table.setHorizontalHeaderLabels([_("Rij"), _("Kolom"), _("Probleem")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        for r, (row, column, reason) in enumerate(self.problems):
            number = QTableWidgetItem()
            number.setData(Qt.ItemDataRole.DisplayRole, row)
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.table.setItem(r, 0, number)
            for c, text in ((1, column), (2, reason)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Wrapped reasons get the height they need at the width the column really has.
        header.sectionResized.connect(self._fit_rows)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(_("Kopiëren"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip(_("Kopieer de lijst, bijvoorbeeld om hem in een e-mail te plakken"))
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(_("Sluiten"))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def _fit_rows(self, index: int = 2, *_sizes) -> None:
        if index == 2:
            QTimer.singleShot(0, self.table, self.table.resizeRowsToContents)  # not after the dialog is gone

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_rows()

    def as_text(self) -> str:
        lines = ["\t".join((_("Rij"), _("Kolom"), _("Probleem")))]
        lines += [f"{row}\t{column}\t{reason}" for row, column, reason in self.problems]
        return "\n".join(lines)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.as_text())


def _show_problems(parent: QWidget | None, path: Path, err: ImportFileError) -> ImportProblemsDialog:
    dialog = ImportProblemsDialog(path, err.problems, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()  # window-modal, without a nested event loop
    return dialog


def import_applications_interactive(
    parent: QWidget | None, ctx: ServiceContext, on_done: Callable[[], None]
) -> Task | None:
    """File menu > Import: check first, confirm, import in the background; ``on_done`` after a write."""
    title = _("Aanvragen importeren")
    name, _chosen = QFileDialog.getOpenFileName(parent, title, "", _csv_filter() + ";;" + _("Alle bestanden (*)"))
    if not name:
        return None
    path = Path(name)

    def failed(err: BaseException) -> None:
        if isinstance(err, ImportFileError):
            _show_problems(parent, path, err)
        elif isinstance(err, Cancelled):
            QMessageBox.information(parent, title, _("Het importeren is afgebroken; er is niets opgeslagen."))
        else:
            show_error(parent, err, _("Importeren niet gelukt"))

    def imported(result: ImportResult) -> None:
        on_done()
        QMessageBox.information(parent, title, plain(result.summary()))

    def checked(result: ImportResult) -> None:
        if result.new_applications == 0:
            QMessageBox.information(parent, title, plain(result.summary()))
            return
        question = ngettext("{n} aanvraag importeren?", "{n} aanvragen importeren?", result.new_applications).format(
            n=result.new_applications)
        answer = QMessageBox.question(
            parent, title, plain(result.summary() + "\n\n" + question),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        run_task(parent, lambda report: import_applications(ctx, path, progress=report), progress=True,
                 on_success=imported, on_failure=failed, label=_("Aanvragen importeren uit {name}…").format(name=path.name))

    return run_task(parent, lambda report: import_applications(ctx, path, dry_run=True, progress=report),
                    progress=True, on_success=checked, on_failure=failed,
                    label=_("Bestand {name} controleren…").format(name=path.name))


def export_applications_interactive(
    parent: QWidget | None, ctx: ServiceContext, ids: list[uuid.UUID] | None
) -> Task | None:
    """File menu > Export: the applications the list shows (``ids``; None for all) to CSV or XLSX."""
    title = _("Aanvragen exporteren")
    if ids is not None and not ids:
        QMessageBox.information(parent, title, _("De lijst toont geen aanvragen; er is niets te exporteren. "
                                                 "Pas het filter aan en probeer het opnieuw."))
        return None
    csv_filter, xlsx_filter = _csv_filter(), _xlsx_filter()
    suggested = f"aanvragen-{dt.date.today():%Y-%m-%d}.xlsx"
    name, chosen = QFileDialog.getSaveFileName(parent, title, suggested, xlsx_filter + ";;" + csv_filter)
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        path = path.with_name(path.name + (".csv" if chosen == csv_filter else ".xlsx"))
    wanted = None if ids is None else list(ids)

    def written(n: int) -> None:
        QMessageBox.information(parent, title, plain(ngettext(
            "{n} aanvraag geëxporteerd naar {file}.", "{n} aanvragen geëxporteerd naar {file}.", n).format(
            n=n, file=path)))

    return run_task(parent, lambda: export_applications(ctx, path, wanted), on_success=written,
                    on_failure=lambda err: show_error(parent, err, _("Exporteren niet gelukt")),
                    label=_("Aanvragen exporteren naar {name}…").format(name=path.name))
