"""Correcting a closed meeting in the meeting view, with real clicks and keys (issue 9, items 1 and 2)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from commissie_app.db.models import AttendanceRecord
from commissie_app.domain.voting import Attendance, DecisionType, Outcome, VoteChoice
from commissie_app.services import meeting_corrections
from commissie_app.ui.meeting_dialogs import CorrectionDialog, VoteCorrectionDialog
from commissie_app.ui.meeting_view import MeetingView
from tests.test_meeting_corrections import hold_meeting
from tests.test_meetings_service import app_item
from tests.ui.test_meetings_ui import app_rows, click, dialogs  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("answers")


@pytest.fixture
def held(sqlite_ctx):
    """Closed: five present, everyone voted 'voor', the application 'toegekend'."""
    return hold_meeting(sqlite_ctx)


@pytest.fixture
def view(qtbot, sqlite_ctx, held):
    v = MeetingView(sqlite_ctx)
    qtbot.addWidget(v)
    v.resize(1200, 900)
    v.show()
    qtbot.waitExposed(v)
    v.load(held[0])
    v.select_row(app_rows(v)[0])
    return v


def choose(qtbot, combo, label: str) -> None:
    """Pick an entry with the arrow keys, as a user does."""
    combo.setFocus()
    target = combo.findText(label)
    assert target >= 0, label
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def test_a_vote_correction_that_turns_the_outcome_asks_for_the_corrected_decision(
        qtbot, sqlite_ctx, held, view, dialogs, message_boxes):
    """Issue 9, item 2: the dialog shows the decision part only when the outcome changes, and saves the vote
    and the corrected decision in one step."""
    mid, item_id, members = held
    for m in members[:2]:
        meeting_corrections.correct_vote(sqlite_ctx, item_id, m, VoteChoice.AGAINST, "Verkeerd genoteerd")
    view.reload()
    seen = {}

    def fill(dlg: VoteCorrectionDialog):
        assert [dlg.choice.itemText(i) for i in range(dlg.choice.count())] == ["tegen", "onthouding"]
        choose(qtbot, dlg.choice, "onthouding")  # 2 voor, 2 tegen: a tie, only 'aangehouden' fits
        assert dlg.decision_box.isVisible() and not dlg.ok_button.isEnabled()
        assert "kan hier niet met een correctie" in dlg.outcome_label.text()
        choose(qtbot, dlg.choice, "tegen")  # 2 voor, 3 tegen: 'afgewezen'
        assert dlg.decision_box.isVisible() and dlg.ok_button.isEnabled()
        assert "‘afgewezen’" in dlg.outcome_label.text() and "‘toegekend’" in dlg.outcome_label.text()
        assert [dlg.type_combo.itemText(i) for i in range(dlg.type_combo.count())] == ["afgewezen"]
        qtbot.keyClicks(dlg.reason, "Stem verkeerd genoteerd")
        click(qtbot, dlg.ok_button)  # no motivation yet: refused in the dialog
        seen["error"] = dlg.motivation_box.error()
        qtbot.keyClicks(dlg.motivation, "De meerderheid stemde tegen.")
        click(qtbot, dlg.ok_button)

    dialogs.drive(CorrectionDialog, fill)
    with qtbot.waitSignal(view.sig_changed):
        click(qtbot, view.votes.correct_buttons[members[2]])
    assert seen["error"]
    assert not message_boxes.shown
    item = app_item(sqlite_ctx, mid)
    assert item.tally.outcome is Outcome.REJECTED and item.decision.decision_type is DecisionType.REJECTED
    assert "afgewezen — kenmerk KIP-2026-001" in view.decision_label.text()
    whats = [view.corrections.item(r, 0).text() for r in range(view.corrections.rowCount())]
    assert "Besluit KIP-2026-001" in whats
    assert view.banner.property("kind") == "info"  # nothing broken


def test_a_vote_correction_that_keeps_the_outcome_asks_no_decision(qtbot, sqlite_ctx, held, view, dialogs):
    """Issue 9, item 2: with the outcome unchanged the correction is just the vote and its reason."""
    mid, _item_id, members = held

    def fill(dlg: VoteCorrectionDialog):
        choose(qtbot, dlg.choice, "tegen")  # 4 voor, 1 tegen: still 'meerderheid voor'
        assert dlg.decision_box.isHidden()
        qtbot.keyClicks(dlg.reason, "Verkeerd genoteerd")
        click(qtbot, dlg.ok_button)

    dialogs.drive(CorrectionDialog, fill)
    click(qtbot, view.votes.correct_buttons[members[0]])
    assert view.votes.button(members[0], VoteChoice.AGAINST).isChecked()
    assert app_item(sqlite_ctx, mid).decision.decision_type is DecisionType.GRANTED


def test_a_broken_stored_record_opens_with_a_warning(qtbot, sqlite_ctx, held):
    """Issue 9, item 1: the view opens a meeting whose stored record breaks a rule and says what is wrong."""
    mid, item_id, members = held
    with sqlite_ctx.db.engine.begin() as conn:
        conn.execute(update(AttendanceRecord).where(AttendanceRecord.member_id == members[0])
                     .values(state=Attendance.ABSENT.value))
    v = MeetingView(sqlite_ctx)
    qtbot.addWidget(v)
    v.show()
    v.load(mid)
    v.select_row(app_rows(v)[0])
    assert v.banner.property("kind") == "warning" and v.banner.isVisible()
    assert "Lid 1 is afwezig en kan niet stemmen." in v.banner.text()
    assert v.votes.button(members[0], VoteChoice.FOR).isChecked()  # the stored vote is shown as it is
    assert "4 voor" in v.votes.tally_label.text()
