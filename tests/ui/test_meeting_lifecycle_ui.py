"""Issue 13: confirmation with the date check, reopening the agenda, undo in the open meeting and the closing
flow, driven through the real buttons of the meeting view (SQLite; the services' own checks are in
tests/test_meeting_lifecycle.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog
from sqlalchemy import select

from commissie_app.db.models import AuditEvent
from commissie_app.domain.codes import Criterion
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import meeting_attendance, meeting_closing, meeting_detail, meeting_planning, meeting_votes
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.letters_dialog import LettersDialog
from commissie_app.ui.meeting_dialogs import DecisionChangeDialog
from tests.meeting_days import step
from tests.ui.test_meeting_fits import SIZES, assert_reachable, meeting_in_main_window, resize_and_check_minimum
from tests.ui.test_meetings_ui import activate, click, complete_app, dialogs, members, page, plan  # noqa: F401

pytestmark = pytest.mark.usefixtures("answers")


def status_of(ctx, mid):
    return meeting_detail.get_meeting(ctx, mid).status


def press(qtbot, button) -> None:
    """Reach a button with the keyboard: it takes Tab focus and Space presses it."""
    assert button.isVisible() and button.isEnabled(), button.text()
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    activate(qtbot, button)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


# ---------------------------------------------------------------- steps and the date


def test_setting_the_agenda_asks_with_its_consequence_and_can_be_reopened_with_a_reason(
        qtbot, page, sqlite_ctx, members, answers, message_boxes, monkeypatch):
    """Issue 13: 'Agenda vaststellen' says what it means and names the date; cancel changes nothing;
    'Agenda heropenen…' asks a reason, which the audit log keeps; opening in November is refused."""
    ctx = sqlite_ctx
    mid = plan(ctx, day=dt.datetime(2026, 12, 10, 14, 0))
    page.open_meeting(mid)
    view = page.meeting_view
    queue, asked = answers
    assert view.reopen_button.isHidden()
    click(qtbot, view.step_button)  # nothing queued: cancel
    assert "10 december 2026" in asked[-1] and "geen concept meer" in asked[-1]
    assert status_of(ctx, mid) is MeetingStatus.PLANNED
    queue.append(0)
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.AGENDA_SET and len(asked) == 2  # before the date: one question

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Aanvraag vergeten", True))
    press(qtbot, view.reopen_button)
    assert view.detail.status is MeetingStatus.PLANNED and view.reopen_button.isHidden()
    with ctx.db.session() as s:
        reasons = [e.new_values.get("reason") for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "reopen_agenda")) if e.new_values]
    assert "Aanvraag vergeten" in reasons

    queue.append(0)
    click(qtbot, view.step_button)
    assert view.step_button.text() == "Vergadering openen"
    n_asked = len(asked)
    click(qtbot, view.step_button)  # 23 november: refused before any question
    assert "De vergadering van 10 december 2026 kan niet eerder geopend worden" in message_boxes.texts("warning")[-1]
    assert len(asked) == n_asked and view.detail.status is MeetingStatus.AGENDA_SET


def test_steps_after_the_meetings_date_ask_a_second_time(qtbot, page, sqlite_ctx, members, answers, message_boxes):
    """Issue 13: a meeting of 17 november, on 23 november: the step is confirmed, then the date too."""
    ctx = sqlite_ctx
    mid = plan(ctx, day=dt.datetime(2026, 11, 17, 14, 0))
    page.open_meeting(mid)
    view = page.meeting_view
    queue, asked = answers
    queue.append(0)  # yes to the step, nothing for the date question: cancel
    click(qtbot, view.step_button)
    assert "17 november 2026" in asked[-1] and "23 november 2026" in asked[-1]
    assert status_of(ctx, mid) is MeetingStatus.PLANNED
    queue.extend([0, 0])
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.AGENDA_SET
    queue.extend([0, 0])
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.OPEN
    assert "Vergadering openen?" in asked[-2] and "Toch nu openen?" in asked[-1]
    assert not message_boxes.shown


# ---------------------------------------------------------------- undo in the open meeting


@pytest.fixture
def open_view(page, sqlite_ctx, members):
    ctx = sqlite_ctx
    app_id = complete_app(ctx, "11111111", "Org A")
    mid = plan(ctx, apps_=[app_id])
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in members[:4]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    meeting_attendance.set_attendance(ctx, mid, members[4], Attendance.EXCUSED)
    page.open_meeting(mid)
    return page.meeting_view, mid


def test_a_declaration_is_withdrawn_with_intrekken(qtbot, open_view, sqlite_ctx, members, answers):
    """Issue 13: 'Intrekken' next to the declaration, after a confirmation; the member votes again."""
    view, mid = open_view
    item = view.current_item().id
    meeting_attendance.declare_conflict(sqlite_ctx, item, members[1], "Verkeerd lid")
    view.reload()
    assert "Bram Jansen: Verkeerd lid" in view.conflicts.text()
    button = view.conflicts.withdraw_buttons[members[1]]
    assert not view.votes.button(members[1], VoteChoice.FOR).isVisible()
    queue, asked = answers
    press(qtbot, button)  # cancel
    assert "Bram Jansen" in asked[-1] and len(view.current_item().conflicts) == 1
    queue.append(0)
    press(qtbot, view.conflicts.withdraw_buttons[members[1]])
    assert view.current_item().conflicts == ()
    assert view.conflicts.text() == "Niemand heeft belangenverstrengeling gemeld."
    assert view.votes.button(members[1], VoteChoice.FOR).isEnabled()


def test_a_vote_is_cleared_and_cast_again_then_the_decisions_type_changed(
        qtbot, open_view, sqlite_ctx, members, answers, dialogs):
    """Issue 13: 'Stem wissen' beside a cast vote; after the decision 'Besluit wijzigen…' with a reason keeps the
    kenmerk; the vote's undo is gone once decided."""
    view, mid = open_view
    queue, asked = answers
    for m in members[:4]:
        click(qtbot, view.votes.button(m, VoteChoice.FOR))
    assert all(view.votes.clear_buttons[m].isVisible() for m in members[:4])
    assert not view.votes.clear_buttons[members[4]].isVisible()
    queue.append(0)
    press(qtbot, view.votes.clear_buttons[members[3]])
    assert "‘voor’ van Daan Bakker" in asked[-1]
    assert "Nog niet gestemd: Daan Bakker" in view.votes.tally_label.text()
    assert not view.votes.clear_buttons[members[3]].isVisible()
    click(qtbot, view.votes.button(members[3], VoteChoice.AGAINST))
    assert view.votes.tally_label.text() == "3 voor, 1 tegen, 0 onthoudingen — meerderheid voor"

    item = view.current_item().id
    k = meeting_votes.record_decision(sqlite_ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    view.reload()
    assert not any(b.isVisible() for b in view.votes.clear_buttons.values())
    assert view.change_decision_button.isVisible()

    def change(dlg: DecisionChangeDialog):
        assert [dlg.type_combo.itemText(i) for i in range(dlg.type_combo.count())] == ["voorwaardelijk toegekend"]
        assert f"het kenmerk blijft {k}" in dlg.intro.text()
        click(qtbot, dlg.ok_button)  # no reason
        assert dlg.reason_box.error()
        qtbot.keyClicks(dlg.reason, "Verkeerd type gekozen")
        click(qtbot, dlg.ok_button)

    dialogs.drive(DecisionChangeDialog, change)
    press(qtbot, view.change_decision_button)
    assert f"voorwaardelijk toegekend — kenmerk {k}" in view.decision_label.text()
    assert meeting_detail.get_meeting(sqlite_ctx, mid).items[5].decision.kenmerk == k


# ---------------------------------------------------------------- closing


def test_closing_lists_what_is_open_then_confirms_and_leads_to_the_letters(
        qtbot, open_view, sqlite_ctx, members, answers, message_boxes):
    """Issue 13: the open items are listed without asking; when all is done, closing says what it means and
    then offers the letters, which open the letters window."""
    view, mid = open_view
    queue, asked = answers
    meeting_attendance.set_attendance(sqlite_ctx, mid, members[4], Attendance.EXCUSED)
    click(qtbot, view.step_button)
    warning = message_boxes.texts("warning")[-1]
    assert "Punt 6 (Aanvraag Org A): nog geen besluit" in warning and asked == []
    assert view.detail.status is MeetingStatus.OPEN

    item = view.current_item().id
    for m in members[:4]:
        meeting_votes.record_vote(sqlite_ctx, item, m, VoteChoice.FOR)
    meeting_votes.record_decision(sqlite_ctx, item, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    view.reload()
    click(qtbot, view.step_button)  # cancel
    assert "1 december 2026" in asked[-1] and "besluitbrieven" in asked[-1]
    assert view.detail.status is MeetingStatus.OPEN
    queue.extend([0, 0])
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.CLOSED
    assert "besluitbrieven" in asked[-1]
    letters = view.documents_button._letters_dialog
    assert isinstance(letters, LettersDialog) and letters.isVisible()
    letters.close()


# ---------------------------------------------------------------- fit


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def test_the_undo_buttons_of_an_open_meeting_fit_a_laptop(qtbot, demo):
    """Issue 13: with a declaration, cast votes and a decision, 'Intrekken', 'Stem wissen' and 'Besluit
    wijzigen…' can be reached at 1366x768 and at 150 % (911x512), without sideways scrolling."""
    row = next(r for r in meeting_planning.list_meetings(demo) if r.status is MeetingStatus.PLANNED)
    step(demo, row.id, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    detail = meeting_detail.get_meeting(demo, row.id)
    for a in detail.attendees:
        meeting_attendance.set_attendance(demo, row.id, a.member_id, Attendance.PRESENT)
    first, second = [i for i in detail.items if i.application_id][:2]
    people = [a.member_id for a in detail.attendees]
    meeting_attendance.declare_conflict(demo, first.id, people[0], "Adviseur van de organisatie")
    for m in people[1:]:
        meeting_votes.record_vote(demo, first.id, m, VoteChoice.FOR)
    for m in people:
        meeting_votes.record_vote(demo, second.id, m, VoteChoice.FOR)
    meeting_votes.record_decision(demo, second.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    w, view = meeting_in_main_window(qtbot, demo, row.id)
    for width, height in SIZES:
        resize_and_check_minimum(qtbot, w, width, height)
        for item, expected in ((first, [*view.conflicts.withdraw_buttons.values()]), (second, None)):
            view.select_row(view.model.row_of(item.id))
            QApplication.processEvents()
            buttons = expected if expected is not None else [view.change_decision_button]
            if item is first:
                buttons = buttons + [view.votes.clear_buttons[m] for m in people[1:]]
            assert buttons and all(b.isVisibleTo(view) for b in buttons)
            for b in buttons:
                assert_reachable(w, view, b)
            # the item column needs no sideways scrolling, at 150 % neither
            assert view.scroll.widget().width() <= view.scroll.viewport().width()
