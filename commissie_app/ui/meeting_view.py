"""One meeting: header with the status step, the agenda, attendance and quorum, and per agenda item
the application's essentials, conflicts of interest, votes with the live tally, the decision, minutes
and the automatic record. After closing everything is read-only and changes are corrections."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import (
    NEXT_STATUS,
    ItemKind,
    MeetingStatus,
    correction_value_text,
    decision_field_label,
)
from commissie_app.domain.validation import format_date_nl
from commissie_app.domain.voting import Attendance, Outcome, VoteChoice
from commissie_app.i18n import _
from commissie_app.services import (
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_votes,
)
from commissie_app.services.context import ServiceContext
from commissie_app.services.meeting_detail import CorrectionInfo, ItemInfo, MeetingDetail
from commissie_app.services.meeting_record import AttendeeInfo
from commissie_app.ui import widgets
from commissie_app.ui.agenda_model import AgendaModel
from commissie_app.ui.errors import show_error
from commissie_app.ui.meeting_dialogs import (
    CompleteApplicationsDialog,
    ConflictDialog,
    CorrectionDialog,
    DecisionDialog,
    MeetingDialog,
    VoteCorrectionDialog,
    criteria_text,
    decision_summary,
)
from commissie_app.ui.widgets import MessageBanner, format_local_datetime, heading_label

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

STATUS_COLOURS = {
    MeetingStatus.PLANNED: "#5f6368",
    MeetingStatus.AGENDA_SET: "#1a5fb4",
    MeetingStatus.OPEN: "#1e7b34",
    MeetingStatus.CLOSED: "#7a4a00",
}


def step_label(status: MeetingStatus) -> str | None:
    """The button text of the next status step (None: closed)."""
    return {
        MeetingStatus.PLANNED: _("Agenda vaststellen"),
        MeetingStatus.AGENDA_SET: _("Vergadering openen"),
        MeetingStatus.OPEN: _("Vergadering sluiten"),
    }.get(status)


def status_before_opening(status: MeetingStatus) -> bool:
    return status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SET)


def meeting_heading(detail: MeetingDetail) -> str:
    """'dinsdag 1 december 2026, 14:00–16:00'"""
    start = detail.local_start
    end = start + dt.timedelta(minutes=detail.duration_minutes)
    return f"{_(WEEKDAYS[start.weekday()])} {format_date_nl(start.date())}, {start:%H:%M}–{end:%H:%M}"


def status_chip(status: MeetingStatus) -> str:
    return (f"<span style='color: white; background: {STATUS_COLOURS[status]};'>"
            f"&nbsp;{status.label}&nbsp;</span>")


def tally_text(item: ItemInfo) -> str:
    """'2 voor, 1 tegen, 0 onthoudingen — meerderheid voor' plus who has not voted yet."""
    tally = item.tally
    if tally is None:
        return ""
    text = f"{tally.summary} — {tally.outcome.label}"
    if tally.outcome is Outcome.INCOMPLETE and tally.missing:
        text += "\n" + _("Nog niet gestemd: {names}").format(names=", ".join(a.name for a in tally.missing))
    return text


def automatic_record(detail: MeetingDetail, item: ItemInfo) -> str:
    """What the minutes record by themselves for an item: attendance, conflicts, votes, decision."""
    lines = []
    by_state: dict[Attendance | None, list[str]] = {}
    for a in detail.attendees:
        by_state.setdefault(a.attendance, []).append(a.name)
    for state, label in ((Attendance.PRESENT, _("Aanwezig")), (Attendance.EXCUSED, _("Afgemeld")),
                         (Attendance.ABSENT, _("Afwezig")), (None, _("Aanwezigheid niet vastgelegd"))):
        if by_state.get(state):
            lines.append(f"{label}: {', '.join(by_state[state])}.")
    lines.append(detail.quorum.message)
    if item.kind is ItemKind.APPLICATION:
        for _mid, name, reason in item.conflicts:
            lines.append(_("Belangenverstrengeling: {name} ({reason}); stemt niet mee.").format(name=name, reason=reason))
        if item.votes:
            votes = ", ".join(f"{name} {choice.label}" for _mid, name, choice in item.votes)
            lines.append(_("Stemming: {summary} ({votes}).").format(summary=item.tally.summary, votes=votes))
        else:
            lines.append(_("Er is (nog) niet gestemd."))
        if item.decision:
            lines.append(_("Besluit: {d}.").format(d=decision_summary(item)))
            lines.append(_("Motivering: {m}").format(m=item.decision.motivation))
    return "\n".join(lines)


def correction_what(c: CorrectionInfo, detail: MeetingDetail) -> str:
    if c.entity_type == "vote":
        return _("Stem")
    if c.entity_type == "decision":
        item = next((i for i in detail.items if i.decision and str(i.decision.id) == c.entity_id), None)
        label = decision_field_label(c.field)
        return f"{label} {item.decision.kenmerk}" if item else label
    if c.entity_type == "attendance":
        name = next((a.name for a in detail.attendees if str(a.member_id) == c.entity_id), "")
        return _("Aanwezigheid {name}").format(name=name).strip()
    if c.entity_type == "agenda_item":
        title = next((i.title for i in detail.items if str(i.id) == c.entity_id), "")
        return _("Notulen {title}").format(title=title).strip()
    return c.entity_type


def correction_value(c: CorrectionInfo, value) -> str:
    return correction_value_text(c.entity_type, c.field, value) or "—"


# ---------------------------------------------------------------- agenda list


class AgendaListView(QListView):
    """The agenda: drag and drop, Alt+Up/Alt+Down to move, Delete to remove."""

    sig_move = Signal(int)  # -1 up, +1 down
    sig_remove = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.sig_move.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Delete and not event.modifiers():
            self.sig_remove.emit()
            event.accept()
            return
        super().keyPressEvent(event)


# ---------------------------------------------------------------- attendance


class AttendancePanel(QGroupBox):
    """Per seat holder: aanwezig / afwezig / afgemeld (radio buttons), and the quorum."""

    sig_set = Signal(object, object)  # member id, Attendance

    STATES = (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED)

    def __init__(self, parent=None):
        super().__init__(_("Aanwezigheid"), parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        self.rows: dict[uuid.UUID, QButtonGroup] = {}
        self._widgets: list[QWidget] = []
        self._members: tuple = ()
        self.quorum_label = widgets.plain_label(parent=self)
        self.quorum_label.setObjectName("quorum")
        self.quorum_label.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.quorum_label)
        layout.addWidget(self.hint)

    def set_detail(self, detail: MeetingDetail) -> None:
        members = tuple((a.member_id, a.name, a.seat) for a in detail.attendees)
        if members != self._members:
            self._rebuild(detail.attendees)
            self._members = members
        editable = detail.status is MeetingStatus.OPEN
        for a in detail.attendees:
            group = self.rows[a.member_id]
            group.setExclusive(False)
            for b in group.buttons():
                b.setChecked(group.id(b) == (self.STATES.index(a.attendance) if a.attendance else -2))
                b.setEnabled(editable)
            group.setExclusive(True)
        if not detail.attendees:
            self.quorum_label.setText(_("Er zijn op de vergaderdatum geen leden met een zetel. "
                                        "Benoem eerst de leden (Leden en zetels)."))
        else:
            self.quorum_label.setText(detail.quorum.message)
        reached = detail.quorum.reached
        colour = "#5f6368" if not editable and status_before_opening(detail.status) else (
            "#1e7b34" if reached else "#b3261e")
        self.quorum_label.setStyleSheet(f"font-weight: bold; color: {colour};")
        hints = {
            MeetingStatus.PLANNED: _("Aanwezigheid wordt vastgelegd zodra de vergadering geopend is."),
            MeetingStatus.AGENDA_SET: _("Aanwezigheid wordt vastgelegd zodra de vergadering geopend is."),
            MeetingStatus.CLOSED: _("De vergadering is gesloten; de presentielijst ligt vast."),
        }
        self.hint.setText(hints.get(detail.status, ""))
        self.hint.setVisible(detail.status in hints)

    def _rebuild(self, attendees: tuple[AttendeeInfo, ...]) -> None:
        for w in self._widgets:
            w.deleteLater()
        self._widgets.clear()
        self.rows.clear()
        for col, text in enumerate((_("Zetel"), _("Lid"))):
            head = QLabel(f"<b>{text}</b>", self)
            self.grid.addWidget(head, 0, col)
            self._widgets.append(head)
        for r, a in enumerate(attendees, start=1):
            seat = QLabel(a.seat.label, self)
            seat.setWordWrap(True)
            seat.setToolTip(a.seat.description)
            name = widgets.plain_label(a.name, self)
            name.setWordWrap(True)
            self.grid.addWidget(seat, r, 0)
            self.grid.addWidget(name, r, 1)
            self._widgets += [seat, name]
            group = QButtonGroup(self)
            for i, state in enumerate(self.STATES):
                radio = QRadioButton(state.label, self)
                radio.setAccessibleName(f"{a.name}: {state.label}")
                group.addButton(radio, i)
                self.grid.addWidget(radio, r, 2 + i)
                self._widgets.append(radio)
            group.idClicked.connect(lambda i, mid=a.member_id: self.sig_set.emit(mid, self.STATES[i]))
            self.rows[a.member_id] = group
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)

    def button(self, member_id: uuid.UUID, state: Attendance) -> QRadioButton:
        return self.rows[member_id].button(self.STATES.index(state))


# ---------------------------------------------------------------- votes


class VotePanel(QGroupBox):
    """Per seat holder the vote on the current item (voor / tegen / onthouding) and the live tally."""

    sig_vote = Signal(object, object)  # member id, VoteChoice
    sig_correct = Signal(object)  # member id

    CHOICES = (VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTAIN)

    STYLE = """
    QPushButton[vote="for"]:checked { background: #1e7b34; color: white; border: 1px solid #14531f; }
    QPushButton[vote="against"]:checked { background: #b3261e; color: white; border: 1px solid #7a1a14; }
    QPushButton[vote="abstain"]:checked { background: #5f6368; color: white; border: 1px solid #3c4043; }
    """

    def __init__(self, parent=None):
        super().__init__(_("Stemming"), parent)
        self.setStyleSheet(self.STYLE)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.groups: dict[uuid.UUID, QButtonGroup] = {}
        self.notes: dict[uuid.UUID, QLabel] = {}
        self.correct_buttons: dict[uuid.UUID, QPushButton] = {}
        self._widgets: list[QWidget] = []
        self._members: tuple = ()
        self.tally_label = heading_label("", self, 1.15)
        self.tally_label.setObjectName("tally")
        self.tally_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.tally_label)

    def set_item(self, detail: MeetingDetail, item: ItemInfo) -> None:
        members = tuple((a.member_id, a.name) for a in detail.attendees)
        if members != self._members:
            self._rebuild(detail.attendees)
            self._members = members
        votes = {mid: choice for mid, _name, choice in item.votes}
        conflicted = {mid: reason for mid, _name, reason in item.conflicts}
        voters = {a.member_id for a in item.tally.voters} if item.tally else set()
        closed = detail.status is MeetingStatus.CLOSED
        can_vote = detail.status is MeetingStatus.OPEN and item.decision is None and item.tally.quorum.reached
        for a in detail.attendees:
            group = self.groups[a.member_id]
            choice = votes.get(a.member_id)
            group.setExclusive(False)
            for b in group.buttons():
                b.setChecked(choice is not None and self.CHOICES[group.id(b)] is choice)
                b.setEnabled(can_vote and a.member_id in voters)
                b.setVisible(a.member_id in voters or choice is not None)
            group.setExclusive(True)
            note = ""
            if a.member_id in conflicted:
                note = _("belangenverstrengeling: {reason}").format(reason=conflicted[a.member_id])
            elif a.attendance is not Attendance.PRESENT:
                note = a.attendance.label if a.attendance else _("aanwezigheid niet vastgelegd")
            self.notes[a.member_id].setText(note)
            self.correct_buttons[a.member_id].setVisible(closed and choice is not None)
        self.tally_label.setText(tally_text(item))

    def _rebuild(self, attendees: tuple[AttendeeInfo, ...]) -> None:
        for w in self._widgets:
            w.deleteLater()
        self._widgets.clear()
        self.groups.clear()
        self.notes.clear()
        self.correct_buttons.clear()
        labels = {VoteChoice.FOR: _("&Voor"), VoteChoice.AGAINST: _("&Tegen"), VoteChoice.ABSTAIN: _("&Onthouding")}
        for r, a in enumerate(attendees):
            name = widgets.plain_label(a.name, self)
            self.grid.addWidget(name, r, 0)
            self._widgets.append(name)
            group = QButtonGroup(self)
            for i, choice in enumerate(self.CHOICES):
                b = QPushButton(labels[choice].replace("&", "") , self)
                b.setCheckable(True)
                b.setAccessibleName(f"{a.name}: {choice.label}")
                b.setObjectName(f"vote_{choice.value}")
                b.setProperty("vote", choice.value)
                group.addButton(b, i)
                self.grid.addWidget(b, r, 1 + i)
                self._widgets.append(b)
            group.idClicked.connect(lambda i, mid=a.member_id: self.sig_vote.emit(mid, self.CHOICES[i]))
            self.groups[a.member_id] = group
            note = widgets.plain_label(parent=self)
            note.setProperty("role", "hint")
            note.setWordWrap(True)
            self.grid.addWidget(note, r, 4)
            self.notes[a.member_id] = note
            fix = QPushButton(_("Correctie…"), self)
            fix.setAccessibleName(_("Stem van {name} corrigeren").format(name=a.name))
            fix.clicked.connect(lambda _c=False, mid=a.member_id: self.sig_correct.emit(mid))
            self.grid.addWidget(fix, r, 5)
            self.correct_buttons[a.member_id] = fix
            self._widgets += [note, fix]
        self.grid.setColumnStretch(4, 1)

    def button(self, member_id: uuid.UUID, choice: VoteChoice) -> QPushButton:
        return self.groups[member_id].button(self.CHOICES.index(choice))


# ---------------------------------------------------------------- the view


class MeetingView(QWidget):
    """Everything about one meeting. Every change goes through the meetings service and reloads."""

    sig_changed = Signal()  # agenda, decisions: applications changed status
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
        QShortcut(QKeySequence("Alt+Left"), self, self._back, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
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
        self.edit_button = QPushButton(_("Wijzigen…"), self)
        self.edit_button.clicked.connect(self.edit_meeting)
        self.present_button = QPushButton(_("Presentatie (F5)"), self)
        self.present_button.clicked.connect(self.sig_presentation_requested)
        QShortcut(QKeySequence("F5"), self, self.sig_presentation_requested.emit,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.banner = MessageBanner(self)

        head = QHBoxLayout()
        head.addWidget(self.back_button)
        head.addSpacing(8)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.place_label)
        head.addLayout(titles, 1)
        head.addWidget(self.status_label)
        head.addWidget(self.edit_button)
        from commissie_app.ui.meeting_documents_menu import MeetingDocumentsButton

        self.documents_button = MeetingDocumentsButton(lambda: self.ctx, lambda: self.detail, self)
        head.addWidget(self.documents_button)
        head.addWidget(self.present_button)
        head.addWidget(self.step_button)

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
        self.add_free_button = QPushButton(_("Agendapunt toevoegen…"), self)
        self.add_free_button.clicked.connect(self.add_free_item)
        self.remove_button = QPushButton(_("Verwijderen"), self)
        self.remove_button.setToolTip(_("Agendapunt van de agenda halen (Delete)"))
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button = QPushButton(_("Omhoog"), self)
        self.up_button.setToolTip(_("Agendapunt omhoog (Alt+Omhoog); slepen kan ook"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton(_("Omlaag"), self)
        self.down_button.setToolTip(_("Agendapunt omlaag (Alt+Omlaag); slepen kan ook"))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        agenda_label = QLabel(_("&Agenda"), self)
        agenda_label.setBuddy(self.agenda)
        agenda_label.setStyleSheet("font-weight: bold;")
        agenda_box = QWidget(self)
        al = QVBoxLayout(agenda_box)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(agenda_label)
        al.addWidget(self.agenda, 1)
        row1 = QHBoxLayout()
        row1.addWidget(self.add_complete_button)
        row1.addWidget(self.add_free_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.up_button)
        row2.addWidget(self.down_button)
        row2.addStretch(1)
        row2.addWidget(self.remove_button)
        al.addLayout(row1)
        al.addLayout(row2)

        # right side
        self.attendance = AttendancePanel(self)
        self.attendance.sig_set.connect(self.set_attendance)

        self.item_title = heading_label("", self, 1.2)
        self.item_title.setObjectName("itemTitle")
        self.item_title.setWordWrap(True)
        self.essentials = widgets.rich_label(self)
        self.essentials.setObjectName("essentials")
        self.essentials.setWordWrap(True)
        self.essentials.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.conflict_box = QGroupBox(_("Belangenverstrengeling"), self)
        self.conflicts_label = widgets.plain_label(parent=self.conflict_box)
        self.conflicts_label.setWordWrap(True)
        self.conflict_button = QPushButton(_("Belangenverstrengeling melden…"), self.conflict_box)
        self.conflict_button.clicked.connect(self.declare_conflict)
        cl = QHBoxLayout(self.conflict_box)
        cl.addWidget(self.conflicts_label, 1)
        cl.addWidget(self.conflict_button, 0, Qt.AlignmentFlag.AlignTop)

        self.votes = VotePanel(self)
        self.votes.sig_vote.connect(self.record_vote)
        self.votes.sig_correct.connect(self.correct_vote)

        self.decision_box = QGroupBox(_("Besluit"), self)
        self.decision_label = widgets.rich_label(self.decision_box)
        self.decision_label.setObjectName("decision")
        self.decision_label.setWordWrap(True)
        self.decision_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decision_button = QPushButton(_("Besluit vastleggen…"), self.decision_box)
        self.decision_button.clicked.connect(self.record_decision)
        self.correct_motivation_button = QPushButton(_("Correctie…"), self.decision_box)
        self.correct_motivation_button.setAccessibleName(_("Motivering corrigeren"))
        self.correct_motivation_button.clicked.connect(self.correct_motivation)
        dl = QHBoxLayout(self.decision_box)
        dl.addWidget(self.decision_label, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.decision_button)
        buttons.addWidget(self.correct_motivation_button)
        buttons.addStretch(1)
        dl.addLayout(buttons)

        self.minutes_box = QGroupBox(_("Notulen bij dit agendapunt"), self)
        self.minutes = QPlainTextEdit(self.minutes_box)
        self.minutes.setObjectName("minutes")
        self.minutes.setAccessibleName(_("Notulen"))
        self.minutes.setTabChangesFocus(True)
        self.minutes.setPlaceholderText(_("Wat besproken is; wordt opgeslagen als u het veld verlaat."))
        self.minutes.setMinimumHeight(80)
        self.minutes.setMaximumHeight(160)
        self.minutes.installEventFilter(self)
        self.save_minutes_button = QPushButton(_("Notulen opslaan"), self.minutes_box)
        self.save_minutes_button.setToolTip("Ctrl+S")
        self.save_minutes_button.clicked.connect(self.save_minutes)
        QShortcut(QKeySequence.StandardKey.Save, self.minutes, self.save_minutes,
                  context=Qt.ShortcutContext.WidgetShortcut)
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

        self.corrections_box = QGroupBox(_("Correcties na sluiting"), self)
        self.corrections = QTableWidget(0, 5, self.corrections_box)
        self.corrections.setObjectName("corrections")
        self.corrections.setHorizontalHeaderLabels([_("Wat"), _("Oorspronkelijk"), _("Gecorrigeerd"), _("Reden"),
                                                    _("Door, op")])
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
        rl.addWidget(self.item_title)
        rl.addWidget(self.essentials)
        rl.addWidget(self.conflict_box)
        rl.addWidget(self.votes)
        rl.addWidget(self.decision_box)
        rl.addWidget(self.minutes_box)
        rl.addWidget(self.corrections_box)
        rl.addStretch(1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        if detail.video_link:
            where.append(widgets.link_html(detail.video_link))
        officers = []
        if detail.chair_name:
            officers.append(widgets.escape(_("voorzitter {name}").format(name=detail.chair_name)))
        if detail.secretary_name:
            officers.append(widgets.escape(_("secretaris {name}").format(name=detail.secretary_name)))
        self.place_label.setText(" · ".join(where + officers))
        self.status_label.setText(status_chip(status))
        step = step_label(status)
        self.step_button.setVisible(step is not None)
        self.step_button.setText(step or "")
        self.edit_button.setEnabled(not closed)
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
        self.model.set_items(detail.items, movable=not closed)
        for w in (self.add_complete_button, self.add_free_button, self.remove_button, self.up_button,
                  self.down_button):
            w.setEnabled(not closed)
        self.attendance.set_detail(detail)
        row = self.model.row_of(current)
        if row >= 0:
            self.agenda.selectionModel().setCurrentIndex(self.model.index(row),
                                                         QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._show_item()
        self._show_corrections()
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
        self.remove_button.setEnabled(not closed and item is not None and item.kind is not ItemKind.STANDARD)
        self.item_title.setVisible(item is not None)
        self.minutes_box.setVisible(item is not None)
        for w in (self.essentials, self.conflict_box, self.votes, self.decision_box):
            w.setVisible(app_item)
        if item is None:
            return
        self.item_title.setText(f"{self.model.row_of(item.id) + 1}. {item.title}")
        if item.id != self._minutes_item:
            self.minutes.setPlainText(item.minutes)
            self._minutes_item = item.id
        self.minutes.setReadOnly(closed)
        self.save_minutes_button.setEnabled(not closed)
        self.record_label.setText(automatic_record(detail, item))
        if not app_item:
            return
        founded = _(", opgericht {day}").format(day=format_date_nl(item.founded_on)) if item.founded_on else ""
        self.essentials.setText(
            f"<b>{widgets.escape(item.organisation)}</b><br>"
            + widgets.escape(_("KvK {kvk} · {place}{founded}").format(kvk=item.kvk, place=item.place, founded=founded))
            + "<br>" + widgets.escape(_("Criteria: {c}").format(c=criteria_text(item.criteria))))
        if item.conflicts:
            self.conflicts_label.setText("\n".join(f"{name}: {reason}" for _m, name, reason in item.conflicts))
        else:
            self.conflicts_label.setText(_("Niemand heeft belangenverstrengeling gemeld."))
        self.conflict_button.setEnabled(is_open and item.decision is None and bool(self._conflict_candidates(item)))
        self.votes.set_item(detail, item)
        if item.decision:
            self.decision_label.setText(f"<b>{widgets.escape(decision_summary(item))}</b><br>" + widgets.escape(
                _("Motivering: {m}").format(m=item.decision.motivation)).replace("\n", "<br>"))
        elif is_open:
            self.decision_label.setText(_("Nog geen besluit. Kies na de stemming 'Besluit vastleggen'."))
        else:
            self.decision_label.setText(_("Nog geen besluit; dat wordt in de geopende vergadering vastgelegd."))
        self.decision_button.setVisible(item.decision is None and not closed)
        self.decision_button.setEnabled(is_open)
        self.correct_motivation_button.setVisible(closed and item.decision is not None)

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

    def _conflict_candidates(self, item: ItemInfo) -> list[AttendeeInfo]:
        done = {m for m, _n, _r in item.conflicts} | {m for m, _n, _c in item.votes}
        return [a for a in self.detail.attendees if a.attendance is Attendance.PRESENT and a.member_id not in done]

    # ------------------------------------------------------------ calling services

    def _call(self, fn, *args, changed: bool = False, **kwargs) -> bool:
        try:
            fn(self.ctx, *args, **kwargs)
        except DomainError as err:
            show_error(self, err)
            self.reload()
            return False
        self.reload()
        if changed:
            self.sig_changed.emit()
        return True

    def step_status(self) -> None:
        detail = self.detail
        target = NEXT_STATUS.get(detail.status)
        if target is None:
            return
        if target is MeetingStatus.CLOSED:
            choice = widgets.ask(
                self, _("Vergadering sluiten"),
                _("Na het sluiten liggen aanwezigheid, stemmen, besluiten en notulen vast. Wijzigen kan daarna "
                  "alleen nog met een correctie met reden. Vergadering sluiten?"),
                [(_("Vergadering sluiten"), QMessageBox.ButtonRole.AcceptRole),
                 (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1)
            if choice != 0:
                return
            self._save_pending_minutes()
        self._call(meeting_closing.set_status, detail.id, target, changed=True)

    def edit_meeting(self) -> None:
        dlg = MeetingDialog(self.ctx, self.detail, self)
        if dlg.exec():
            self.reload()
            self.sig_changed.emit()

    def add_complete_applications(self) -> None:
        try:
            candidates = meeting_agenda.complete_applications(self.ctx)
        except DomainError as err:
            show_error(self, err)
            return
        if not candidates:
            QMessageBox.information(self, _("Complete aanvragen toevoegen"),
                                    _("Er zijn geen complete aanvragen die nog op een agenda moeten."))
            return
        dlg = CompleteApplicationsDialog(candidates, self)
        if dlg.exec() and dlg.chosen():
            if self._call(meeting_agenda.add_application_items, self.detail.id, dlg.chosen(), changed=True):
                self._select_id(self._first_new_application(dlg.chosen()))

    def _first_new_application(self, app_ids: list[uuid.UUID]) -> uuid.UUID | None:
        return next((i.id for i in self.model.items() if i.application_id in set(app_ids)), None)

    def _select_id(self, item_id: uuid.UUID | None) -> None:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.select_row(row)

    def add_free_item(self) -> None:
        title, ok = QInputDialog.getText(self, _("Agendapunt toevoegen"), _("Titel van het agendapunt:"))
        if not ok or not title.strip():
            return
        try:
            item_id = meeting_agenda.add_free_item(self.ctx, self.detail.id, title.strip())
        except DomainError as err:
            show_error(self, err)
            return
        self.reload()
        self._select_id(item_id)

    def remove_current(self) -> None:
        item = self.current_item()
        if item is None or self.detail.status is MeetingStatus.CLOSED:
            return
        if item.kind is ItemKind.STANDARD:
            show_error(self, DomainError(_("Een vast agendapunt kan niet worden verwijderd.")))
            return
        extra = _(" De aanvraag krijgt weer de status 'compleet'.") if item.kind is ItemKind.APPLICATION else ""
        choice = widgets.ask(self, _("Agendapunt verwijderen"),
                             _("'{title}' van de agenda halen?").format(title=item.title) + extra,
                             [(_("Verwijderen"), QMessageBox.ButtonRole.DestructiveRole),
                              (_("Annuleren"), QMessageBox.ButtonRole.RejectRole)], default=1)
        if choice == 0:
            self._call(meeting_agenda.remove_item, item.id, changed=item.kind is ItemKind.APPLICATION)

    def move_current(self, delta: int) -> None:
        row = self.agenda.currentIndex().row()
        if row < 0 or self.detail is None or self.detail.status is MeetingStatus.CLOSED:
            return
        self.model.move_row(row, delta)  # emits sig_order_changed -> _reorder

    def _reorder(self, order: list[uuid.UUID]) -> None:
        current = self._current_id
        self._call(meeting_agenda.reorder_items, self.detail.id, order)
        self._select_id(current)
        self.agenda.setFocus()

    def set_attendance(self, member_id: uuid.UUID, state: Attendance) -> None:
        self._call(meeting_attendance.set_attendance, self.detail.id, member_id, state)

    def declare_conflict(self) -> None:
        item = self.current_item()
        if item is None:
            return
        dlg = ConflictDialog(self.ctx, item, self._conflict_candidates(item), self)
        if dlg.exec():
            self.reload()

    def record_vote(self, member_id: uuid.UUID, choice: VoteChoice) -> None:
        item = self.current_item()
        if item is not None:
            self._call(meeting_votes.record_vote, item.id, member_id, choice)

    def record_decision(self) -> None:
        item = self.current_item()
        if item is None:
            return
        dlg = DecisionDialog(self.ctx, item, self.detail.local_start.date(), self.detail.rules, self)
        dlg.exec()
        if dlg.kenmerk:
            self.reload()
            self.sig_changed.emit()

    def correct_vote(self, member_id: uuid.UUID) -> None:
        item = self.current_item()
        vote = next(((name, choice) for mid, name, choice in item.votes if mid == member_id), None) if item else None
        if vote is None:
            return
        name, choice = vote
        dlg = VoteCorrectionDialog(self.ctx, item, member_id, name, choice, parent=self)
        if dlg.exec():
            self.reload()
            if dlg.corrected_decision is not None:
                self.sig_changed.emit()

    def correct_motivation(self) -> None:
        item = self.current_item()
        if item is None or item.decision is None:
            return
        decision = item.decision
        dlg = CorrectionDialog(
            _("Motivering corrigeren"), _("Motivering ({k})").format(k=decision.kenmerk), decision.motivation,
            lambda value, reason: meeting_corrections.correct_decision_motivation(self.ctx, decision.id, value, reason),
            text=decision.motivation, parent=self)
        if dlg.exec():
            self.reload()
            self.sig_changed.emit()

    # ------------------------------------------------------------ minutes

    def save_minutes(self) -> bool:
        item = self.current_item()
        if item is None or self.detail.status is MeetingStatus.CLOSED:
            return False
        text = self.minutes.toPlainText()
        if text == item.minutes:
            return True
        return self._call(meeting_closing.set_item_minutes, item.id, text)

    def _save_pending_minutes(self) -> None:
        """Before another item is shown: keep what was typed for the previous one."""
        if self.detail is None or self._minutes_item is None or self.detail.status is MeetingStatus.CLOSED:
            return
        previous = next((i for i in self.detail.items if i.id == self._minutes_item), None)
        text = self.minutes.toPlainText()
        if previous is not None and text != previous.minutes:
            try:
                meeting_closing.set_item_minutes(self.ctx, previous.id, text)
            except DomainError as err:
                show_error(self, err)
            self.detail = meeting_detail.get_meeting(self.ctx, self.detail.id)
        self._minutes_item = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.minutes and event.type() == QEvent.Type.FocusOut and not self.minutes.isReadOnly():
            self.save_minutes()
        return super().eventFilter(obj, event)

    def _back(self) -> None:
        self._save_pending_minutes()
        self.sig_back.emit()
