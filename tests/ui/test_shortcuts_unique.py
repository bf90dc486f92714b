"""Issue 13: no key does two things in one window. Ctrl+N did nothing on the Vergaderingen page because Qt
found two shortcuts for it ("Ambiguous shortcut overload"); an Alt+letter shared by two buttons or labels
only moves the focus between them. This test opens every window and dialog of ``window_registry`` (the main
window on each page and with a planned and a closed meeting open, every tab of each dialog), collects the
active QAction and QShortcut keys and the &-mnemonics of its buttons, labels, tabs, group boxes and menus, and
fails on a key that two of them claim where both are active at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QApplication,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import meeting_planning
from tests.ui.window_registry import REGISTRY, Demo, main_window_states, tab_states

LOCAL = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)


@dataclass(frozen=True)
class Key:
    """One key a window reacts to: ``scope`` is the widget it is active in (the window, or a widget with
    its children for a local shortcut); ``what`` names it for the failure message."""

    sequence: str
    scope: QWidget
    what: str


@pytest.fixture
def demo(window_demo) -> Demo:
    return window_demo


def _text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def _mnemonic(text: str) -> str:
    return _text(QKeySequence.mnemonic(text)) if text else ""


def _shown(widget: QWidget, window: QWidget) -> bool:
    """Shown in ``window`` (a disabled button counts: it is enabled once there is something to do)."""
    return widget is window or (widget.window() is window and widget.isVisibleTo(window))


def _in_window(widget: QWidget, window: QWidget) -> bool:
    """A visible widget of ``window``, or a menu opened from one (its menu bar, a button)."""
    while isinstance(widget, QMenu) and widget.parentWidget() is not None:
        widget = widget.parentWidget()
    return not isinstance(widget, QMenu) and _shown(widget, window)


def action_keys(window: QWidget) -> Iterator[Key]:
    actions: set[QAction] = set(window.findChildren(QAction))
    for widget in [window, *window.findChildren(QWidget)]:
        actions.update(widget.actions())
    for action in actions:
        shown = [o for o in action.associatedObjects() if isinstance(o, QWidget) and _in_window(o, window)]
        if not shown or not action.isVisible() or not action.isEnabled():
            continue
        scope = shown[0] if action.shortcutContext() in LOCAL else window
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                yield Key(_text(sequence), scope, f"action {action.text()!r}")


def shortcut_keys(window: QWidget) -> Iterator[Key]:
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if not isinstance(parent, QWidget) or not shortcut.isEnabled() or not _shown(parent, window):
            continue
        scope = parent if shortcut.context() in LOCAL else window
        for sequence in shortcut.keys():
            if not sequence.isEmpty():
                yield Key(_text(sequence), scope, f"shortcut of {type(parent).__name__} {parent.objectName()!r}")


def mnemonic_keys(window: QWidget) -> Iterator[Key]:
    """Alt+letter of the buttons, labels with a buddy, group boxes, tabs and the menu bar; a menu's own
    items have the open menu as their scope."""
    for widget in [window, *window.findChildren(QWidget)]:
        if not _shown(widget, window):
            continue
        texts: list[str] = []
        if isinstance(widget, QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        elif isinstance(widget, QMenuBar):
            texts += [a.text() for a in widget.actions() if a.isVisible()]
        for text in texts:
            key = _mnemonic(text)
            if key:
                yield Key(key, window, f"{type(widget).__name__} {text!r}")


def menu_keys(window: QWidget) -> Iterator[Key]:
    for menu in window.findChildren(QMenu):
        if not _in_window(menu, window):
            continue
        for action in menu.actions():
            key = _mnemonic(action.text()) if action.isVisible() and not action.isSeparator() else ""
            if key:
                yield Key(key, menu, f"menu {menu.title()!r} item {action.text()!r}")


def _related(a: QWidget, b: QWidget) -> bool:
    return a is b or a.isAncestorOf(b) or b.isAncestorOf(a)


def duplicates(window: QWidget) -> list[str]:
    """Keys claimed twice where both are active at once (one scope inside the other)."""
    keys = [*action_keys(window), *shortcut_keys(window), *mnemonic_keys(window), *menu_keys(window)]
    found = []
    for i, first in enumerate(keys):
        for second in keys[i + 1:]:
            if first.sequence == second.sequence and _related(first.scope, second.scope):
                found.append(f"{first.sequence}: {first.what} and {second.what}")
    return found


def meeting_states(window) -> Iterator[str]:
    """The main window's meetings page with the planned, and with a closed, demo meeting open."""
    from commissie_app.ui.main_window import PAGES

    window.show_page(PAGES.index("meetings"))
    QApplication.processEvents()
    page = window.meetings
    for status in (MeetingStatus.PLANNED, MeetingStatus.CLOSED):
        meeting = next(r for r in meeting_planning.list_meetings(window.ctx) if r.status is status)
        page.open_meeting(meeting.id)
        QApplication.processEvents()
        for row in range(page.meeting_view.model.rowCount()):
            page.meeting_view.select_row(row)
            QApplication.processEvents()
            yield f"meeting {status.value}, agenda item {row + 1}"


