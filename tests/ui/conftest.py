"""Shared fixtures of the UI tests: modal message boxes replaced by a recorder."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from commissie_app.ui.error_dialog import UnexpectedErrorDialog


class MessageBoxes:
    """What would have been shown: a list of (kind, title, text)."""

    def __init__(self):
        self.shown: list[tuple[str, str, str]] = []

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.shown if kind is None or k == kind]


@pytest.fixture
def message_boxes(monkeypatch) -> MessageBoxes:
    boxes = MessageBoxes()

    def recorder(kind, result):
        def show(parent, title, text, *args, **kwargs):
            boxes.shown.append((kind, title, text))
            return result

        return staticmethod(show)

    for kind, result in (("information", QMessageBox.StandardButton.Ok), ("warning", QMessageBox.StandardButton.Ok),
                         ("critical", QMessageBox.StandardButton.Ok), ("question", QMessageBox.StandardButton.Yes),
                         ("about", None)):
        monkeypatch.setattr(QMessageBox, kind, recorder(kind, result))
    # an unexpected error's own dialog (ui/error_dialog.py) counts as a "critical" box
    monkeypatch.setattr(UnexpectedErrorDialog, "exec",
                        lambda dlg: boxes.shown.append(("critical", dlg.windowTitle(), dlg.main_text())) or 0)
    return boxes


@pytest.fixture
def problem_dialogs(message_boxes, monkeypatch) -> MessageBoxes:
    """The start-up dialog for a database that cannot be opened (``ui/unreachable_dialog.py``) is recorded in
    ``message_boxes`` as ("critical", title, headline and explanation) and answered with Afsluiten; the
    dialogs themselves are kept in ``message_boxes.dialogs``."""
    from commissie_app.ui.unreachable_dialog import UnreachableDialog

    message_boxes.dialogs = []

    def record(dialog):
        message_boxes.dialogs.append(dialog)
        message_boxes.shown.append(("critical", dialog.windowTitle(),
                                    dialog.heading.text() + "\n" + dialog.message.text()))
        return 0

    monkeypatch.setattr(UnreachableDialog, "exec", record)
    return message_boxes


@pytest.fixture(autouse=True)
def _no_modal_unexpected_error(monkeypatch):
    """An unexpected error dialog that a test did not ask for fails the test instead of waiting for a click
    (``message_boxes`` records it instead)."""
    def fail(dlg):
        pytest.fail("unexpected error dialog: " + dlg.details.text.toPlainText())

    monkeypatch.setattr(UnexpectedErrorDialog, "exec", fail)


@pytest.fixture
def answers(monkeypatch):
    """Replaces the modal question box (``widgets.ask``); the test queues the index of the button
    'clicked'. Nothing queued (e.g. closing windows at the end of a test): the last choice, i.e. cancel."""
    from commissie_app.ui import widgets

    queue: list[int] = []
    asked: list[str] = []

    def ask(parent, title, text, choices, default=0, escape=None, icon=None):
        asked.append(text)
        return queue.pop(0) if queue else len(choices) - 1

    monkeypatch.setattr(widgets, "ask", ask)
    return queue, asked


@pytest.fixture(scope="session")
def window_demo(tmp_path_factory, sqlite_template):
    """The demo data with letters, shared by the tests that open every window (tests/ui/window_registry.py):
    building a window changes nothing another one shows."""
    from tests.ui.window_registry import make_demo

    built = make_demo(tmp_path_factory.mktemp("windows"), sqlite_template)
    yield built
    built.ctx.db.dispose()
