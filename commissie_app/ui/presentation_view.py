"""The meeting on a projector: large type, the current agenda item, the application's essentials and
the live tally. Arrow keys / PageUp / PageDown go to the previous or next item, F11 toggles full
screen, Esc leaves full screen (and closes the window when it is not full screen).

The view never calls a service: the meeting view pushes every reloaded ``MeetingDetail`` to
``show_detail`` (connected to its ``sig_detail_changed``), so a recorded vote appears at once.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from commissie_app.domain.meetings import ItemKind
from commissie_app.domain.voting import Outcome
from commissie_app.i18n import _
from commissie_app.services.meeting_detail import ItemInfo, MeetingDetail
from commissie_app.ui.meeting_dialogs import criteria_text, decision_summary
from commissie_app.ui.meeting_texts import meeting_heading
from commissie_app.ui.widgets import plain_label

OUTCOME_COLOURS = {
    Outcome.POSITIVE: "#7ee08a",
    Outcome.REJECTED: "#ff8a80",
    Outcome.DEFERRED: "#ffd54f",
    Outcome.NO_QUORUM: "#ff8a80",
    Outcome.INCOMPLETE: "#e0e0e0",
}

STYLE = """
QWidget#presentation { background: #14213d; }
QLabel { color: #f5f5f5; }
QLabel#meeting { color: #9fb3d1; }
QLabel#position { color: #9fb3d1; }
QLabel#title { font-weight: bold; }
QFrame#rule { background: #2f4a7a; }
QLabel#hint { color: #6f86ad; }
"""


class PresentationView(QWidget):
    def __init__(self, detail: MeetingDetail | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(_("Presentatie"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.detail: MeetingDetail | None = None
        self.current_id: uuid.UUID | None = None

        self.meeting_label = self._label("meeting", 0.8)
        self.position_label = self._label("position", 0.8)
        self.title_label = self._label("title", 1.6)
        self.essentials_label = self._label("essentials", 1.0)
        rule = QFrame(self)
        rule.setObjectName("rule")
        rule.setFixedHeight(3)
        self.tally_label = self._label("tally", 1.8)
        self.outcome_label = self._label("outcome", 1.3)
        self.missing_label = self._label("missing", 0.8)
        self.decision_label = self._label("decisionText", 1.0)
        self.hint_label = self._label("hint", 0.55)
        self.hint_label.setText(_("← / → of PageUp / PageDown: vorig / volgend agendapunt · F11: volledig scherm · "
                                  "Esc: terug"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 30)
        layout.setSpacing(12)
        layout.addWidget(self.meeting_label)
        layout.addWidget(self.position_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.essentials_label)
        layout.addWidget(rule)
        layout.addWidget(self.tally_label)
        layout.addWidget(self.outcome_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.decision_label)
        layout.addStretch(1)
        layout.addWidget(self.hint_label)
        self.resize(1280, 720)
        if detail is not None:
            self.show_detail(detail)

    def _label(self, name: str, scale: float) -> QLabel:
        label = plain_label(parent=self)  # names and titles shown as typed
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setProperty("scale", scale)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        return label

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Type scales with the window: legible from the back of the room on any projector."""
        base = max(12.0, min(self.width() / 60.0, self.height() / 36.0))
        for label in self.findChildren(QLabel):
            font = label.font()
            font.setPointSizeF(base * float(label.property("scale") or 1.0))
            label.setFont(font)
        super().resizeEvent(event)

    # ------------------------------------------------------------ content

    def items(self) -> tuple[ItemInfo, ...]:
        return self.detail.items if self.detail else ()

    def current_item(self) -> ItemInfo | None:
        return next((i for i in self.items() if i.id == self.current_id), None)

    def show_detail(self, detail: MeetingDetail) -> None:
        """New data from the meeting view (after every vote, decision or agenda change)."""
        self.detail = detail
        if self.current_item() is None and detail.items:
            first = next((i for i in detail.items if i.kind is ItemKind.APPLICATION), detail.items[0])
            self.current_id = first.id
        self._render()

    def show_item(self, item_id: uuid.UUID | None) -> None:
        if item_id is not None and any(i.id == item_id for i in self.items()):
            self.current_id = item_id
            self._render()

    def step(self, delta: int) -> None:
        items = self.items()
        if not items:
            return
        index = next((n for n, i in enumerate(items) if i.id == self.current_id), 0)
        index = max(0, min(len(items) - 1, index + delta))
        self.current_id = items[index].id
        self._render()

    def _render(self) -> None:
        detail, item = self.detail, self.current_item()
        if detail is None:
            return
        self.meeting_label.setText(_("Commissie Sociaal Inkopen · vergadering van {when}").format(
            when=meeting_heading(detail)))
        if item is None:
            self.position_label.setText("")
            self.title_label.setText(_("Geen agendapunten"))
            for label in (self.essentials_label, self.tally_label, self.outcome_label, self.missing_label,
                          self.decision_label):
                label.setText("")
            return
        index = next(n for n, i in enumerate(detail.items) if i.id == item.id)
        self.position_label.setText(_("Agendapunt {n} van {total}").format(n=index + 1, total=len(detail.items)))
        self.title_label.setText(item.title)
        app = item.kind is ItemKind.APPLICATION
        for label in (self.essentials_label, self.tally_label, self.outcome_label, self.missing_label,
                      self.decision_label):
            label.setVisible(app)
        if not app:
            return
        founded = _(" · opgericht {year}").format(year=item.founded_on.year) if item.founded_on else ""
        self.essentials_label.setText(
            _("{org}\nKvK {kvk} · {place}{founded}\nCriteria: {criteria}").format(
                org=item.organisation, kvk=item.kvk, place=item.place, founded=founded,
                criteria=criteria_text(item.criteria)))
        tally = item.tally
        self.tally_label.setText(tally.summary)
        self.outcome_label.setText(tally.outcome.label.capitalize())
        self.outcome_label.setStyleSheet(f"color: {OUTCOME_COLOURS[tally.outcome]};")
        missing = []
        if tally.missing:
            missing.append(_("Nog niet gestemd: {names}").format(names=", ".join(a.name for a in tally.missing)))
        if item.conflicts:
            missing.append(_("Belangenverstrengeling: {names}").format(
                names=", ".join(name for _m, name, _r in item.conflicts)))
        missing.append(tally.quorum.message)
        self.missing_label.setText("\n".join(missing))
        self.decision_label.setText(_("Besluit: {d}").format(d=decision_summary(item)) if item.decision else "")

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Down, Qt.Key.Key_Space):
            self.step(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp, Qt.Key.Key_Up):
            self.step(-1)
        elif key == Qt.Key.Key_Home:
            self.step(-len(self.items()))
        elif key == Qt.Key.Key_End:
            self.step(len(self.items()))
        elif key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_Escape:
            if self.isFullScreen():
                self.showNormal()
            else:
                self.close()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()
