"""One meeting: header with the status step, the agenda, attendance and quorum, and per agenda item
the application's essentials, conflicts of interest, votes with the live tally, the decision, minutes
and the automatic record. After closing everything is read-only and changes are corrections."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import PREVIOUS_MINUTES_ITEM, ItemKind, MeetingStatus
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance
from commissie_app.domain.permissions import OWN_ONLY, Action
from commissie_app.i18n import _
from commissie_app.services.access import may
from commissie_app.services import meeting_detail
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_detail import ItemInfo, MeetingDetail
from commissie_app.services.meeting_record import AttendeeInfo
from commissie_app.ui import widgets
from commissie_app.ui.advice_item_panel import AdviceItemPanel
from commissie_app.ui.agenda_model import AgendaModel
from commissie_app.ui.errors import show_error
from commissie_app.ui.meeting_actions import MeetingActions
from commissie_app.ui.meeting_dialogs import criteria_text, decision_summary
from commissie_app.ui.meeting_minutes_panel import GeneralMinutesBox, PreviousMinutesBox
from commissie_app.ui.meeting_panels import AgendaListView, AttendancePanel, ConflictList, VotePanel
from commissie_app.ui.meeting_texts import (
    automatic_record,
    correction_value,
    correction_what,
    meeting_heading,
    status_chip,
    step_label,
)
from commissie_app.ui.widgets import MessageBanner, format_local_datetime, heading_label


class MeetingView(MeetingActions, QWidget):
    """Everything about one meeting. Every change goes through the meetings service and reloads."""

    sig_changed = Signal(object)  # Changes: the records an action here created, updated or deleted
    sig_detail_changed = Signal(object)  # MeetingDetail after every (re)load
    sig_current_item_changed = Signal(object)  # item id
    sig_back = Signal()
    sig_presentation_requested = Signal()

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: MeetingDetail | None = None
        self._current_id: uuid.UUID | None = None
        self._minutes_item: uuid.UUID | None = None

        # header
        self.back_button = QPushButton(_("← Jaarplanning"), self)
        self.back_button.setToolTip(_("Terug naar de jaarplanning (Alt+Links)"))
        self.back_button.clicked.connect(self._back)
        QShortcut(QKeySequence("Alt+Left"), self, self._back, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
                  ).setWhatsThis(_("Terug naar de jaarplanning"))
        self.title = heading_label("", self)
        self.title.setObjectName("meetingTitle")
        self.place_label = widgets.rich_label(self)
        self.place_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.place_label.setOpenExternalLinks(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        self.step_button = QPushButton(self)
        self.step_button.setObjectName("stepButton")
        self.step_button.clicked.connect(self.step_status)
        self.reopen_button = QPushButton(_("Agenda heropenen…"), self)
        self.reopen_button.setToolTip(_("De vastgestelde agenda weer open zetten, met een reden"))
        self.reopen_button.clicked.connect(self.reopen_agenda)
        self.edit_button = QPushButton(_("Wijzigen…"), self)
        self.edit_button.clicked.connect(self.edit_meeting)
        self.present_button = QPushButton(_("Presentatie (F5)"), self)
        self.present_button.clicked.connect(self.sig_presentation_requested)
        QShortcut(QKeySequence("F5"), self, self.sig_presentation_requested.emit,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut).setWhatsThis(_("Presentatie"))
        self.banner = MessageBanner(self)

        from commissie_app.ui.meeting_documents_menu import MeetingDocumentsButton

        self.documents_button = MeetingDocumentsButton(lambda: self.ctx, lambda: self.detail, self)
        # The header wraps: title row, place and officers on lines of their own, the buttons in a row below,
        # so that the view fits a 1366x768 laptop at 150 % (911x512 logical pixels).
        self.title.setWordWrap(True)
        self.place_label.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addSpacing(8)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignTop)
        button_row = QHBoxLayout()
        button_row.addWidget(self.place_label, 1)
        for b in (self.edit_button, self.documents_button, self.present_button, self.reopen_button, self.step_button):
            button_row.addWidget(b, 0, Qt.AlignmentFlag.AlignBottom)
        head = QVBoxLayout()
        head.setSpacing(4)
        head.addLayout(title_row)
        head.addLayout(button_row)

        # agenda
        self.model = AgendaModel(self)
        self.model.sig_order_changed.connect(self._reorder)
        self.agenda = AgendaListView(self)
        self.agenda.setObjectName("agenda")
        self.agenda.setAccessibleName(_("Agenda"))
        self.agenda.setModel(self.model)
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.agenda.setDragEnabled(True)
        self.agenda.setAcceptDrops(True)
        self.agenda.setDropIndicatorShown(True)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.setSpacing(1)
        self.agenda.setWordWrap(True)
        self.agenda.sig_move.connect(self.move_current)
        self.agenda.sig_remove.connect(self.remove_current)
        self.agenda.selectionModel().currentChanged.connect(lambda *_a: self._current_changed())

        self.add_complete_button = QPushButton(_("Complete aanvragen toevoegen…"), self)
        self.add_complete_button.clicked.connect(self.add_complete_applications)
        self.add_reassessments_button = QPushButton(_("Herbeoordelingen…"), self)
        self.add_reassessments_button.setToolTip(_("Erkenningen die binnenkort aflopen: een vervolgaanvraag op de agenda"))
        self.add_reassessments_button.clicked.connect(self.add_reassessments)
        self.add_free_button = QPushButton(_("Agendapunt toevoegen…"), self)
        self.add_free_button.clicked.connect(self.add_free_item)
        self.remove_button = QPushButton(_("Verwijderen"), self)
        self.remove_button.setToolTip(_("Agendapunt van de agenda halen (Delete)"))
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button = QPushButton(_("Omhoog"), self)
        self.up_button.setToolTip(_("Agendapunt omhoog (Alt+Omhoog); u kunt het ook slepen"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(_("Omlaag"), self)
        self.down_button.setToolTip(_("Agendapunt omlaag (Alt+Omlaag); u kunt het ook slepen"))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        agenda_label = QLabel(_("&Agenda"), self)
        agenda_label.setBuddy(self.agenda)
        agenda_label.setStyleSheet("font-weight: bold;")
        agenda_box = QWidget(self)
        al = QVBoxLayout(agenda_box)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(agenda_label)
        al.addWidget(self.agenda, 1)
        buttons = QGridLayout()  # two narrow columns: the agenda leaves room for the item beside it
        buttons.addWidget(self.up_button, 0, 0)
        buttons.addWidget(self.down_button, 0, 1)
        buttons.addWidget(self.add_free_button, 1, 0)
        buttons.addWidget(self.remove_button, 1, 1)
        buttons.addWidget(self.add_complete_button, 2, 0, 1, 2)
        buttons.addWidget(self.add_reassessments_button, 3, 0, 1, 2)
        al.addLayout(buttons)

        # right side
        self.attendance = AttendancePanel(self)
        self.attendance.sig_set.connect(self.set_attendance)

        self.item_title = heading_label("", self, 1.2)
        self.item_title.setObjectName("itemTitle")
        self.item_title.setWordWrap(True)
        # the application, its attachments and assessments in a window of their own (ui/meeting_dossier.py)
        self.dossier_button = QPushButton(_("Dossier…"), self)
        self.dossier_button.setToolTip(_("Aanvraag, bijlagen en beoordelingen van dit agendapunt (Ctrl+D, Enter of "
                                         "dubbelklikken op het agendapunt)"))
        self.dossier_button.clicked.connect(self.open_dossier)
        self.dossier_dialog = None
        QShortcut(QKeySequence("Ctrl+D"), self, self.open_dossier, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
                  ).setWhatsThis(_("Dossier van het agendapunt"))
        self.agenda.activated.connect(lambda _i: self.open_dossier())
        self.essentials = widgets.rich_label(self)
        self.essentials.setObjectName("essentials")
        self.essentials.setWordWrap(True)
        self.essentials.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # issue 15: the open advice and the recent developments at their standard items
        self.advice_panel = AdviceItemPanel(lambda: self.ctx, self)
        self.advice_panel.sig_changed.connect(self._advice_changed)

        self.conflict_box = QGroupBox(_("Belangenverstrengeling"), self)
        self.conflicts = ConflictList(self.conflict_box)
        self.conflicts.sig_withdraw.connect(self.withdraw_conflict)
        self.conflict_button = QPushButton(_("Belangenverstrengeling melden…"), self.conflict_box)
        self.conflict_button.clicked.connect(self.declare_conflict)
        cl = QVBoxLayout(self.conflict_box)  # the button under the names: the column stays narrow
        cl.addWidget(self.conflicts)
        cl.addWidget(self.conflict_button, 0, Qt.AlignmentFlag.AlignRight)

        self.votes = VotePanel(self)
        self.votes.sig_vote.connect(self.record_vote)
        self.votes.sig_correct.connect(self.correct_vote)
        self.votes.sig_clear.connect(self.clear_vote)

        self.decision_box = QGroupBox(_("Besluit"), self)
        self.decision_label = widgets.rich_label(self.decision_box)
        self.decision_label.setObjectName("decision")
        self.decision_label.setWordWrap(True)
        self.decision_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decision_button = QPushButton(_("Besluit vastleggen…"), self.decision_box)
        self.decision_button.clicked.connect(self.record_decision)
        self.change_decision_button = QPushButton(_("Besluit wijzigen…"), self.decision_box)
        self.change_decision_button.setToolTip(_("Het type van het besluit wijzigen zolang de vergadering open is "
                                                 "(met een reden; het kenmerk blijft)"))
        self.change_decision_button.clicked.connect(self.change_decision)
        self.correct_motivation_button = QPushButton(_("Correctie…"), self.decision_box)
        self.correct_motivation_button.setAccessibleName(_("Motivering corrigeren"))
        self.correct_motivation_button.clicked.connect(self.correct_motivation)
        dl = QHBoxLayout(self.decision_box)
        dl.addWidget(self.decision_label, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.decision_button)
        buttons.addWidget(self.change_decision_button)
        buttons.addWidget(self.correct_motivation_button)
        buttons.addStretch(1)
        dl.addLayout(buttons)

        self.minutes_box = QGroupBox(_("Notulen bij dit agendapunt"), self)
        self.minutes = QPlainTextEdit(self.minutes_box)
        self.minutes.setObjectName("minutes")
        self.minutes.setAccessibleName(_("Notulen"))
        self.minutes.setTabChangesFocus(True)
        self.minutes.setMinimumHeight(80)
        self.minutes.setMaximumHeight(160)
        self.minutes.installEventFilter(self)
        self.save_minutes_button = QPushButton(_("Notulen opslaan"), self.minutes_box)
        self.save_minutes_button.setToolTip("Ctrl+S")
        self.save_minutes_button.clicked.connect(self.save_minutes)
        save = QShortcut(QKeySequence.StandardKey.Save, self.minutes, self.save_minutes)
        save.setContext(Qt.ShortcutContext.WidgetShortcut)  # the keyword is not applied by this constructor
        save.setWhatsThis(_("Notulen opslaan"))
        self.record_label = widgets.plain_label(parent=self.minutes_box)
        self.record_label.setObjectName("autoRecord")
        self.record_label.setWordWrap(True)
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.record_label.setStyleSheet("QLabel#autoRecord { background: palette(alternate-base); padding: 6px; }")
        ml = QVBoxLayout(self.minutes_box)
        ml.addWidget(self.minutes)
        mrow = QHBoxLayout()
        mrow.addStretch(1)
        mrow.addWidget(self.save_minutes_button)
        ml.addLayout(mrow)
        rec_title = QLabel(_("Automatisch verslag (alleen lezen)"), self.minutes_box)
        rec_title.setProperty("role", "hint")
        ml.addWidget(rec_title)
        ml.addWidget(self.record_label)

        self.general_minutes = GeneralMinutesBox(self.save_meeting_minutes, self)
        self.previous_minutes = PreviousMinutesBox(self)
        self.previous_minutes.sig_adopt.connect(self.adopt_previous_minutes)

        self.corrections_box = QGroupBox(_("Correcties na sluiting"), self)
        self.corrections = QTableWidget(0, 5, self.corrections_box)
        self.corrections.setObjectName("corrections")
        self.corrections.setHorizontalHeaderLabels([_("Wat"), _("Oorspronkelijk"), _("Gecorrigeerd"), _("Reden"),
                                                    _("Vastgelegd")])
        self.corrections.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.corrections.verticalHeader().hide()
        self.corrections.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.corrections.horizontalHeader().setStretchLastSection(True)
        self.corrections.setWordWrap(True)
        self.corrections.setMaximumHeight(160)
        QVBoxLayout(self.corrections_box).addWidget(self.corrections)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(self.attendance)
        rl.addWidget(self.general_minutes)  # the meeting's own minutes, above the item's
        item_row = QHBoxLayout()
        item_row.addWidget(self.item_title, 1)
        item_row.addWidget(self.dossier_button, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(item_row)
        rl.addWidget(self.essentials)
        rl.addWidget(self.advice_panel)
        rl.addWidget(self.conflict_box)
        rl.addWidget(self.votes)
        rl.addWidget(self.decision_box)
        rl.addWidget(self.previous_minutes)
        rl.addWidget(self.minutes_box)
        rl.addWidget(self.corrections_box)
        rl.addStretch(1)
        self.scroll = widgets.VerticalScrollArea(self)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(right)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(agenda_box)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 620])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        for w in (self.essentials, self.item_title):
            w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    # ------------------------------------------------------------ loading

    def load(self, meeting_id: uuid.UUID) -> None:
        self._current_id = None
        self._minutes_item = None
        self._show(meeting_detail.get_meeting(self.ctx, meeting_id))
        if self.model.rowCount():
            first = next((r for r, it in enumerate(self.model.items()) if it.kind is ItemKind.APPLICATION), 0)
            self.select_row(first)

    def reload(self) -> None:
        if self.detail is None:
            return
        try:
            detail = meeting_detail.get_meeting(self.ctx, self.detail.id)
        except DomainError as err:
            show_error(self, err)
            self.sig_back.emit()
            return
        self._show(detail)

    def _show(self, detail: MeetingDetail) -> None:
        self.detail = detail
        status = detail.status
        closed = status is MeetingStatus.CLOSED
        self.title.setText(_("Vergadering van {when}").format(when=meeting_heading(detail)))
        where = [widgets.escape(p) for p in (detail.place,) if p]
        if detail.video_link:  # shortened; the full link is its tool tip
            where.append(widgets.link_html(detail.video_link, shown=widgets.shortened(detail.video_link, 48)))
        self.place_label.setToolTip(widgets.plain(detail.video_link) if detail.video_link else "")
        officers = []
        if detail.chair_name:
            officers.append(widgets.escape(_("voorzitter {name}").format(name=detail.chair_name)))
        if detail.secretary_name:
            officers.append(widgets.escape(_("secretaris {name}").format(name=detail.secretary_name)))
        self.place_label.setText("<br>".join(" · ".join(part) for part in (where, officers) if part))
        self.status_label.setText(status_chip(status))
        step = step_label(status)
        self.step_button.setVisible(step is not None)
        self.step_button.setText(step or "")
        self.step_button.setEnabled(self._may(Action.PLAN_MEETING if status is MeetingStatus.PLANNED
                                              else Action.CLOSE_MEETING))
        plans = self._may(Action.PLAN_MEETING)
        self.reopen_button.setVisible(status is MeetingStatus.AGENDA_SET and plans)
        self.edit_button.setEnabled(not closed and plans)
        if detail.problems:  # a stored record that breaks a rule is shown as it is, with a warning
            self.banner.show_message(
                _("Let op: de vastgelegde gegevens van deze vergadering kloppen niet met de regels. Leg zo nodig "
                  "een correctie met reden vast.") + "\n" + "\n".join(f"– {p}" for p in detail.problems), "warning")
        elif closed:
            self.banner.show_message(
                _("De vergadering is gesloten op {when}. Alles ligt vast; wijzigen kan alleen met een correctie "
                  "met reden.").format(when=format_local_datetime(detail.closed_at)), "info")
        else:
            self.banner.clear()

        current = self._current_id
        self.model.set_items(detail.items, movable=not closed and plans)
        for w in (self.add_complete_button, self.add_free_button, self.remove_button, self.up_button,
                  self.down_button):
            w.setEnabled(not closed and plans)
        self.add_reassessments_button.setEnabled(not closed and plans and self._may(Action.REGISTER_APPLICATION))
        self.attendance.set_detail(detail, allowed=self._may(Action.RECORD_ATTENDANCE))
        self.general_minutes.set_detail(detail, writable=self._may(Action.RECORD_DECISION))
        row = self.model.row_of(current)
        if row >= 0:
            self.agenda.selectionModel().setCurrentIndex(self.model.index(row),
                                                         QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._show_item()
        self._show_corrections()
        # lay the column out now, not on a later turn of the event loop: what a reload showed or grew (the votes,
        # the general minutes under them) is in place and within reach at once
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.sig_detail_changed.emit(detail)

    def select_row(self, row: int) -> None:
        self.agenda.selectionModel().setCurrentIndex(self.model.index(row),
                                                     QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def current_item(self) -> ItemInfo | None:
        """The selected item as last loaded (``self.detail`` is the authority, not the model's copy)."""
        shown = self.model.item_at(self.agenda.currentIndex().row())
        if shown is None or self.detail is None:
            return None
        return next((i for i in self.detail.items if i.id == shown.id), shown)

    def _current_changed(self) -> None:
        self._save_pending_minutes()
        item = self.current_item()
        self._current_id = item.id if item else None
        self._show_item()
        self.sig_current_item_changed.emit(self._current_id)

    def _show_item(self) -> None:
        detail, item = self.detail, self.current_item()
        closed = detail is not None and detail.status is MeetingStatus.CLOSED
        is_open = detail is not None and detail.status is MeetingStatus.OPEN
        app_item = item is not None and item.kind is ItemKind.APPLICATION
        self.remove_button.setEnabled(not closed and item is not None and item.kind is not ItemKind.STANDARD
                                      and self._may(Action.PLAN_MEETING))
        self.item_title.setVisible(item is not None)
        if item is None:
            self.advice_panel.hide()
        self.minutes_box.setVisible(item is not None)
        adoption_item = item is not None and item.kind is ItemKind.STANDARD and item.title == PREVIOUS_MINUTES_ITEM
        self.previous_minutes.setVisible(adoption_item)
        if adoption_item:
            self.previous_minutes.set_detail(detail, allowed=self._may(Action.RECORD_DECISION))
        for w in (self.essentials, self.conflict_box, self.votes, self.decision_box, self.dossier_button):
            w.setVisible(app_item)
        if item is None:
            return
        self.item_title.setText(f"{self.model.row_of(item.id) + 1}. {item.title}")
        self.advice_panel.show_item(detail.id, detail.status, item)
        if item.id != self._minutes_item:
            self.minutes.setPlainText(item.minutes)
            self._minutes_item = item.id
        writes = not closed and self._may(Action.RECORD_DECISION)
        self.minutes.setReadOnly(not writes)
        self.minutes.setPlaceholderText(_("Wat er besproken is; het wordt opgeslagen zodra u het veld verlaat.") if writes
                                        else _("(nog geen notulen)"))
        self.save_minutes_button.setEnabled(writes)
        self.record_label.setText(automatic_record(detail, item))
        if not app_item:
            return
        founded = _(", opgericht {day}").format(day=format_date_nl(item.founded_on)) if item.founded_on else ""
        self.essentials.setText(
            f"<b>{widgets.escape(item.organisation)}</b><br>"
            + widgets.escape(_("KvK {kvk} · {place}{founded}").format(kvk=item.kvk, place=item.place, founded=founded))
            + "<br>" + widgets.escape(_("Criteria: {c}").format(c=criteria_text(item.criteria))))
        withdrawable = {m for m, _n, _r in item.conflicts} if is_open and item.decision is None else set()
        self.conflicts.set_conflicts(item.conflicts, {m for m in withdrawable if self._may_declare_for(m)})
        self.conflict_button.setEnabled(is_open and item.decision is None and bool(self._conflict_candidates(item)))
        self.votes.set_item(detail, item, allowed=self._may(Action.RECORD_VOTES),
                            corrects=self._may(Action.CORRECT_RECORD))
        if item.decision:
            self.decision_label.setText(f"<b>{widgets.escape(decision_summary(item))}</b><br>" + widgets.escape(
                _("Motivering: {m}").format(m=item.decision.motivation)).replace("\n", "<br>"))
        elif is_open:
            self.decision_label.setText(_("Nog geen besluit. Kies na de stemming ‘Besluit vastleggen’."))
        else:
            self.decision_label.setText(_("Nog geen besluit; dat wordt in de geopende vergadering vastgelegd."))
        self.decision_button.setVisible(item.decision is None and not closed)
        self.decision_button.setEnabled(is_open and self._may(Action.RECORD_DECISION))
        self.change_decision_button.setVisible(is_open and item.decision is not None
                                               and self._may(Action.RECORD_DECISION))
        self.correct_motivation_button.setVisible(closed and item.decision is not None
                                                  and self._may(Action.CORRECT_RECORD))

    def _show_corrections(self) -> None:
        detail = self.detail
        rows = detail.corrections
        self.corrections_box.setVisible(bool(rows))
        self.corrections.setRowCount(len(rows))
        for r, c in enumerate(rows):
            values = (correction_what(c, detail), correction_value(c, c.old_value), correction_value(c, c.new_value),
                      c.reason, f"{c.by}, {format_local_datetime(c.at)}")
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(widgets.plain(text))
                self.corrections.setItem(r, col, cell)
        self.corrections.resizeRowsToContents()

    def _advice_changed(self, changes) -> None:
        self.reload()
        self._tell(changes)

    def _conflict_candidates(self, item: ItemInfo) -> list[AttendeeInfo]:
        """Those present who may still declare a conflict, and for whom this user may declare it (a member
        or the chair only for themselves; the secretary for anyone, as said in the meeting)."""
        if not self._may(Action.DECLARE_CONFLICT):
            return []
        done = {m for m, _n, _r in item.conflicts} | {m for m, _n, _c in item.votes}
        return [a for a in self.detail.attendees if a.attendance is Attendance.PRESENT and a.member_id not in done
                and self._may_declare_for(a.member_id)]

    def _may_declare_for(self, member_id: uuid.UUID) -> bool:
        """Whether this user may declare (and so withdraw) a conflict for this member."""
        own_only = self.ctx.actor.role in OWN_ONLY[Action.DECLARE_CONFLICT]
        return self._may(Action.DECLARE_CONFLICT) and (not own_only or member_id == self.ctx.actor.member_id)

    def open_dossier(self) -> None:
        from commissie_app.ui.meeting_dossier import open_dossier

        item = self.current_item()
        if item is not None and item.kind is ItemKind.APPLICATION:
            self.dossier_dialog = open_dossier(self, self.ctx, item.application_id, self.dossier_dialog)

    def _may(self, action: Action) -> bool:
        return may(self.ctx, action)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.minutes and event.type() == QEvent.Type.FocusOut and not self.minutes.isReadOnly():
            self.save_minutes()
        return super().eventFilter(obj, event)

    def _back(self) -> None:
        self._save_pending_minutes()
        self.sig_back.emit()
