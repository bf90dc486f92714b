"""The offline review window on a member's laptop (docs/offline-review.md): the agenda with the progress, and
for the chosen application its organisation data and evidence, its attachments previewed from memory, the
assessment form (saved at once to the encrypted working copy), a conflict-of-interest declaration and notes.
"Terugsturen" writes the return package. No database is opened.

``open_review_package(path, parent)`` is the one entry point (the CLI, a double-click, the "server
unreachable" dialog): it asks for the passphrase when the package needs one, offers to delete an expired
package, asks which member is working when the package is for several, and shows the window.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.dates import format_date_nl
from commissie_app.domain.errors import DomainError, ValidationError
from commissie_app.domain.form_model import AdviceOutcome
from commissie_app.domain.review_crypto import PackageRefused, Refusal
from commissie_app.i18n import _, ngettext
from commissie_app.services import review_working_copy as wc
from commissie_app.services import review_workspace as rw
from commissie_app.ui import review_dialogs, widgets
from commissie_app.ui.errors import show_error
from commissie_app.ui.form_renderer import FormRenderer
from commissie_app.ui.labels import heading_label, plain, plain_label
from commissie_app.ui.review_panels import ApplicationView, AttachmentPreview, code_label

AUTOSAVE_MS = 500
_OPEN_WINDOWS: set = set()  # the open review windows: each stays alive until it is closed


class ReviewWindow(QMainWindow):
    def __init__(self, workspace: rw.Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = workspace
        self.app_id: uuid.UUID | None = None
        self.renderer: FormRenderer | None = None
        self._loading = False
        self._last_saved: dict = {}
        self.setWindowTitle(_("Beoordelen offline – {label}").format(label=workspace.manifest.meeting_label))
        screen = self.screen().availableGeometry()  # a laptop screen: 1366 x 768, perhaps scaled 150%
        self.resize(min(1280, screen.width()), min(740, screen.height() - 30))

        self.form_timer = self._timer(self.save_form_draft)
        self.note_timer = self._timer(self.save_note)
        self._build_actions()

        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(heading_label(_("Agenda"), left, 1.15))
        self.progress = plain_label(parent=left)
        self.progress.setWordWrap(True)
        lv.addWidget(self.progress)
        self.returned = plain_label(parent=left)
        self.returned.setWordWrap(True)
        lv.addWidget(self.returned)
        self.agenda = QListWidget(left)
        self.agenda.setAccessibleName(_("Agenda"))
        self.agenda.setWordWrap(True)
        self.agenda.currentItemChanged.connect(self._agenda_changed)
        lv.addWidget(self.agenda, 1)
        self.return_button = QPushButton(_("Terugsturen…"), left)
        self.return_button.setToolTip(_("Schrijf een retourpakket met uw werk voor de secretaris (Ctrl+Enter)"))
        self.return_button.clicked.connect(self.send_return)
        lv.addWidget(self.return_button)

        right = QWidget(self)
        rv = QVBoxLayout(right)
        self.title = heading_label("", right)
        rv.addWidget(self.title)
        self.tabs = QTabWidget(right)
        rv.addWidget(self.tabs, 1)
        self.details = ApplicationView(self.tabs)
        self.tabs.addTab(self.details, _("Aanvraag"))
        self.attachments = AttachmentPreview(self.tabs)
        self.tabs.addTab(self.attachments, _("Bijlagen"))
        self.tabs.addTab(self._form_tab(), _("Beoordeling"))
        self.tabs.addTab(self._conflict_tab(), _("Belang en notities"))

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([self.width() // 4, self.width() - self.width() // 4])
        self.setCentralWidget(split)
        member = workspace.member.name if workspace.member else ""
        self.statusBar().showMessage(_("{member} · pakket geldig tot en met {day} · offline, zonder database").format(
            member=member, day=format_date_nl(workspace.manifest.expires_on)))
        self._fill_agenda()
        first = next((i for i in range(self.agenda.count()) if self.agenda.item(i).data(Qt.ItemDataRole.UserRole)),
                     None)
        if first is not None:
            self.agenda.setCurrentRow(first)

    # -- building

    def _timer(self, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(AUTOSAVE_MS)
        timer.timeout.connect(lambda: slot() and None)
        return timer

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(_("&Beoordelen"))
        toolbar = QToolBar(_("Beoordelen"), self)
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.return_action = QAction(_("Terugsturen…"), self)
        self.return_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.return_action.triggered.connect(self.send_return)
        self.key_action = QAction(_("Mijn sleutel…"), self)
        self.key_action.triggered.connect(self.show_key)
        self.delete_action = QAction(_("Pakket verwijderen van deze laptop…"), self)
        self.delete_action.triggered.connect(self.delete_package)
        close = QAction(_("Sluiten"), self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        for action in (self.return_action, self.key_action, self.delete_action):
            menu.addAction(action)
            toolbar.addAction(action)
        menu.addSeparator()
        menu.addAction(close)

    def _form_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.form_header = plain_label(parent=tab)
        self.form_header.setWordWrap(True)
        layout.addWidget(self.form_header)
        self.form_scroll = QScrollArea(tab)
        self.form_scroll.setWidgetResizable(True)
        layout.addWidget(self.form_scroll, 1)
        self.advice_slot = QVBoxLayout()
        layout.addLayout(self.advice_slot)
        bottom = QHBoxLayout()
        self.save_status = plain_label(parent=tab)
        bottom.addWidget(self.save_status, 1)
        self.final_button = QPushButton(_("Definitief maken"), tab)
        self.final_button.clicked.connect(self.make_final)
        bottom.addWidget(self.final_button)
        layout.addLayout(bottom)
        return tab

    def _conflict_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.conflict_box = QCheckBox(_("Ik meld belangenverstrengeling bij deze aanvraag (ik stem dan niet mee)"), tab)
        self.conflict_box.toggled.connect(self._conflict_toggled)
        layout.addWidget(self.conflict_box)
        self.conflict_reason = QLineEdit(tab)
        self.conflict_reason.setPlaceholderText(_("Reden (komt in de notulen), bijvoorbeeld: familielid is bestuurder"))
        self.conflict_reason.setAccessibleName(_("Reden van de belangenverstrengeling"))
        self.conflict_reason.editingFinished.connect(self._reason_edited)
        layout.addWidget(self.conflict_reason)
        self.conflict_note = plain_label(parent=tab)
        self.conflict_note.setWordWrap(True)
        layout.addWidget(self.conflict_note)
        layout.addSpacing(12)
        layout.addWidget(plain_label(_("Mijn notities bij deze aanvraag (alleen voor uzelf; gaan mee terug)"), tab))
        self.notes = QPlainTextEdit(tab)
        self.notes.setAccessibleName(_("Notities"))
        self.notes.textChanged.connect(self._note_typed)
        layout.addWidget(self.notes, 1)
        self.note_status = plain_label(parent=tab)
        layout.addWidget(self.note_status)
        return tab

    # -- the agenda

    def _fill_agenda(self) -> None:
        self.agenda.blockSignals(True)
        self.agenda.clear()
        for entry in self.ws.items:
            item = QListWidgetItem(f"{entry.position}. {entry.title}", self.agenda)
            if entry.application_id is None:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            else:
                item.setData(Qt.ItemDataRole.UserRole, str(entry.application_id))
        self.agenda.blockSignals(False)
        self.refresh_progress()

    def refresh_progress(self) -> None:
        for row in range(self.agenda.count()):
            item = self.agenda.item(row)
            app_id = item.data(Qt.ItemDataRole.UserRole)
            entry = self.ws.items[row]
            if app_id:
                item.setText(f"{entry.position}. {entry.title}\n    {self.ws.status(uuid.UUID(app_id)).label}")
        self.progress.setText(self.ws.progress().text())
        made = self.ws.returned_at
        self.returned.setVisible(made is not None)
        if made is not None:
            when = dt.datetime.fromisoformat(made).astimezone()
            self.returned.setText(_("Teruggestuurd op {day} om {time} (retourpakket {n}); wijzigingen daarna gaan mee "
                                    "met een volgend retourpakket.").format(
                day=format_date_nl(when.date()), time=when.strftime("%H:%M"), n=self.ws.last_sequence))

    def _agenda_changed(self, current: QListWidgetItem | None, _previous=None) -> None:
        app_id = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        if app_id:
            self.show_application(uuid.UUID(app_id))

    def select_application(self, app_id: uuid.UUID) -> None:
        row = next(r for r in range(self.agenda.count())
                   if self.agenda.item(r).data(Qt.ItemDataRole.UserRole) == str(app_id))
        self.agenda.setCurrentRow(row)

    def show_application(self, app_id: uuid.UUID) -> None:
        self.flush()
        self.app_id = app_id
        app = self.ws.application(app_id)
        self.title.setText(app["organisation"].get("name", ""))
        self.details.show_application(app)
        self.attachments.set_attachments(app["attachments"], self.ws.attachment_bytes)
        self._build_form()
        self._load_conflict_and_notes()

    # -- the assessment

    def _build_form(self) -> None:
        a = self.ws.assessment(self.app_id)
        self.renderer = FormRenderer(a.form.form, today=self.ws.today, rules=self.ws.rules,
                                     attachments=self.ws.attachment_choices(self.app_id), answers=a.answers)
        self.renderer.answers_changed.connect(self.form_timer.start)
        self.renderer.set_read_only(a.is_final)
        self.form_scroll.setWidget(self.renderer)
        self.renderer.show_advice_in(self.advice_slot)
        self._last_saved = self.renderer.valid_answers()
        state = _("definitief") if a.is_final else _("concept") if a.answers or a.edited_here else _("nieuw")
        header = _("{title}, versie {version} · {state}").format(title=a.form.title, version=a.form.version, state=state)
        others = self.ws.other_assessments(self.app_id)
        if others:
            header += "\n" + _("Definitieve beoordelingen van andere leden: {list}").format(list="; ".join(
                f"{o['assessor']} ({code_label(AdviceOutcome, o.get('advice')) or '-'})" for o in others))
        self.form_header.setText(header)
        self.final_button.setEnabled(not a.is_final)
        self.save_status.setText(_("Deze beoordeling is definitief.") if a.is_final else "")

    def save_form_draft(self) -> bool:
        """Store the valid answers so far in the working copy (invalid ones stay on screen with their message)."""
        self.form_timer.stop()
        if self.renderer is None or self.app_id is None or self.ws.assessment(self.app_id).is_final:
            return True
        answers = self.renderer.valid_answers()
        if answers == self._last_saved:
            return True
        try:
            self.ws.save_assessment(self.app_id, answers)
        except DomainError as e:
            show_error(self, e)
            return False
        self._last_saved = answers
        self.save_status.setText(_("Opgeslagen {time}").format(time=dt.datetime.now().strftime("%H:%M")))
        self.refresh_progress()
        return True

    def make_final(self) -> None:
        self.form_timer.stop()
        if not self.renderer.check_complete():
            return
        try:
            self.ws.save_assessment(self.app_id, self.renderer.visible_answers(), final=True)
        except ValidationError as e:
            QMessageBox.warning(self, _("Nog niet compleet"), plain(str(e)))
            return
        except DomainError as e:
            show_error(self, e)
            return
        self._build_form()
        self.refresh_progress()

    # -- conflict of interest and notes

    def _load_conflict_and_notes(self) -> None:
        self._loading = True
        try:
            declared = self.ws.declaration(self.app_id)
            self.conflict_box.setChecked(declared is not None)
            self.conflict_reason.setText(declared.reason if declared else "")
            recorded = declared is not None and not declared.made_here
            self.conflict_box.setEnabled(not recorded)
            self.conflict_reason.setReadOnly(recorded)
            self.conflict_note.setText(_("Deze melding is al vastgelegd door de secretaris; intrekken kan alleen daar.")
                                       if recorded else "")
            self.notes.setPlainText(self.ws.note(self.app_id))
            self.note_status.setText("")
        finally:
            self._loading = False

    def _conflict_toggled(self, checked: bool) -> None:
        if self._loading or self.app_id is None:
            return
        try:
            if checked:
                self.ws.declare_conflict(self.app_id, self.conflict_reason.text())
            else:
                self.ws.withdraw_conflict(self.app_id)
        except DomainError as e:
            show_error(self, e)
            self._load_conflict_and_notes()
            if checked:
                self.conflict_reason.setFocus()
            return
        self.conflict_note.setText(_("Opgeslagen {time}").format(time=dt.datetime.now().strftime("%H:%M")))
        self.refresh_progress()

    def _reason_edited(self) -> None:
        declared = self.ws.declaration(self.app_id) if self.app_id else None
        if self._loading or declared is None or not declared.made_here:
            return
        if " ".join(self.conflict_reason.text().split()) != declared.reason:
            self._conflict_toggled(True)

    def _note_typed(self) -> None:
        if not self._loading:
            self.note_timer.start()

    def save_note(self) -> bool:
        self.note_timer.stop()
        if self.app_id is None:
            return True
        try:
            if self.notes.toPlainText() == self.ws.note(self.app_id):
                return True
            self.ws.save_note(self.app_id, self.notes.toPlainText())
        except DomainError as e:
            show_error(self, e)
            return False
        self.note_status.setText(_("Opgeslagen {time}").format(time=dt.datetime.now().strftime("%H:%M")))
        return True

    def flush(self) -> bool:
        """Save what is still waiting for its timer."""
        return self.save_form_draft() and self.save_note()

    # -- key, return, delete

    def show_key(self) -> None:
        from commissie_app.services.laptop_keys import laptop_public_key

        self.key_dialog = review_dialogs.KeyDialog(laptop_public_key(), self)
        self.key_dialog.open()

    def send_return(self) -> Path | None:
        if not self.flush():
            return None
        start = str(self.ws.path.parent / self.ws.default_return_name())
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Retourpakket opslaan"), start,
                                                      _("Retourpakket (*.kipretour)"))
        if not chosen:
            return None
        try:
            path = self.ws.make_return(Path(chosen))
        except DomainError as e:
            show_error(self, e)
            return None
        self.refresh_progress()
        made = self.ws.last_return
        text = _("Het retourpakket is opgeslagen:\n{path}\n\nHet bevat {assessments}, {declarations} en {notes}. "
                 "Stuur het per e-mail of op een USB-stick naar de secretaris.").format(
            path=path,
            assessments=ngettext("{n} beoordeling", "{n} beoordelingen", made.assessments).format(n=made.assessments),
            declarations=ngettext("{n} melding van belangenverstrengeling", "{n} meldingen van belangenverstrengeling",
                                  made.declarations).format(n=made.declarations),
            notes=ngettext("{n} notitie", "{n} notities", made.notes).format(n=made.notes))
        if self.ws.by_passphrase:
            text += "\n\n" + _("Dit pakket was met een wachtwoord versleuteld: geef de secretaris ook uw sleutel "
                               "(Mijn sleutel…), anders kan het retourpakket niet worden gecontroleerd.")
        QMessageBox.information(self, _("Teruggestuurd"), plain(text))
        choice = widgets.ask(self, _("Pakket verwijderen?"), _(
            "Wilt u het beoordelingspakket en uw werkkopie nu van deze laptop verwijderen? Het retourpakket "
            "blijft staan. Bewaar het pakket als u later nog iets wilt wijzigen."),
            [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole), (_("Bewaren"), QMessageBox.ButtonRole.RejectRole)])
        if choice == 0 and self._delete():
            self.close()
        return path

    def delete_package(self) -> bool:
        choice = widgets.ask(self, _("Pakket verwijderen"), _(
            "Het beoordelingspakket en uw werkkopie worden van deze laptop verwijderd. Werk dat u nog niet hebt "
            "teruggestuurd, gaat verloren. Doorgaan?"),
            [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole), (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
            default=1, icon=QMessageBox.Icon.Warning)
        if choice != 0 or not self._delete():
            return False
        self.close()
        return True

    def _delete(self) -> bool:
        self.form_timer.stop()
        self.note_timer.stop()
        try:
            self.ws.delete_local()
        except DomainError as e:
            show_error(self, e)
            return False
        self.renderer = None
        self.app_id = None
        self.deleted = True
        return True

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if not getattr(self, "deleted", False):
            self.flush()
        super().closeEvent(event)


def _busy(work):
    """Run ``work`` with the wait cursor (opening a package of many megabytes takes a moment)."""
    from PySide6.QtWidgets import QApplication

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()
    finally:
        QApplication.restoreOverrideCursor()


def _open(path: Path, parent: QWidget | None) -> rw.Workspace | None:
    """The workspace of a package, after the passphrase when it needs one; None when it is not opened."""
    passphrase = None
    prompt = _("Dit pakket is met een wachtwoord versleuteld. Vul het wachtwoord in dat u van de secretaris "
               "hebt gekregen:")
    while True:
        try:
            return _busy(lambda: rw.open_package(path, passphrase=passphrase))
        except rw.PackageExpired as err:
            choice = widgets.ask(parent, _("Pakket verlopen"), str(err) + "\n\n" + _(
                "Wilt u het pakket (en uw werkkopie ervan) van deze laptop verwijderen?"),
                [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole),
                 (_("Bewaren"), QMessageBox.ButtonRole.RejectRole)], icon=QMessageBox.Icon.Warning)
            if choice == 0:
                try:
                    rw.delete_local(path, err.package_id)
                except DomainError as e:
                    show_error(parent, e)
            return None
        except wc.WorkingCopyDamaged as err:
            choice = widgets.ask(parent, _("Werkkopie beschadigd"), str(err) + "\n\n" + _(
                "Wilt u de werkkopie verwijderen en opnieuw beginnen met het pakket? Wat u eerder op deze laptop "
                "deed en nog niet hebt teruggestuurd, is dan weg."),
                [(_("Opnieuw beginnen"), QMessageBox.ButtonRole.DestructiveRole),
                 (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1, icon=QMessageBox.Icon.Warning)
            if choice != 0:
                return None
            wc.delete_working_copy(err.package_id)
        except PackageRefused as err:
            if err.reason not in (Refusal.NEEDS_PASSPHRASE, Refusal.WRONG_PASSPHRASE):
                show_error(parent, err, _("Pakket niet geopend"))
                return None
            message = prompt if err.reason is Refusal.NEEDS_PASSPHRASE else str(err) + "\n" + prompt
            passphrase = review_dialogs.ask_passphrase(parent, message)
            if passphrase is None:
                return None
        except DomainError as err:
            show_error(parent, err, _("Pakket niet geopend"))
            return None


def open_review_package(path: Path, parent: QWidget | None = None) -> QWidget | None:
    """Open a review package in its own window (shown, kept alive until it is closed); None when it is not
    opened (the reason has been shown). ``parent`` is the window the questions and messages belong to."""
    ws = _open(Path(path), parent)
    if ws is None:
        return None
    if ws.member is None:
        member = review_dialogs.choose_member(parent, ws.members)
        if member is None:
            return None
        ws.choose_member(member.user_id)
    window = ReviewWindow(ws)  # its own window: it outlives a dialog it was opened from (``parent``)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _OPEN_WINDOWS.add(window)
    window.destroyed.connect(lambda *_args: _OPEN_WINDOWS.discard(window))
    window.show()
    return window