CASES = {key: (entry.build, entry.states or tab_states) for key, entry in REGISTRY.items() if not entry.skip}
CASES["main_window.MainWindow"] = (REGISTRY["main_window.MainWindow"].build,
                                   lambda w: (s for states in (main_window_states, meeting_states) for s in states(w)))

# Windows of another helper's files with a duplicate key: the integrator removes the mark after merging their work.
EXPECTED_FAILURES: dict[str, str] = {}


def _params():
    for key in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=EXPECTED_FAILURES[key])] if key in EXPECTED_FAILURES else []
        yield pytest.param(key, id=key, marks=marks)


@pytest.mark.usefixtures("message_boxes", "answers")
@pytest.mark.parametrize("key", list(_params()))
def test_no_key_does_two_things_in_one_window(qtbot, demo, key, qtlog):
    """Issue 13: in the window (on each page, tab and agenda item) no key sequence or Alt+letter belongs to
    two actions, shortcuts or mnemonics that are active at the same time."""
    build, states = CASES[key]
    window = build(demo)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    found: list[str] = []
    for state in states(window):
        found += [f"{state or 'as opened'}: {d}" for d in duplicates(window) if f"{state or 'as opened'}: {d}" not in found]
    assert not found, f"{key} has keys that do two things:\n" + "\n".join(found)


def test_the_collector_finds_an_ambiguous_shortcut_and_a_shared_mnemonic(qtbot):
    """Issue 13: the check itself: Ctrl+N of a menu action and of a page's shortcut (the ambiguity that was
    seen), and two buttons both with Alt+O, are reported; a local shortcut of a sibling widget is not."""
    window = QWidget()
    qtbot.addWidget(window)
    page, other = QWidget(window), QWidget(window)
    action = QAction("&Nieuw", window)
    action.setShortcut(QKeySequence("Ctrl+N"))
    window.addAction(action)
    QShortcut(QKeySequence("Ctrl+N"), page)
    QShortcut(QKeySequence("Ctrl+S"), page, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
    QShortcut(QKeySequence("Ctrl+S"), other, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
    layout = QVBoxLayout(window)
    for widget in (page, other, QPushButton("&Opslaan", window), QPushButton("&Openen", window)):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    found = duplicates(window)
    assert any(d.startswith("Ctrl+N:") for d in found)
    assert any(d.startswith("Alt+O:") for d in found)
    assert not any(d.startswith("Ctrl+S:") for d in found)


DIALOGS = [key for key, entry in REGISTRY.items() if not entry.skip and key not in
           ("main_window.MainWindow", "review_window.ReviewWindow", "presentation_view.PresentationView")]
ACCEPTING = (QDialogButtonBox.ButtonRole.AcceptRole, QDialogButtonBox.ButtonRole.YesRole,
             QDialogButtonBox.ButtonRole.ApplyRole)


@pytest.mark.usefixtures("message_boxes", "answers")
@pytest.mark.parametrize("key", DIALOGS)
def test_escape_closes_the_dialog_and_enter_means_its_main_button(qtbot, demo, key):
    """Issue 13: in every dialog, opened with the demo data, Enter means the button that does what the dialog
    is for (its button box's accepting button is the default one), or, in a form that saves with Ctrl+S,
    Enter presses no button at all; and Escape closes it (nothing changed)."""
    dialog = REGISTRY[key].build(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for box in dialog.findChildren(QDialogButtonBox):
        accepting = [b for b in box.buttons() if box.buttonRole(b) in ACCEPTING and b.isVisibleTo(dialog)]
        if accepting and box.isVisibleTo(dialog):
            saves = any(QKeySequence(QKeySequence.StandardKey.Save) in s.keys() for s in dialog.findChildren(QShortcut))
            enter_presses_nothing = not any(b.isDefault() or b.autoDefault() for b in dialog.findChildren(QPushButton))
            assert any(b.isDefault() for b in accepting) or (saves and enter_presses_nothing), \
                f"Enter does not mean {[b.text() for b in accepting]} in {key}"
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=1000)
