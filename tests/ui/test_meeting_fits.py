"""Issue 13: the meeting view fits a 1366x768 laptop at 100 % and at 150 % scaling (911x512 logical pixels):
the window's minimum size fits, and every action button can be reached (on screen, or by scrolling the
right-hand column)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.main_window import PAGES, MainWindow

SIZES = ((1366, 768), (911, 512))  # a 1366x768 laptop at 100 % and, in logical pixels, at 150 %


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def action_buttons(view) -> list[QAbstractButton]:
    """Every button of the view a user may need: header, agenda, attendance, votes, decision, minutes."""
    buttons = [view.back_button, view.edit_button, view.documents_button, view.present_button, view.step_button,
               view.add_complete_button, view.add_free_button, view.add_reassessments_button, view.remove_button,
               view.up_button, view.down_button, view.conflict_button, view.decision_button,
               view.correct_motivation_button, view.save_minutes_button, view.dossier_button]
    for group in view.attendance.rows.values():
        buttons += group.buttons()
    for group in view.votes.groups.values():
        buttons += group.buttons()
    buttons += view.votes.correct_buttons.values()
    return [b for b in buttons if b.isVisibleTo(view)]


def assert_reachable(window: MainWindow, view, button: QAbstractButton) -> None:
    scroll = view.scroll
    if scroll.widget().isAncestorOf(button):
        QApplication.processEvents()  # the layout of the item just selected
        scroll.ensureWidgetVisible(button, 0, 0)
        QApplication.processEvents()
        shown = rect_in(button, scroll.viewport())
        assert scroll.viewport().rect().contains(shown), f"{button.text()!r} cannot be scrolled into view"
    where = rect_in(button, window)
    assert window.rect().contains(where), f"{button.text()!r} at {where} is outside the {window.size()} window"
    assert button.width() >= button.minimumSizeHint().width(), f"{button.text()!r} is squeezed"


def meeting_in_main_window(qtbot, ctx, meeting_id):
    """The main window showing the meeting on its Vergaderingen page: (window, meeting view)."""
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.show_page(PAGES.index("meetings"))
    qtbot.waitUntil(lambda: w.meetings is not None)
    w.meetings.open_meeting(meeting_id)
    return w, w.meetings.meeting_view


def resize_and_check_minimum(qtbot, w: MainWindow, width: int, height: int) -> None:
    """The window at ``width`` x ``height``, laid out; its minimum size fits that screen."""
    w.resize(width, height)
    qtbot.waitUntil(lambda: w.size().width() == width and w.size().height() == height)
    QApplication.processEvents()
    hint = w.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, f"needs {hint} on a {width}x{height} screen"


@pytest.mark.parametrize("status", [MeetingStatus.PLANNED, MeetingStatus.CLOSED])
def test_the_meeting_view_fits_a_laptop_at_100_and_150_percent(qtbot, demo, status):
    """Issue 13: the planned and a closed demo meeting, in the main window at 1366x768 and at 911x512: the
    window's minimum size fits both, every action button (step, Documenten, Presentatie, attendance, votes,
    corrections) lies inside the window or can be scrolled into it, and the header wraps (place and video
    link on one line, chair and secretary on the next; the link shortened, in full as tool tip)."""
    meeting = next(r for r in meeting_planning.list_meetings(demo) if r.status is status)
    w, view = meeting_in_main_window(qtbot, demo, meeting.id)
    assert w.meetings.stack.currentWidget() is view
    for width, height in SIZES:
        resize_and_check_minimum(qtbot, w, width, height)
        for row in range(view.model.rowCount()):  # every agenda item, since each shows other buttons
            view.select_row(row)
            QApplication.processEvents()
            buttons = action_buttons(view)
            assert view.step_button in buttons or status is MeetingStatus.CLOSED
            assert len(view.attendance.rows) == 5
            for button in buttons:
                assert_reachable(w, view, button)
            # the item column needs no sideways scrolling, at 150 % neither (a closed meeting's corrections)
            assert view.scroll.widget().width() <= view.scroll.viewport().width(), (width, row)
            bar = view.scroll.verticalScrollBar()
            if bar.isVisible():
                assert w.rect().contains(rect_in(bar, w))
        header = rect_in(view.place_label, w)
        assert w.rect().contains(header)
    detail = view.detail
    assert detail.chair_name and detail.chair_name in view.place_label.text().split("<br>")[-1]
    assert view.place_label.wordWrap() and view.title.wordWrap()
    if detail.video_link:
        assert detail.video_link in view.place_label.toolTip()
        assert len(view.place_label.text().split("<br>")) == 2
