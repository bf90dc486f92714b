"""Issue 10: the window is told which records an action changed and re-reads only those rows."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.codes import Criterion
from commissie_app.domain.commission import Seat
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance, VoteChoice
from commissie_app.services import application_rows
from commissie_app.services import applications as apps
from commissie_app.services import (
    commission,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from commissie_app.ui.application_model import Column
from commissie_app.ui.main_window import PAGES, MainWindow
from commissie_app.ui.meeting_dialogs import CompleteApplicationsDialog, DecisionDialog
from tests.factories import app_data, org_data
from tests.test_meetings_service import complete_app
from tests.meeting_days import step

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def meeting(sqlite_ctx):
    """An opened meeting with two applications on the agenda, everyone present, the first one voted on."""
    ctx = sqlite_ctx
    members = []
    for i, seat in enumerate(Seat):
        mid = commission.add_member(ctx, f"Lid {i + 1}")
        commission.appoint(ctx, mid, seat, dt.date(2026, 1, 1))
        members.append(mid)
    first = complete_app(ctx, "11111111")
    second = complete_app(ctx, "22222222")
    other = apps.register_application(ctx, org_data(kvk="33333333", name="Niet Geagendeerd BV"), app_data())
    meeting_id = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 1, 14, 0), place="Stadhuis Haarlem",
                                               chair_member_id=members[0])
    meeting_agenda.add_application_items(ctx, meeting_id, [first, second])
    step(ctx, meeting_id, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in members:
        meeting_attendance.set_attendance(ctx, meeting_id, m, Attendance.PRESENT)
    return meeting_id, members, first, second, other


@pytest.fixture
def window(qtbot, sqlite_ctx):
    w = MainWindow(sqlite_ctx)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def reads(monkeypatch) -> list:
    """The ``ids`` of every read of application rows (None: every application)."""
    calls: list = []
    real = application_rows.list_rows
    monkeypatch.setattr(application_rows, "list_rows", lambda ctx, ids=None: calls.append(ids) or real(ctx, ids=ids))
    return calls


def status_in_list(window, app_id) -> str:
    model = window.applications.model
    return model.index(model.row_of(app_id), Column.STATUS).data()


def open_meeting_view(qtbot, window, meeting_id):
    window.show_page(PAGES.index("meetings"))
    qtbot.waitUntil(lambda: window.meetings is not None)
    window.meetings.open_meeting(meeting_id)
    return window.meetings.meeting_view


def select_application(view, app_id) -> None:
    view.select_row(next(r for r, it in enumerate(view.model.items()) if it.application_id == app_id))


def test_a_decision_in_a_meeting_re_reads_only_the_application_it_touched(qtbot, sqlite_ctx, meeting, window,
                                                                          reads, monkeypatch):
    """Issue 10: recording a decision refreshes the one application row it changed, not every application."""
    meeting_id, members, first, second, other = meeting
    item_id = next(i.id for i in meeting_detail.get_meeting(sqlite_ctx, meeting_id).items if i.application_id == first)
    for m in members:
        meeting_votes.record_vote(sqlite_ctx, item_id, m, VoteChoice.FOR)
    view = open_meeting_view(qtbot, window, meeting_id)
    select_application(view, first)
    assert status_in_list(window, first) == "geagendeerd"

    def decide(dlg: DecisionDialog):
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.keyClicks(dlg.motivation, "Voldoet aan PSO 30+.")
        dlg.criteria_panel.boxes[Criterion.PSO30].setChecked(True)
        qtbot.mouseClick(dlg.record_button, LEFT)
        assert dlg.kenmerk
        return dlg.result()

    monkeypatch.setattr(DecisionDialog, "exec", decide)
    reads.clear()
    with qtbot.waitSignal(window.meetings.sig_changed) as changed:
        qtbot.mouseClick(view.decision_button, LEFT)
    assert changed.args[0].ids("application") == {first}
    assert reads == [[first]]  # one targeted read of the touched row; no reload of every application
    assert status_in_list(window, first) == "toegekend"  # Issue 12: the outcome, not 'besloten'
    assert status_in_list(window, second) == "geagendeerd" and status_in_list(window, other) == "ontvangen"


def test_a_vote_re_reads_no_application_and_the_agenda_only_its_rows(qtbot, sqlite_ctx, meeting, window, reads,
                                                                    monkeypatch):
    """Issue 10: a change that touches no application (a vote) reads no application row at all, while putting
    an application on the agenda re-reads that one row."""
    meeting_id, members, first, second, other = meeting
    view = open_meeting_view(qtbot, window, meeting_id)
    select_application(view, first)
    reads.clear()
    with qtbot.waitSignal(window.meetings.sig_changed) as changed:
        qtbot.mouseClick(view.votes.button(members[0], VoteChoice.FOR), LEFT)
    assert changed.args[0].touches("vote") and reads == []

    third = complete_app(sqlite_ctx, "44444444")
    window.refresh_rows([third])
    planned = meeting_planning.plan_meeting(sqlite_ctx, dt.datetime(2026, 12, 15, 14, 0), place="Raadhuis")
    view = open_meeting_view(qtbot, window, planned)
    monkeypatch.setattr(CompleteApplicationsDialog, "exec", lambda dlg: 1)  # accepted as proposed: all ticked
    reads.clear()
    with qtbot.waitSignal(window.meetings.sig_changed):
        qtbot.mouseClick(view.add_complete_button, LEFT)
    assert reads == [[third]] and status_in_list(window, third) == "geagendeerd"
