"""The meeting's own minutes in the meeting view (issue 14): the general minutes text (printed under
"Algemeen" in the minutes) and, on the item "Verslag vorige vergadering", the adoption of the previous
meeting's minutes. The boxes only show and ask; the meeting view calls the services (``MeetingActions``)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.validation import format_date_nl
from commissie_app.i18n import _
from commissie_app.services.meeting_detail import MeetingDetail
from commissie_app.ui import widgets


class GeneralMinutesBox(QGroupBox):
    """The general minutes text of the meeting, saved with the button, Ctrl+S or on leaving the field through
    ``save_text(text, loaded_text) -> bool`` (the view's service call); the loaded text lets the service refuse
    a stale edit. After a refused save the typed text stays and the stored text becomes the one a next save
    replaces, but only a deliberate save (button or Ctrl+S) does that, not leaving the field."""

    def __init__(self, save_text: Callable[[str, str], bool], parent: QWidget | None = None):
        super().__init__(_("Notulen van de vergadering (algemeen)"), parent)
        self.save_text = save_text
        self.loaded = ""
        self.refused = False  # the last save was refused: leaving the field saves nothing
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("meetingMinutes")
        self.editor.setAccessibleName(_("Algemene notulen van de vergadering"))
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(60)
        self.editor.setMaximumHeight(110)
        self.editor.installEventFilter(self)
        self.editor.setReadOnly(True)  # until the first meeting is shown
        self.save_button = QPushButton(_("Opslaan"), self)
        self.save_button.setObjectName("saveMeetingMinutes")
        self.save_button.setAccessibleName(_("Algemene notulen opslaan"))
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        save = QShortcut(QKeySequence.StandardKey.Save, self.editor, self.save)
        save.setContext(Qt.ShortcutContext.WidgetShortcut)  # Ctrl+S of the item's minutes is another one
        save.setWhatsThis(_("Algemene notulen opslaan"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)

    def set_detail(self, detail: MeetingDetail, *, writable: bool) -> None:
        """Show the stored text; text typed and not saved yet stays."""
        writable = writable and detail.status is not MeetingStatus.CLOSED
        if (not self.is_dirty() or not writable) and self.editor.toPlainText() != detail.minutes:
            self.editor.setPlainText(detail.minutes)
            self.refused = False
        self.loaded = detail.minutes
        if self.editor.isReadOnly() == writable:  # only when it changes: every reload passes here
            self.editor.setReadOnly(not writable)
            self.editor.setPlaceholderText(
                _("Wat in het algemeen besproken is; komt in de notulen onder ‘Algemeen’.") if writable
                else _("(geen algemene notulen)"))
        self.save_button.setEnabled(writable)

    def is_dirty(self) -> bool:
        return self.editor.toPlainText() != self.loaded

    def save(self, *, deliberate: bool = True) -> bool:
        if self.editor.isReadOnly() or not self.is_dirty() or (self.refused and not deliberate):
            return True
        ok = self.save_text(self.editor.toPlainText(), self.loaded)
        self.refused = not ok
        return ok

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.editor and event.type() == QEvent.Type.FocusOut \
                and QApplication.focusWidget() is not self.save_button:  # the button saves by itself
            self.save(deliberate=False)
        return super().eventFilter(obj, event)


def previous_minutes_text(detail: MeetingDetail) -> str:
    """Where the previous meeting's minutes stand, for the item "Verslag vorige vergadering"."""
    prev = detail.previous_minutes
    if prev is None:
        return _("Dit is de eerste vergadering: er is geen verslag van een vorige vergadering.")
    day = format_date_nl(prev.day)
    if prev.adopted_on is not None:
        return _("Het verslag van de vergadering van {day} is vastgesteld in de vergadering van {adopted}.").format(
            day=day, adopted=format_date_nl(prev.adopted_on))
    if prev.status is not MeetingStatus.CLOSED:
        return _("De vergadering van {day} is nog niet gesloten; haar verslag kan daarna worden vastgesteld.").format(
            day=day)
    return _("Het verslag van de vergadering van {day} is nog een concept.").format(day=day)


class PreviousMinutesBox(QGroupBox):
    """On the item "Verslag vorige vergadering": where the previous minutes stand and 'Verslag vaststellen…'."""

    sig_adopt = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(_("Vaststelling van het verslag"), parent)
        self.state = widgets.plain_label(parent=self)
        self.state.setObjectName("previousMinutes")
        self.state.setWordWrap(True)
        self.adopt_button = QPushButton(_("Verslag vaststellen…"), self)
        self.adopt_button.setObjectName("adoptMinutes")
        self.adopt_button.setToolTip(_("Vastleggen dat de vergadering het verslag van de vorige vergadering "
                                       "vaststelt; daarna drukken die notulen de datum van vaststelling af"))
        self.adopt_button.clicked.connect(self.sig_adopt)
        layout = QHBoxLayout(self)
        layout.addWidget(self.state, 1)
        layout.addWidget(self.adopt_button, 0, Qt.AlignmentFlag.AlignTop)

    def set_detail(self, detail: MeetingDetail, *, allowed: bool) -> None:
        prev = detail.previous_minutes
        self.state.setText(previous_minutes_text(detail))
        adoptable = prev is not None and prev.status is MeetingStatus.CLOSED and prev.adopted_on is None
        self.adopt_button.setVisible(adoptable and detail.status is not MeetingStatus.CLOSED)
        self.adopt_button.setEnabled(adoptable and allowed and detail.status is MeetingStatus.OPEN)
        self.adopt_button.setToolTip(self.adopt_button.toolTip() if detail.status is MeetingStatus.OPEN
                                     else _("Het verslag wordt vastgesteld in de geopende vergadering"))
