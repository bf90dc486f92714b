"""What the app offers when the shared database server cannot be used at start-up.

The dialog names the server (host:port and database, never the password) and says why in Dutch, and
offers four choices until one works: try again, open a review package (offline work), open a local
database or backup, or quit. It knows nothing of how the app opens a database: it is given the app's
own open function (``ui/app.open_context``) and treats what that returns as follows:

* a ``str``: the database could not be used, that Dutch message is shown and the dialog stays;
* a value with an ``error`` attribute (the app's ``ServerProblem``): the server still cannot be used, the
  dialog shows the new reason and stays;
* anything else: the app starts on it (``outcome``), the dialog closes.

A local file goes through ``bootstrap.local_database_url`` first: a backup is copied, never changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.paths import data_dir
from commissie_app.ui.errors import show_error
from commissie_app.ui.labels import heading_label, plain, plain_label
from commissie_app.ui.tasks import run_task

REVIEW_MODULE = "commissie_app.ui.review_window"


class UnreachableDialog(QDialog):
    """The four choices; ``outcome`` is what the app starts on (None: quit)."""

    def __init__(self, problem, open_fn: Callable[[str | None], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.problem = problem
        self._open_fn = open_fn
        self.outcome: Any = None
        self._busy = False
        self.setWindowTitle(_("Geen verbinding met de database"))
        self.setMinimumWidth(560)

        icon = plain_label("", self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = heading_label("", self, scale=1.2)
        self.heading.setWordWrap(True)
        self.message = plain_label("", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = plain_label("", self)
        self.status.setWordWrap(True)

        self.retry_button = QCommandLinkButton(_("Opnieuw proberen"), self)
        self.package_button = QCommandLinkButton(_("Beoordelingspakket openen…"), self)
        self.package_button.setDescription(_("Offline werken aan de beoordelingen van een vergadering."))
        self.local_button = QCommandLinkButton(_("Lokale database of back-up openen…"), self)
        self.local_button.setDescription(_("Van een reservekopie maakt de app eerst een werkkopie; de "
                                           "reservekopie zelf blijft ongewijzigd."))
        self.quit_button = QPushButton(_("Afsluiten"), self)
        self.retry_button.clicked.connect(self.try_again)
        self.package_button.clicked.connect(self.open_package)
        self.local_button.clicked.connect(self.open_local)
        self.quit_button.clicked.connect(self.reject)
        self.retry_button.setDefault(True)
        self.retry_button.setFocus()

        text = QVBoxLayout()
        text.addWidget(self.heading)
        text.addWidget(self.message)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addWidget(plain_label(_("Wat wilt u doen?"), self))
        for button in self.choices()[:3]:
            layout.addWidget(button)
        layout.addLayout(bottom)
        self._show_problem(problem)

    def choices(self) -> list[QPushButton]:
        return [self.retry_button, self.package_button, self.local_button, self.quit_button]

    def _show_problem(self, problem) -> None:
        self.problem = problem
        self.heading.setText(problem.error.headline)
        self.message.setText(problem.error.detail)
        self.retry_button.setDescription(
            _("Nog een keer verbinding maken met server {server}.").format(server=problem.error.server))

    # -- the choices ---------------------------------------------------------------------------------
    def try_again(self) -> None:
        db_url = self.problem.db_url
        self._run(lambda: self._open_fn(db_url), self._settle,
                  _("Verbinding maken met server {server}…").format(server=self.problem.error.server))

    def open_local(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Lokale database of back-up openen"), str(data_dir()),
            _("Databases en reservekopieën (*.sqlite *.db);;Alle bestanden (*)"))
        if not name:
            return
        from commissie_app.bootstrap import local_database_url  # copies a backup; SQLAlchemy

        chosen = Path(name)

        def work():
            url, copy = local_database_url(chosen)
            return self._open_fn(url), copy

        def opened(result) -> None:
            outcome, copy = result
            if copy is not None and not isinstance(outcome, str):
                QMessageBox.information(self, _("Werkkopie geopend"), plain(_(
                    "U werkt in een kopie van {chosen}:\n{copy}\n\nHet gekozen bestand blijft ongewijzigd. Wat u "
                    "in de kopie wijzigt, komt niet vanzelf in de gedeelde database.").format(
                    chosen=chosen, copy=copy)))
            self._settle(outcome)

        self._run(work, opened, _("{path} wordt geopend…").format(path=chosen))

    def open_package(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Beoordelingspakket openen"), "", _("Beoordelingspakketten (*.kippakket);;Alle bestanden (*)"))
        if not name:
            return
        try:
            from commissie_app.ui.review_window import open_review_package
        except ImportError as err:  # the module of the review workspace is not in this version
            if err.name != REVIEW_MODULE:
                raise
            QMessageBox.information(self, _("Beoordelingspakket openen"),
                                    _("Beoordelingspakketten openen kan in deze versie nog niet."))
            return
        try:
            window = open_review_package(Path(name))
        except DomainError as err:
            show_error(self, err, _("Beoordelingspakket niet geopend"))
            return
        if window:  # None: not opened (the review workspace said why)
            self.outcome = window
            self.accept()

    # -- trying, off the UI thread -----------------------------------------------------------------
    def _run(self, work: Callable[[], Any], then: Callable[[Any], None], label: str) -> None:
        """``work`` in the background with a busy cursor and the choices disabled; ``then`` with its result."""
        self._busy = True
        for button in self.choices():
            button.setEnabled(False)
        self.status.setText(label)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

        def done(result) -> None:
            self._idle()
            then(result)

        def failed(err: BaseException) -> None:
            self._idle()
            show_error(self, err, _("Niet gelukt"))

        run_task(self, work, on_success=done, on_failure=failed, label=label)

    def reject(self) -> None:
        if not self._busy:  # Escape or the window's close button while trying: the attempt ends first
            super().reject()

    def _idle(self) -> None:
        self._busy = False
        QApplication.restoreOverrideCursor()
        self.status.setText("")
        for button in self.choices():
            button.setEnabled(True)

    def _settle(self, outcome) -> None:
        if isinstance(outcome, str):
            QMessageBox.critical(self, _("Database niet te openen"), plain(outcome))
        elif getattr(outcome, "error", None) is not None:
            self._show_problem(outcome)
            self.status.setText(_("Het is opnieuw niet gelukt."))
        else:
            self.outcome = outcome
            self.accept()


def choose_after_server_problem(problem, open_fn: Callable[[str | None], Any]) -> Any:
    """Show the dialog until a choice works: what the app starts on, or None (quit)."""
    dialog = UnreachableDialog(problem, open_fn)
    dialog.exec()
    return dialog.outcome
