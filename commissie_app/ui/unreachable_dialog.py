"""What the app offers when the database cannot be used at start-up (issues 11 and 13).

Every reason gets the same dialog: a shared server that cannot be reached or refuses the login, a SQLite
file that is damaged, no database at all, locked by another program, read-only or out of reach. It says
why in Dutch (the driver's English only under "Details", with the log file) and offers, until one works:
try again, choose another database (a SQLite file, or a server address), put a backup back, open a review
package (offline work), or quit. It knows nothing of how the app opens a database: it is given the app's
own open function (``ui/app.open_context``) and treats what that returns as follows:

* a value with an ``error`` attribute (the app's ``OpenProblem``): the database still cannot be used, the
  dialog shows the new reason and stays;
* anything else: the app starts on it (``outcome``), the dialog closes.

A local file chosen while a server cannot be reached goes through ``bootstrap.local_database_url`` first: a
backup is copied, never changed. "Reservekopie terugzetten…" puts a backup in the place of a local database file
(the file that was there is kept under a new name) or, for a server, opens a working copy of it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DatabaseOpenError, DomainError
from commissie_app.domain.server_errors import ServerConnectError
from commissie_app.i18n import _
from commissie_app.logging_setup import log_file
from commissie_app.paths import data_dir
from commissie_app.services.startup import DatabaseDamagedError
from commissie_app.ui import widgets
from commissie_app.ui.error_dialog import DetailsSection, fit_to_text, message_header, technical_text
from commissie_app.ui.errors import show_error
from commissie_app.ui.labels import heading_label, plain, plain_label
from commissie_app.ui.tasks import run_task

REVIEW_MODULE = "commissie_app.ui.review_window"
PREFERRED_WIDTH = 760


def _file_filter() -> str:
    return _("Databases en reservekopieën (*.sqlite *.db);;Alle bestanden (*)")


def problem_texts(error: DomainError) -> tuple[str, str]:
    """(headline, Dutch explanation) of why the database cannot be used."""
    if isinstance(error, (ServerConnectError, DatabaseOpenError)):
        return error.headline, error.detail
    if isinstance(error, DatabaseDamagedError):
        text = _("Het databasebestand {path} is beschadigd en kan niet veilig worden gebruikt.").format(
            path=error.path or "")
        if error.backup is not None:
            text += " " + _("De laatste reservekopie is {backup}; zet die terug met ‘Reservekopie terugzetten…’ (het "
                            "beschadigde bestand wordt apart bewaard).").format(backup=error.backup)
        return _("Het databasebestand is beschadigd"), text
    return _("De database kan niet worden geopend"), str(error)


def problem_details(error: DomainError, db_url: str | None) -> str:
    """The technical text for "Details": the driver's messages (never a password) and the log file."""
    if error.__cause__ is not None:
        text = technical_text(error.__cause__)
    else:  # a damaged file found by the check of the whole file: SQLite's own words
        text = error.detail if isinstance(error, DatabaseDamagedError) else ""
    password = re.search(r"://[^:/@]*:([^@]+)@", db_url or "")
    if password:
        text = text.replace(password.group(1), "***")
    return (text + "\n\n" if text else "") + _("Logbestand: {path}").format(path=log_file())


