"""The meeting on a projector: large type, the current agenda item, the application's essentials and
the live tally. Arrow keys / PageUp / PageDown go to the previous or next item (``sig_item_changed`` tells
the meeting view, which follows), F11 toggles full screen, Esc leaves full screen (and closes the window
when it is not full screen), S or the context menu moves it to another screen.

Before the meeting opens it shows only the meeting and the agenda item (no quorum, no votes); while it is
open, the tally, who has not voted and the quorum (once); after closing, the tally and the decisions.
The type scales with the window, but never so large that the text does not fit: the window has a small
minimum size and fits any screen (issue 13).

The view never calls a service: the meeting view pushes every reloaded ``MeetingDetail`` to
``show_detail`` (connected to its ``sig_detail_changed``), so a recorded vote appears at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QMenu, QSizePolicy, QVBoxLayout, QWidget

from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Outcome
from commissie_app.i18n import _
from commissie_app.services.meeting_detail import ItemInfo, MeetingDetail
from commissie_app.ui.meeting_dialogs import criteria_text, decision_summary
from commissie_app.ui.meeting_texts import meeting_heading, status_before_opening
from commissie_app.ui.presentation_screens import Display, displays, remember_screen, screen_menu
from commissie_app.ui.widgets import plain_label, resize_within_screen

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

SMALLEST_TYPE = 6.0  # points: the type shrinks to this before text would be cut off
MINIMUM_SIZE = QSize(320, 200)  # smaller than any screen, at any scaling
WINDOWED_SIZE = QSize(1280, 720)


class PresentationView(QWidget):
    sig_item_changed = Signal(object)  # item id, when stepped here (the meeting view follows)

    def __init__(self, detail: MeetingDetail | None = None, parent: QWidget | None = None, *,
                 screens: Callable[[], list[Display]] = displays):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presentation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(_("Presentatie"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(lambda pos: self.choose_screen(self.mapToGlobal(pos)))
        self.screens = screens
        self.display: Display | None = None  # the screen it was put on
        self.screen_menu: QMenu | None = None
        self.detail: MeetingDetail | None = None
        self.current_id: uuid.UUID | None = None
        self._fitting = False

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
        # An explicit minimum: the layout never makes the window taller than the screen; the type shrinks
        # instead (``_fit_type``).
        self.setMinimumSize(MINIMUM_SIZE)
        resize_within_screen(self, WINDOWED_SIZE.width(), WINDOWED_SIZE.height())
        self._show_hint()
        if detail is not None:
            self.show_detail(detail)

    def _label(self, name: str, scale: float) -> QLabel:
        label = plain_label(parent=self)  # names and titles shown as typed
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setProperty("scale", scale)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # the layout gives each label the height its wrapped text needs
        label.setSizePolicy(policy)
        return label

    def _show_hint(self) -> None:
        hint = _("← / → of PageUp / PageDown: vorig / volgend agendapunt · F11: volledig scherm · Esc: terug")
        if len(self.screens()) > 1:
            hint += _(" · S: ander scherm")
        self.hint_label.setText(hint)

    # ------------------------------------------------------------ size and type

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_type()

    def _fit_type(self) -> None:
        """Type scales with the window, legible from the back of the room on any projector, but only as
        large as lets every line fit: the largest size (by halving the range) whose wrapped text needs no
        more than the window's height."""
        if self._fitting:
            return
        self._fitting = True
        try:
            width, height = self.width(), self.height()
            # margins and spacing shrink with the window too: a small window keeps its room for text
            side, spacing = round(min(60, width / 32)), round(min(12, height / 60))
            self.layout().setContentsMargins(side, round(min(40, height / 27)), side, round(min(30, height / 36)))
            self.layout().setSpacing(spacing)
            largest = max(SMALLEST_TYPE, min(width / 60.0, height / 36.0))
            if self._height_needed(largest, width) > height:
                low, high = SMALLEST_TYPE, largest
                for _step in range(8):
                    middle = (low + high) / 2
                    if self._height_needed(middle, width) <= height:
                        low = middle
                    else:
                        high = middle
                self._height_needed(low, width)
        finally:
            self._fitting = False

    def _height_needed(self, base: float, width: int) -> int:
        for label in self.findChildren(QLabel):
            font = label.font()
            font.setPointSizeF(base * float(label.property("scale") or 1.0))
            label.setFont(font)
        self.layout().invalidate()
        return self.heightForWidth(width)

    def text_fits(self) -> bool:
        """Every shown label has at least the height its wrapped text needs (nothing cut off)."""
        return all(label.height() >= label.heightForWidth(label.width())
                   for label in self.findChildren(QLabel) if label.isVisibleTo(self))

    # ------------------------------------------------------------ screens

    def show_on(self, display: Display, full_screen: bool | None = None) -> None:
        """On ``display``: full screen (by default on a screen other than the main window's: a projector), or
        as a window within that screen's free area (on the main window's own screen)."""
        self.display = display
        if full_screen is None:
            main = self.parentWidget().window() if self.parentWidget() is not None else None
            full_screen = main is None or not display.geometry.contains(main.frameGeometry().center())
        if self.isFullScreen():
            self.showNormal()
        if display.screen is not None:
            self.setScreen(display.screen)
        area = display.available
        size = WINDOWED_SIZE.boundedTo(area.size() * 0.9)
        self.resize(size)
        self.move(area.center() - QPoint(size.width() // 2, size.height() // 2))
        self._show_hint()
        if full_screen:
            self.showFullScreen()
        else:
            self.showNormal()

    def choose_screen(self, at: QPoint | None = None) -> None:
        """A menu of the screens (name and resolution); the one picked takes the view (full screen unless it
        is the main window's screen) and is remembered for next time. Nothing to choose with one screen."""
        shown = self.screens()
        if len(shown) < 2:
            return
        if self.screen_menu is not None:
            self.screen_menu.deleteLater()
        self.screen_menu = menu = screen_menu(self, shown, self.display, self._move_to)
        menu.popup(at if at is not None else self.mapToGlobal(self.rect().center()))

    def _move_to(self, display: Display) -> None:
        remember_screen(display)
        self.show_on(display)
        self.raise_()
        self.activateWindow()

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
        self.sig_item_changed.emit(self.current_id)

    def _render(self) -> None:
        detail, item = self.detail, self.current_item()
        if detail is None:
            return
        self.meeting_label.setText(_("Commissie Sociaal Inkopen · vergadering van {when}").format(
            when=meeting_heading(detail)))
        texts = dict.fromkeys((self.position_label, self.essentials_label, self.tally_label, self.outcome_label,
                               self.missing_label, self.decision_label), "")
        if item is None:
            self.title_label.setText(_("Geen agendapunten"))
        else:
            index = next(n for n, i in enumerate(detail.items) if i.id == item.id)
            texts[self.position_label] = _("Agendapunt {n} van {total}").format(n=index + 1, total=len(detail.items))
            self.title_label.setText(item.title)
            if item.kind is ItemKind.APPLICATION:
                texts.update(self._item_texts(detail.status, item))
        for label, text in texts.items():
            label.setText(text)
            label.setVisible(bool(text))
        self._fit_type()

    def _item_texts(self, status: MeetingStatus, item: ItemInfo) -> dict[QLabel, str]:
        """The application's essentials; once the meeting is open the tally, the outcome and the quorum (each
        once); after closing the tally and the decision."""
        founded = _(" · opgericht {year}").format(year=item.founded_on.year) if item.founded_on else ""
        texts = {self.essentials_label: _("{org}\nKvK {kvk} · {place}{founded}\nCriteria: {criteria}").format(
            org=item.organisation, kvk=item.kvk, place=item.place, founded=founded,
            criteria=criteria_text(item.criteria))}
        tally = item.tally
        if status_before_opening(status) or tally is None:
            return texts  # neutral: nothing about quorum or votes before the meeting opens
        texts[self.tally_label] = tally.summary
        lines = []
        if status is MeetingStatus.OPEN:
            quorum = tally.quorum.message  # "Geen quorum. …" or "4 van de 5 zetels tellen mee …"
            if tally.outcome is Outcome.NO_QUORUM:
                texts[self.outcome_label] = quorum
            else:
                texts[self.outcome_label] = tally.outcome.label.capitalize()
            self.outcome_label.setStyleSheet(f"color: {OUTCOME_COLOURS[tally.outcome]};")
            if tally.missing:
                lines.append(_("Nog niet gestemd: {names}").format(names=", ".join(a.name for a in tally.missing)))
        if item.conflicts:
            lines.append(_("Belangenverstrengeling: {names}").format(
                names=", ".join(name for _m, name, _r in item.conflicts)))
        if status is MeetingStatus.OPEN and tally.outcome is not Outcome.NO_QUORUM:
            lines.append(tally.quorum.message)
        texts[self.missing_label] = "\n".join(lines)
        if item.decision:
            texts[self.decision_label] = _("Besluit: {d}").format(d=decision_summary(item))
        return texts

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
        elif key == Qt.Key.Key_S:
            self.choose_screen()
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

