"""The panels of the meeting view: the agenda list, the attendance panel (with quorum) and the vote
panel of the current item (with the live tally)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.i18n import _
from commissie_app.services.meeting_detail import ItemInfo, MeetingDetail
from commissie_app.services.meeting_record import AttendeeInfo
from commissie_app.ui import widgets
from commissie_app.ui.meeting_texts import status_before_opening, tally_text
from commissie_app.ui.widgets import heading_label


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


class AttendancePanel(QGroupBox):
    """Per seat holder: aanwezig / afwezig / afgemeld (radio buttons), and the quorum."""

    sig_set = Signal(object, object)  # member id, Attendance

    STATES = (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED)

    def __init__(self, parent=None):
        super().__init__(_("Aanwezigheid"), parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
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

    def set_detail(self, detail: MeetingDetail, *, allowed: bool = True) -> None:
        """``allowed``: whether this user may record attendance (otherwise the buttons only show it)."""
        members = tuple((a.member_id, a.name, a.seat) for a in detail.attendees)
        if members != self._members:
            self._rebuild(detail.attendees)
            self._members = members
        editable = detail.status is MeetingStatus.OPEN and allowed
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
        head = QLabel(_("<b>Lid</b> (zetel)"), self)
        self.grid.addWidget(head, 0, 0)
        self._widgets.append(head)
        for r, a in enumerate(attendees, start=1):
            # name and seat in one cell, the seat under the name: the panel fits a narrow column
            who = widgets.rich_label(self)
            who.setText(f"{widgets.escape(a.name)}<br><small>{widgets.escape(a.seat.label)}</small>")
            who.setWordWrap(True)
            who.setToolTip(a.seat.description)
            self.grid.addWidget(who, r, 0)
            self._widgets.append(who)
            group = QButtonGroup(self)
            for i, state in enumerate(self.STATES):
                radio = QRadioButton(state.label, self)
                radio.setAccessibleName(f"{a.name}: {state.label}")
                group.addButton(radio, i)
                self.grid.addWidget(radio, r, 1 + i)
                self._widgets.append(radio)
            group.idClicked.connect(lambda i, mid=a.member_id: self.sig_set.emit(mid, self.STATES[i]))
            self.rows[a.member_id] = group
        self.grid.setColumnStretch(0, 1)

    def button(self, member_id: uuid.UUID, state: Attendance) -> QRadioButton:
        return self.rows[member_id].button(self.STATES.index(state))


class VotePanel(QGroupBox):
    """Per seat holder the vote on the current item (voor / tegen / onthouding) and the live tally."""

    sig_vote = Signal(object, object)  # member id, VoteChoice
    sig_correct = Signal(object)  # member id
    sig_clear = Signal(object)  # member id: clear the vote (open meeting, before the decision)

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
        self.clear_buttons: dict[uuid.UUID, QPushButton] = {}
        self._widgets: list[QWidget] = []
        self._members: tuple = ()
        self.tally_label = heading_label("", self, 1.15)
        self.tally_label.setObjectName("tally")
        self.tally_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addWidget(self.tally_label)

    def set_item(self, detail: MeetingDetail, item: ItemInfo, *, allowed: bool = True, corrects: bool = True) -> None:
        """``allowed``: whether this user may record votes; ``corrects``: whether they may correct a closed record."""
        members = tuple((a.member_id, a.name) for a in detail.attendees)
        if members != self._members:
            self._rebuild(detail.attendees)
            self._members = members
        votes = {mid: choice for mid, _name, choice in item.votes}
        conflicted = {mid: reason for mid, _name, reason in item.conflicts}
        voters = {a.member_id for a in item.tally.voters} if item.tally else set()
        closed = detail.status is MeetingStatus.CLOSED
        can_vote = (allowed and detail.status is MeetingStatus.OPEN and item.decision is None
                    and item.tally.quorum.reached)
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
            self.notes[a.member_id].setVisible(bool(note))  # no empty row under the name
            self.correct_buttons[a.member_id].setVisible(closed and choice is not None and corrects)
            self.clear_buttons[a.member_id].setVisible(can_vote and choice is not None)
        self.tally_label.setText(tally_text(item))

    def _rebuild(self, attendees: tuple[AttendeeInfo, ...]) -> None:
        for w in self._widgets:
            w.deleteLater()
        self._widgets.clear()
        self.groups.clear()
        self.notes.clear()
        self.correct_buttons.clear()
        self.clear_buttons.clear()
        labels = {VoteChoice.FOR: _("&Voor"), VoteChoice.AGAINST: _("&Tegen"), VoteChoice.ABSTAIN: _("&Onthouding")}
        for n, a in enumerate(attendees):
            r = 2 * n  # the note goes on the row below: the panel fits a narrow column
            name = widgets.plain_label(a.name, self)
            name.setWordWrap(True)
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
            self.grid.addWidget(note, r + 1, 0, 1, 3)
            self.notes[a.member_id] = note
            fix = QPushButton(_("Correctie…"), self)
            fix.setAccessibleName(_("Stem van {name} corrigeren").format(name=a.name))
            fix.clicked.connect(lambda _c=False, mid=a.member_id: self.sig_correct.emit(mid))
            self.correct_buttons[a.member_id] = fix
            # on the row below, under the vote buttons: the panel keeps fitting a narrow column (150 %); the
            # correction (closed meeting) and the clear button (open meeting) are never shown together
            self.grid.addWidget(fix, r + 1, 3, 1, 2, Qt.AlignmentFlag.AlignRight)
            clear = QPushButton(_("Stem wissen"), self)
            clear.setAccessibleName(_("Stem van {name} wissen").format(name=a.name))
            clear.setToolTip(_("Deze stem wissen, om opnieuw te stemmen"))
            clear.clicked.connect(lambda _c=False, mid=a.member_id: self.sig_clear.emit(mid))
            self.grid.addWidget(clear, r + 1, 3, 1, 2, Qt.AlignmentFlag.AlignRight)
            self.clear_buttons[a.member_id] = clear
            self._widgets += [note, fix, clear]
        self.grid.setColumnStretch(0, 1)

    def button(self, member_id: uuid.UUID, choice: VoteChoice) -> QPushButton:
        return self.groups[member_id].button(self.CHOICES.index(choice))


class ConflictList(QWidget):
    """The declarations of conflict of interest on the current item, each with 'Intrekken' while it may
    still be withdrawn (the meeting open, the item not decided, and this user may declare it)."""

    sig_withdraw = Signal(object)  # member id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.empty = widgets.plain_label(_("Niemand heeft belangenverstrengeling gemeld."), self)
        self.empty.setWordWrap(True)
        self.grid.addWidget(self.empty, 0, 0)
        self.grid.setColumnStretch(0, 1)
        self.labels: dict[uuid.UUID, QLabel] = {}
        self.withdraw_buttons: dict[uuid.UUID, QPushButton] = {}
        self._widgets: list[QWidget] = []

    def set_conflicts(self, conflicts: tuple[tuple[uuid.UUID, str, str], ...], withdrawable: set[uuid.UUID]) -> None:
        for w in self._widgets:
            w.deleteLater()
        self._widgets.clear()
        self.labels.clear()
        self.withdraw_buttons.clear()
        self.empty.setVisible(not conflicts)
        for r, (mid, name, reason) in enumerate(conflicts, start=1):
            label = widgets.plain_label(f"{name}: {reason}", self)
            label.setWordWrap(True)
            self.grid.addWidget(label, r, 0)
            self.labels[mid] = label
            button = QPushButton(_("Intrekken"), self)
            button.setAccessibleName(_("Melding van {name} intrekken").format(name=name))
            button.setToolTip(_("De melding intrekken, bijvoorbeeld als die bij het verkeerde lid is vastgelegd"))
            button.clicked.connect(lambda _c=False, m=mid: self.sig_withdraw.emit(m))
            button.setVisible(mid in withdrawable)
            self.grid.addWidget(button, r, 1, Qt.AlignmentFlag.AlignTop)
            self.withdraw_buttons[mid] = button
            self._widgets += [label, button]

    def text(self) -> str:
        """What the list says, one declaration a line."""
        if not self.labels:
            return self.empty.text()
        return "\n".join(label.text() for label in self.labels.values())