class UnreachableDialog(QDialog):
    """The choices; ``outcome`` is what the app starts on (None: quit)."""

    def __init__(self, problem, open_fn: Callable[[str | None], Any], parent: QWidget | None = None):
        super().__init__(parent)
        self.problem = problem
        self._open_fn = open_fn
        self.outcome: Any = None
        self._busy = False

        self.heading = heading_label("", self, scale=1.2)
        self.heading.setWordWrap(True)
        self.message = plain_label("", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = DetailsSection(self)
        self.status = plain_label("", self)
        self.status.setWordWrap(True)

        self.retry_button = QCommandLinkButton(_("Opnieuw proberen"), self)
        self.local_button = QCommandLinkButton(_("Andere database kiezen…"), self)
        self.local_button.setDescription(_("Een databasebestand op deze computer, of het adres van een "
                                           "databaseserver."))
        menu = QMenu(self.local_button)
        self.file_action = menu.addAction(_("Databasebestand of reservekopie kiezen…"), self.open_local)
        self.server_action = menu.addAction(_("Adres van een databaseserver invoeren…"), self.open_server)
        self.local_button.setMenu(menu)
        self.backup_button = QCommandLinkButton(_("Reservekopie terugzetten…"), self)
        self.package_button = QCommandLinkButton(_("Beoordelingspakket openen…"), self)
        self.package_button.setDescription(_("Offline werken aan de beoordelingen van een vergadering."))
        self.quit_button = QPushButton(_("Afsluiten"), self)
        self.retry_button.clicked.connect(self.try_again)
        self.backup_button.clicked.connect(self.restore_backup)
        self.package_button.clicked.connect(self.open_package)
        self.quit_button.clicked.connect(self.reject)
        self.retry_button.setDefault(True)
        self.retry_button.setFocus()

        top = message_header(self, QStyle.StandardPixmap.SP_MessageBoxWarning, self.heading, self.message)
        bottom = QHBoxLayout()
        bottom.addWidget(self.details.button, 0, Qt.AlignmentFlag.AlignBottom)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(4)
        layout.addWidget(plain_label(_("Wat wilt u doen?"), self))
        for button in self.choices()[:-1]:
            layout.addWidget(button)
        layout.addWidget(self.details.text)
        layout.addLayout(bottom)
        self._show_problem(problem)
        self.details.button.toggled.connect(lambda _on: fit_to_text(self, PREFERRED_WIDTH))

    def choices(self) -> list[QPushButton]:
        return [self.retry_button, self.local_button, self.backup_button, self.package_button, self.quit_button]

    def _show_problem(self, problem) -> None:
        self.problem = problem
        error = problem.error
        headline, text = problem_texts(error)
        self.heading.setText(headline)
        self.message.setText(text)
        self.details.set_text(problem_details(error, problem.db_url))
        if isinstance(error, ServerConnectError):
            self.setWindowTitle(_("Geen verbinding met de database"))
            self.retry_button.setDescription(
                _("Nog een keer verbinding maken met server {server}.").format(server=error.server))
            self.backup_button.setDescription(_("Verder werken in een kopie van een reservekopie; de gedeelde "
                                                "database blijft zoals hij is."))
        else:
            self.setWindowTitle(_("Database niet te openen"))
            self.retry_button.setDescription(_("Nog een keer openen, bijvoorbeeld als een ander programma het "
                                               "bestand heeft vrijgegeven."))
            self.backup_button.setDescription(_("Een reservekopie op de plaats van de database zetten; het "
                                                "huidige bestand wordt apart bewaard."))
        fit_to_text(self, PREFERRED_WIDTH)

    def _retry_label(self) -> str:
        error = self.problem.error
        if isinstance(error, ServerConnectError):
            return _("Verbinding maken met server {server}…").format(server=error.server)
        return _("De database wordt geopend…")

    # -- the choices ---------------------------------------------------------------------------------
    def try_again(self) -> None:
        db_url = self.problem.db_url
        self._run(lambda: self._open_fn(db_url), self._settle, self._retry_label())

    def open_local(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Databasebestand of reservekopie openen"), str(data_dir()), _file_filter())
        if not name:
            return
        from commissie_app.bootstrap import local_database_url  # copies a backup; SQLAlchemy

        chosen = Path(name)

        def work():
            url, copy = local_database_url(chosen)
            return self._open_fn(url), copy

        def opened(result) -> None:
            outcome, copy = result
            if copy is not None and getattr(outcome, "error", None) is None:
                self._tell_working_copy(chosen, copy)
            self._settle(outcome)

        self._run(work, opened, _("{path} wordt geopend…").format(path=chosen))

    def open_server(self) -> None:
        address = ServerAddressDialog.ask(self)
        if address:
            self._run(lambda: self._open_fn(address), self._settle, _("Verbinding maken met de server…"))

    def restore_backup(self) -> None:
        from commissie_app.bootstrap import recent_backups, restore_backup  # SQLAlchemy; file copies

        db_url = self.problem.db_url
        chosen = BackupChooser.choose(self, recent_backups(db_url))
        if chosen is None:
            return
        server = isinstance(self.problem.error, ServerConnectError)
        if not server and widgets.ask(
                self, _("Reservekopie terugzetten"),
                _("De reservekopie {backup} komt op de plaats van de database. Wat na die reservekopie is "
                  "vastgelegd, staat er niet in. Het huidige databasebestand wordt niet weggegooid maar apart "
                  "bewaard.").format(backup=chosen),
                [(_("Terugzetten"), QMessageBox.ButtonRole.AcceptRole),
                 (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1) != 0:
            return

        def work():
            url, kept, copy = restore_backup(db_url, chosen)
            return self._open_fn(url), kept, copy

        def restored(result) -> None:
            outcome, kept, copy = result
            if getattr(outcome, "error", None) is None:
                if copy is not None:
                    self._tell_working_copy(chosen, copy)
                elif kept is not None:
                    QMessageBox.information(self, _("Reservekopie teruggezet"), plain(_(
                        "De reservekopie {backup} is teruggezet. Het vorige databasebestand is bewaard als:\n"
                        "{kept}").format(backup=chosen, kept=kept)))
            self._settle(outcome)

        self._run(work, restored, _("De reservekopie wordt teruggezet…"))

    def _tell_working_copy(self, chosen: Path, copy: Path) -> None:
        QMessageBox.information(self, _("Werkkopie geopend"), plain(_(
            "U werkt in een kopie van {chosen}:\n{copy}\n\nHet gekozen bestand blijft ongewijzigd. Wat u "
            "in de kopie wijzigt, komt niet vanzelf in de gedeelde database.").format(chosen=chosen, copy=copy)))

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
        if getattr(outcome, "error", None) is not None:
            self._show_problem(outcome)
            self.status.setText(_("Het is opnieuw niet gelukt."))
        else:
            self.outcome = outcome
            self.accept()


class ServerAddressDialog(QDialog):
    """The address of a database server (a PostgreSQL URL), with Dutch buttons."""

    def __init__(self, parent: QWidget | None = None):
        from PySide6.QtWidgets import QLineEdit

        super().__init__(parent)
        self.setWindowTitle(_("Adres van een databaseserver"))
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("postgresql://gebruiker:wachtwoord@server:5432/commissie")
        self.address.setMinimumWidth(420)
        buttons = widgets.accept_cancel_buttons(self, _("Verbinden"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(_("Het adres zoals de beheerder het gaf (ook bruikbaar als --db):"), self))
        layout.addWidget(self.address)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None) -> str:
        dialog = cls(parent)
        return dialog.address.text().strip() if dialog.exec() == QDialog.DialogCode.Accepted else ""


class BackupChooser(QDialog):
    """The newest backups on this computer to choose from, or another file."""

    def __init__(self, backups, parent: QWidget | None = None):
        from PySide6.QtWidgets import QDialogButtonBox, QListWidget, QListWidgetItem

        from commissie_app.domain.dates import format_date_nl

        super().__init__(parent)
        self.setWindowTitle(_("Reservekopie terugzetten"))
        self.chosen: Path | None = None
        self.list = QListWidget(self)
        for backup in backups:
            item = QListWidgetItem(_("{date} om {time} · {name} · {size}").format(
                date=format_date_nl(backup.made_at.date()), time=f"{backup.made_at:%H:%M}", name=backup.path.name,
                size=widgets.format_size(backup.size)), self.list)
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            item.setToolTip(str(backup.path))
        if backups:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(_("Terugzetten"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        self.other_button = buttons.addButton(_("Ander bestand…"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.other_button.clicked.connect(self.choose_file)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(
            _("Recente reservekopieën op deze computer, de nieuwste eerst:") if backups else
            _("Op deze computer zijn geen reservekopieën gevonden. Kies zelf een bestand."), self))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(min(620, self.screen().availableGeometry().width() - 40), 320)

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Reservekopie kiezen"), str(data_dir()), _file_filter())
        if name:
            self.chosen = Path(name)
            super().accept()

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
            super().accept()

    @classmethod
    def choose(cls, parent: QWidget | None, backups) -> Path | None:
        dialog = cls(backups, parent)
        dialog.exec()
        return dialog.chosen


def choose_after_problem(problem, open_fn: Callable[[str | None], Any]) -> Any:
    """Show the dialog until a choice works: what the app starts on, or None (quit)."""
    dialog = UnreachableDialog(problem, open_fn)
    dialog.exec()
    return dialog.outcome


choose_after_server_problem = choose_after_problem  # the name of issue 11
