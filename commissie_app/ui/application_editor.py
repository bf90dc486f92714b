"""The detail view and editor of one application (or the registration of a new one).

Opened non-modally, so two windows on the same application can exist; the service's
version check refuses the stale one, and this dialog then keeps the user's input and
offers to reload.
"""

from __future__ import annotations

import logging
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.codes import Status
from commissie_app.domain.errors import DomainError, StaleEditError, ValidationError
from commissie_app.domain.validation import ApplicationData, OrganisationData, format_date_nl, validate_application
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import may
from commissie_app.services import applications
from commissie_app.services.applications import ApplicationDetail
from commissie_app.services.context import ServiceContext
from commissie_app.ui.attachments_panel import AttachmentsPanel
from commissie_app.ui.correspondence_dialogs import ApplicationLetters
from commissie_app.ui.errors import show_error
from commissie_app.ui.evidence_table import EvidenceEditor
from commissie_app.ui.organisation_form import OrganisationForm
from commissie_app.ui import widgets
from commissie_app.ui.status_dialog import StatusDialog
from commissie_app.ui.widgets import FIELD_ERROR_STYLE, DateEdit, FieldBox, MessageBanner, format_local_datetime, heading_label

log = logging.getLogger(__name__)

TAB_ORGANISATION, TAB_APPLICATION, TAB_ATTACHMENTS, TAB_STATUS = range(4)

STATUS_COLOURS = {
    Status.RECEIVED: ("#e8eef7", "#2c4a75"),
    Status.IN_PROGRESS: ("#e6f0fa", "#1f5f99"),
    Status.INFO_REQUESTED: ("#fff3d6", "#7a5300"),
    Status.COMPLETE: ("#e4f4e8", "#23683a"),
    Status.SCHEDULED: ("#ece6f7", "#4f3489"),
    Status.DECIDED: ("#e0e0e0", "#333333"),
    Status.WITHDRAWN: ("#f3e1e1", "#7a2626"),
}


