"""What the standard agenda items "Advies aan het Coördinatieteam" and "Ontwikkelingen Impact Ondernemen"
show in the meeting view (issue 15): the open advice (in an opened meeting the selected one can be adopted
here, which records the meeting and the item) and the developments since the previous meeting."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services import advice
from commissie_app.services.access import may
from commissie_app.services.advice import ItemNotes
from commissie_app.services.changes import recording
from commissie_app.services.context import ServiceContext
from commissie_app.ui import widgets
from commissie_app.ui.errors import show_error

ID_ROLE = Qt.ItemDataRole.UserRole


class AdviceItemPanel(QGroupBox):
    """Shown for the two standard items only; hidden for every other item."""

    sig_changed = Signal(object)  # Changes

    def __init__(self, ctx_of, parent: QWidget | None = None):
        """``ctx_of()``: the view's current service context."""
        super().__init__(parent)
        self._ctx_of = ctx_of
        self.notes: ItemNotes | None = None
        self.item_id: uuid.UUID | None = None
        self.status: MeetingStatus | None = None
        self.window_: QWidget | None = None
        self.list = QListWidget(self)
        self.list.setObjectName("itemNotes")
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(150)
        self.list.currentRowChanged.connect(lambda _r: self._enable())
        self.adopt_button = QPushButton(_("Advies vaststellen"), self)
        self.adopt_button.setToolTip(_("Het gekozen advies is in deze vergadering vastgesteld (bij dit agendapunt)"))
        self.adopt_button.clicked.connect(self.adopt)
        self.register_button = QPushButton(self)
        self.register_button.clicked.connect(self.open_register)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.adopt_button)
        row.addWidget(self.register_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.hide()

    @property
    def ctx(self) -> ServiceContext:
        return self._ctx_of()

    def show_item(self, meeting_id: uuid.UUID | None, status: MeetingStatus | None, item) -> None:
        """Read what the item lists (the service decides which items have notes) and show it."""
        self.notes = None
        if item is not None and item.kind is ItemKind.STANDARD and meeting_id is not None:
            self.notes = advice.agenda_notes(self.ctx, meeting_id).get(item.id)
        self.setVisible(self.notes is not None)
        if self.notes is None:
            return
        self.item_id, self.status = item.id, status
        self.setTitle(self.notes.heading)
        self.list.clear()
        for n, line in enumerate(self.notes.lines):
            entry = QListWidgetItem(line, self.list)
            entry.setToolTip(widgets.plain(line))
            if self.notes.ids:
                entry.setData(ID_ROLE, self.notes.ids[n])
        if not self.notes.lines:
            QListWidgetItem(self.notes.empty, self.list).setFlags(Qt.ItemFlag.NoItemFlags)
        self.adopt_button.setVisible(self.notes.is_advice and status is MeetingStatus.OPEN)
        self.register_button.setText(_("Adviesregister…") if self.notes.is_advice else _("Ontwikkelingen…"))
        self._enable()

    def current_advice(self) -> uuid.UUID | None:
        entry = self.list.currentItem()
        return entry.data(ID_ROLE) if entry is not None else None

    def _enable(self) -> None:
        chosen = self.current_advice()
        self.adopt_button.setEnabled(self.notes is not None and chosen in self.notes.adoptable
                                     and may(self.ctx, Action.RECORD_ADVICE))

    def adopt(self) -> None:
        advice_id = self.current_advice()
        if advice_id is None or self.item_id is None:
            return
        with recording() as seen:
            try:
                info = advice.get_advice(self.ctx, advice_id)
                advice.adopt_advice(self.ctx, advice_id, self.item_id, expected_version=info.version)
            except DomainError as err:
                show_error(self, err)
        self.sig_changed.emit(seen.changes)

    def open_register(self) -> None:
        from commissie_app.ui.advice_page import AdviceWindow

        window = AdviceWindow(self.ctx, self, developments_tab=not (self.notes and self.notes.is_advice))
        self.window_ = window
        window.page.sig_changed.connect(self.sig_changed)
        window.exec()