class ApplicationEditorDialog(QDialog):
    """Organisation, application and criteria, attachments, status and history of one application."""

    sig_saved = Signal(object)

    def __init__(self, ctx: ServiceContext, app_id: uuid.UUID | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.app_id = app_id
        self.detail: ApplicationDetail | None = None
        self._dirty = False
        self._loading = False
        self._read_only = False
        self._register = applications.register_application  # a vooraf-check registers through its own service
        self.setStyleSheet(FIELD_ERROR_STYLE)
        self.setSizeGripEnabled(True)
        widgets.resize_within_screen(self, 860, 700)
        self._build()
        if app_id is None:
            self._show_new()
        else:
            try:
                self.load()
            except DomainError as err:  # e.g. deleted meanwhile: say so instead of failing to open
                self._read_only = True
                self._apply_read_only()
                self.setWindowTitle(_("Aanvraag"))
                self.title.setText(_("Aanvraag niet gevonden"))
                self.status_chip.hide()
                self.tabs.hide()
                self.banner.show_message(str(err), "error")
                self.resize(560, 160)
        self.org_form.name.setFocus()

    # ---- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = heading_label("", self, 1.45)
        self.title.setObjectName("title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = widgets.plain_label(parent=self)
        self.subtitle.setProperty("role", "hint")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        self.status_chip = QLabel(self)
        self.status_chip.setObjectName("status_chip")
        header.addWidget(self.status_chip, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(header)

        self.banner = MessageBanner(self)
        self.banner.sig_action.connect(self._banner_action)
        layout.addWidget(self.banner)

        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)

        # Organisation
        self.org_form = OrganisationForm(self.ctx.today, self)
        self.org_form.sig_changed.connect(self._changed)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.org_form)
        page = QWidget(self)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self._assessment_bar(page))  # issue 13: assessing starts on the first tab
        v.addWidget(scroll, 1)
        self.tabs.addTab(page, _("Organisatie"))

        # Application and criteria
        page = QWidget(self)
        form = QFormLayout(page)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.received_on = DateEdit(page)
        self.received_on.setObjectName("received_on")
        self.received_box = FieldBox(self.received_on, page)
        form.addRow(_("Ontvangen op *"), self.received_box)
        self.evidence = EvidenceEditor(page)
        self.evidence.sig_changed.connect(self._changed)
        form.addRow(QLabel(_("Criteria * (kies ten minste één; vul per criterium het bewijsstuk in)"), page))
        form.addRow(self.evidence)
        self.notes = QPlainTextEdit(page)
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText(_("Vrije aantekeningen bij de aanvraag"))
        self.notes_box = FieldBox(self.notes, page)
        form.addRow(_("Aantekeningen"), self.notes_box)
        self.received_on.textEdited.connect(self._changed)
        self.received_on.editingFinished.connect(self._received_left)
        self.received_on.textChanged.connect(lambda _t: self.received_box.error() and self._received_left())
        self.notes.textChanged.connect(self._changed)
        QWidget.setTabOrder(self.received_on, self.evidence.first_widget())
        QWidget.setTabOrder(self.evidence.last_widget(), self.notes)
        self.tabs.addTab(page, _("Aanvraag en criteria"))

        # Attachments
        self.attachments = AttachmentsPanel(self.ctx, self)
        self.attachments.sig_changed.connect(self._attachments_changed)
        self.tabs.addTab(self.attachments, _("Bijlagen"))

        # Status and history
        page = QWidget(self)
        v = QVBoxLayout(page)
        row = QHBoxLayout()
        self.status_label = widgets.rich_label(page)
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        row.addWidget(self.status_label, 1)
        self.status_button = QPushButton(_("Status wijzigen…"), page)
        self.status_button.clicked.connect(self.open_status_dialog)
        row.addWidget(self.status_button, 0, Qt.AlignmentFlag.AlignTop)
        v.addLayout(row)
        self.letters_row = ApplicationLetters(self.ctx, page)  # acknowledgement, information request (issue 12)
        v.addWidget(self.letters_row)
        self.history = QTableWidget(0, 4, page)
        self.history.setObjectName("history")
        self.history.setHorizontalHeaderLabels([_("Datum"), _("Van → naar"), _("Door"), _("Opmerking")])
        self.history.verticalHeader().hide()
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setAlternatingRowColors(True)
        self.history.setWordWrap(False)
        hh = self.history.horizontalHeader()
        for col in range(3):
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        v.addWidget(QLabel(_("Historie"), page))
        v.addWidget(self.history, 1)
        self.tabs.addTab(page, _("Status en historie"))

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(_("Opslaan"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setToolTip(_("Opslaan (Ctrl+S)"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button = self.buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

        self.save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        self.save_shortcut.activated.connect(self.save)
        for button in self.findChildren(QPushButton):  # Enter in a field presses no button (Ctrl+S saves)
            button.setAutoDefault(False)

    def _assessment_bar(self, parent: QWidget) -> QFrame:
        """Assessments on the commission's form (issues 3, 13): one's own, the consolidated one, the comparison."""
        bar = QFrame(parent)
        bar.setObjectName("assessmentBar")
        bar.setStyleSheet("QFrame#assessmentBar { background: #eef3fa; border: 1px solid #c9d6e8; border-radius: 4px; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.assessment_state = widgets.plain_label(parent=bar)
        self.assessment_state.setObjectName("assessmentState")
        self.assessment_state.setWordWrap(True)
        row.addWidget(self.assessment_state, 1)
        self.assess_button = QPushButton(_("Beoordelen…"), bar)
        self.assess_button.clicked.connect(lambda: self.open_assessment("member"))
        self.consolidated_button = QPushButton(_("Beoordeling van de commissie…"), bar)
        self.consolidated_button.clicked.connect(lambda: self.open_assessment("consolidated"))
        self.compare_button = QPushButton(_("Beoordelingen vergelijken…"), bar)
        self.compare_button.clicked.connect(self.open_comparison)
        for b in (self.assess_button, self.consolidated_button, self.compare_button):
            row.addWidget(b)
            b.setAutoDefault(False)
            b.setEnabled(False)
        bar.hide()  # a new application has nothing to assess yet
        self.assessment_bar = bar
        return bar

    def _show_assessment_entry(self, detail: ApplicationDetail) -> None:
        """Beoordelen… as far as the user may: a decided application's own assessment is opened to be read, a new
        one is not started (the service refuses it too); the reason is the button's tool tip."""
        from commissie_app.domain.assessing import assessment_refusal
        from commissie_app.services.assessments import CONSOLIDATED, FINAL, MEMBER

        refusal = assessment_refusal(detail.status)
        mine = self._assessment_button(self.assess_button, MEMBER, Action.WRITE_ASSESSMENT, refusal)
        self._assessment_button(self.consolidated_button, CONSOLIDATED, Action.WRITE_CONSOLIDATED, refusal)
        may_write = may(self.ctx, Action.WRITE_ASSESSMENT)
        if mine is None:
            state = _("U heeft deze aanvraag nog niet beoordeeld.") if may_write and not refusal else ""
        else:
            state = _("Uw beoordeling: {state}.").format(state=_("definitief") if mine == FINAL else _("concept"))
        self.assessment_state.setText(state)
        self.assess_button.setText(_("Mijn beoordeling…") if mine is not None else _("Beoordelen…"))
        if not may_write:
            self.assess_button.setToolTip(_("Als {role} beoordeelt u geen aanvragen.").format(
                role=self.ctx.actor.role.label))
        self.compare_button.setEnabled(True)
        self.assessment_bar.show()

    def _assessment_button(self, button: QPushButton, kind: str, action: Action, refusal: str) -> str | None:
        """Enable ``button`` when the user may write ``kind`` and may start one, or has one to read; its state."""
        from commissie_app.services.assessments import own_assessment_state

        may_write = may(self.ctx, action)
        existing = own_assessment_state(self.ctx, self.app_id, kind) if may_write else None
        button.setEnabled(may_write and (existing is not None or not refusal))
        button.setToolTip(widgets.plain(refusal) if may_write and refusal else "")
        return existing

    # ---- loading ------------------------------------------------------------------------------

    def _show_new(self) -> None:
        self._loading = True
        try:
            self.setWindowTitle(_("Nieuwe aanvraag") + "[*]")
            self.title.setText(_("Nieuwe aanvraag"))
            self.subtitle.setText(_("Vul de gegevens in en kies Opslaan (Ctrl+S) om de aanvraag te registreren."))
            self.status_chip.hide()
            self.org_form.set_data(None)
            self.received_on.setDate(self.ctx.today())
            self.evidence.set_evidence(())
            self.notes.setPlainText("")
            self.attachments.set_application(None, ())
            self.status_label.setText(_("De aanvraag krijgt de status ‘ontvangen’ zodra hij is opgeslagen."))
            self.status_button.setEnabled(False)
            self.history.setRowCount(0)
        finally:
            self._loading = False
        self._set_dirty(False)

    def prefill(self, org: OrganisationData, app: ApplicationData, register=None) -> None:
        """A new application filled in beforehand (from a vooraf-check); ``register(ctx, org, app)`` stores it
        instead of ``applications.register_application``. Nothing is stored until Opslaan."""
        self._loading = True
        try:
            self.org_form.set_data(org)
            self.received_on.setDate(app.received_on)
            self.evidence.set_evidence(app.evidence)
            self.notes.setPlainText(app.notes)
        finally:
            self._loading = False
        if register is not None:
            self._register = register
        self._set_dirty(True)

    def load(self) -> None:
        """(Re)load everything from the database; unsaved input in this window is replaced."""
        assert self.app_id is not None
        detail = applications.get_application(self.ctx, self.app_id)
        self.detail = detail
        self._loading = True
        try:
            self.org_form.set_data(detail.organisation)
            self.received_on.setDate(detail.application.received_on)
            self.received_box.set_error(None)
            self.evidence.set_evidence(detail.application.evidence)
            self.notes.setPlainText(detail.application.notes)
            self._show_header(detail)
            self._show_status(detail)
            # a closed application, or a user whose role may not edit applications (the service refuses too)
            self._read_only = not detail.status.is_open or not may(self.ctx, Action.REGISTER_APPLICATION)
            self.attachments.set_application(detail.id, detail.attachments, read_only=self._read_only)
            self._update_attachment_tab(len(detail.attachments))
            self._apply_read_only()
        finally:
            self._loading = False
        self.banner.clear()
        if not detail.status.is_open:
            self.banner.show_message(
                _("Deze aanvraag is {status} en kan niet meer worden gewijzigd.").format(status=detail.status_text),
                "info")
        elif self._read_only:
            self.banner.show_message(
                _("Als {role} kunt u deze aanvraag lezen, niet wijzigen.").format(role=self.ctx.actor.role.label),
                "info")
        self._set_dirty(False)

    def _show_header(self, detail: ApplicationDetail) -> None:
        org = detail.organisation
        self.setWindowTitle(_("Aanvraag – {name}").format(name=org.name) + "[*]")
        self.title.setText(org.name)
        subtitle = _("KvK {kvk} · {municipality} · ontvangen op {date}").format(
            kvk=org.kvk, municipality=org.municipality.label, date=format_date_nl(detail.application.received_on))
        if detail.follow_up_text:  # issue 12: a follow-up shows the recognition it continues
            subtitle += "\n" + detail.follow_up_text
        self.subtitle.setText(subtitle)
        bg, fg = STATUS_COLOURS[detail.status]
        self.status_chip.setText(detail.status_text)
        self.status_chip.setStyleSheet(
            f"QLabel#status_chip {{ background: {bg}; color: {fg}; border: 1px solid {fg}; border-radius: 10px;"
            f" padding: 3px 10px; font-weight: bold; }}")
        self.status_chip.show()

    def _show_status(self, detail: ApplicationDetail) -> None:
        text = _("Huidige status: <b>{status}</b>").format(status=detail.status_text)
        if detail.status is Status.INFO_REQUESTED and detail.info_requested:
            text += "<br>" + _("Opgevraagd: {what} (uiterlijk {due})").format(
                what=widgets.escape(detail.info_requested), due=format_date_nl(detail.info_due_on))
        self.status_label.setText(text)
        self.status_button.setEnabled(detail.status.is_open and may(self.ctx, Action.CHANGE_STATUS))
        self._show_assessment_entry(detail)
        self.letters_row.set_application(detail.id, detail.status, detail.info_requested)
        history = sorted(detail.history, key=lambda h: (h.at, h.on_date))
        self.history.setRowCount(len(history))
        for r, h in enumerate(history):
            change = f"{h.from_status.label} → {h.to_status.label}" if h.from_status else \
                _("(nieuw) → {to}").format(to=h.to_status.label)
            cells = (format_date_nl(h.on_date), change, h.by, h.remark)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setToolTip(_("Vastgelegd op {at}").format(at=format_local_datetime(h.at)))
                elif c == 3 and text:
                    item.setToolTip(widgets.plain(text))
                self.history.setItem(r, c, item)

    def _update_attachment_tab(self, count: int) -> None:
        self.tabs.setTabText(TAB_ATTACHMENTS, _("Bijlagen ({n})").format(n=count) if count else _("Bijlagen"))

    def _apply_read_only(self) -> None:
        ro = self._read_only
        self.org_form.set_read_only(ro)
        self.evidence.set_read_only(ro)
        self.received_on.setReadOnly(ro)
        self.notes.setReadOnly(ro)
        self.save_button.setVisible(not ro)
        self.save_shortcut.setEnabled(not ro)

    def is_read_only(self) -> bool:
        return self._read_only

    # ---- dirty state --------------------------------------------------------------------------

    def _changed(self, *args) -> None:
        if not self._loading and not self._read_only:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.setWindowModified(dirty)

    def is_dirty(self) -> bool:
        return self._dirty

    # ---- validation ---------------------------------------------------------------------------

    def _collect_application(self) -> tuple[ApplicationData, dict[str, str]]:
        errors: dict[str, str] = {}
        try:
            received = self.received_on.date()
        except ValueError:
            received = None
            errors["received_on"] = _("Vul de datum van ontvangst in als dd-mm-jjjj, bijvoorbeeld 01-11-2026.")
        evidence, ev_errors = self.evidence.collect()
        errors.update(ev_errors)
        return ApplicationData(received_on=received, evidence=evidence, notes=self.notes.toPlainText()), errors

    def check(self) -> dict[str, str]:
        """Every problem with the current input, by field (domain validation plus unreadable dates)."""
        errors = self.org_form.check()
        data, local = self._collect_application()
        errors.update(local)
        try:
            validate_application(data, self.ctx.today())
        except ValidationError as e:
            for k, v in e.errors.items():
                errors.setdefault(k, v)
        return errors

    def _received_left(self) -> None:
        if not self._read_only:
            self.received_box.set_error(self.check().get("received_on"))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Mark every field in error, show its message, and take the user to the first one."""
        org_keys = self.org_form.set_errors(errors)
        app_keys = self.evidence.set_errors(errors)
        self.received_box.set_error(errors.get("received_on"))
        self.notes_box.set_error(errors.get("notes"))
        if "received_on" in errors:
            app_keys.insert(0, "received_on")
        if "notes" in errors:
            app_keys.append("notes")
        known = set(org_keys) | set(app_keys)
        other = [m for k, m in errors.items() if k not in known]
        text = _("Niet opgeslagen: controleer de rood gemarkeerde velden.")
        if other:
            text += "\n" + "\n".join(other)
        self.banner.show_message(text, "error")
        if org_keys:
            self.tabs.setCurrentIndex(TAB_ORGANISATION)
            widget = self.org_form.field_widget(org_keys[0])
        elif app_keys:
            self.tabs.setCurrentIndex(TAB_APPLICATION)
            key = app_keys[0]
            widget = {"received_on": self.received_on, "notes": self.notes}.get(key) or \
                self.evidence.field_widget(key)
        else:
            widget = None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_errors(self) -> None:
        self.org_form.clear_errors()
        self.evidence.set_errors({})
        self.received_box.set_error(None)
        self.notes_box.set_error(None)

    # ---- saving -------------------------------------------------------------------------------

    def save(self) -> bool:
        """Validate and store; on any problem the dialog stays as it is, with the user's input."""
        if self._read_only:
            return False
        errors = self.check()
        if errors:
            self.show_errors(errors)
            return False
        org, _unused = self.org_form.collect()
        app, _unused = self._collect_application()
        try:
            if self.app_id is None:
                new_id = self._register(self.ctx, org, app)
            else:
                assert self.detail is not None
                applications.update_application(
                    self.ctx, self.app_id,
                    expected_version=self.detail.version,
                    expected_organisation_version=self.detail.organisation_version,
                    org=org, app=app,
                )
        except ValidationError as err:
            self.show_errors(err.errors)
            return False
        except StaleEditError as err:
            self._show_stale(err)
            return False
        except DomainError as err:
            self.banner.show_message(str(err), "error")
            return False
        except Exception as err:  # noqa: BLE001 - logged, shown with the log file
            show_error(self, err)
            return False
        if self.app_id is None:
            self.app_id = new_id
        self._clear_errors()
        self.load()
        self.banner.show_message(_("De aanvraag is opgeslagen."), "info")
        self.sig_saved.emit(self.app_id)
        return True

    def _show_stale(self, err: StaleEditError) -> None:
        self.banner.show_message(
            str(err) + "\n" + _("Uw invoer staat nog in dit venster; met ‘Opnieuw laden’ haalt u de huidige "
                                "gegevens op (uw invoer in dit venster vervalt dan)."),
            "error", action=_("Opnieuw laden"))

    def _banner_action(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch the current data (after a stale edit), replacing this window's input."""
        if self.app_id is None:
            return
        try:
            self.load()
        except Exception as err:  # noqa: BLE001
            show_error(self, err)

    # ---- status and attachments ---------------------------------------------------------------

    def open_assessment(self, kind: str) -> None:
        from commissie_app.ui.assessment_dialog import open_assessment

        dialog = open_assessment(self, self.ctx, self.app_id, kind)
        if dialog is not None and dialog is not getattr(self, "assessment_dialog", None):
            self.assessment_dialog = dialog
            dialog.finished.connect(self._assessment_closed)

    def _assessment_closed(self) -> None:
        if self.detail is not None:
            self._show_assessment_entry(self.detail)  # "nog niet beoordeeld" becomes "concept"

    def open_comparison(self) -> None:
        from commissie_app.ui.assessment_compare import AssessmentCompare

        dialog = QDialog(self)
        dialog.setWindowTitle(_("Beoordelingen vergelijken"))
        layout = QVBoxLayout(dialog)
        layout.addWidget(AssessmentCompare(self.ctx, self.app_id, dialog))
        layout.addWidget(widgets.close_buttons(dialog))
        widgets.resize_within_screen(dialog, 980, 700)
        self.comparison_dialog = dialog
        dialog.show()

    def open_status_dialog(self) -> bool:
        if self.detail is None or not self.detail.status.is_open:
            return False
        if self._dirty:
            answer = widgets.ask(
                self, _("Eerst opslaan"),
                _("Er zijn niet-opgeslagen wijzigingen. Deze worden eerst opgeslagen voordat de status wijzigt."),
                [(_("Opslaan en doorgaan"), QMessageBox.ButtonRole.AcceptRole),
                 (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)])
            if answer != 0 or not self.save():
                return False
        dialog = self.make_status_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.status_changed()
        return True

    def make_status_dialog(self) -> StatusDialog:
        assert self.detail is not None and self.app_id is not None
        return StatusDialog(self.ctx, self.app_id, self.detail.status, self.detail.version, self)

    def status_changed(self) -> None:
        self.load()
        self.tabs.setCurrentIndex(TAB_STATUS)
        self.sig_saved.emit(self.app_id)

    def _attachments_changed(self) -> None:
        self._update_attachment_tab(self.attachments.model.rowCount())
        self.sig_saved.emit(self.app_id)

    # ---- closing ------------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc, Sluiten and the window's close button: ask before unsaved input is thrown away."""
        if self._dirty and not self._read_only:
            answer = widgets.ask(
                self,
                _("Niet-opgeslagen wijzigingen"),
                _("U heeft wijzigingen die nog niet zijn opgeslagen. Wat wilt u doen?"),
                [(_("Opslaan"), QMessageBox.ButtonRole.AcceptRole),
                 (_("Niet opslaan"), QMessageBox.ButtonRole.DestructiveRole),
                 (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)],
                default=2,
            )
            if answer == 0:
                if not self.save():
                    return
            elif answer != 1:
                return
        super().reject()
