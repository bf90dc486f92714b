"""Issue 13, "Done when": the whole cycle of a meeting driven through the real widgets by one test: plan,
agenda, open, attendance, a conflict declared for the wrong member and withdrawn, a vote cleared and cast again,
decide, a decision's type changed, close, and the letters made and marked as sent as one batch (SQLite)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import letter_archive, meeting_detail
from commissie_app.ui.letters_dialog import LettersDialog
from commissie_app.ui.meeting_dialogs import (
    CompleteApplicationsDialog,
    ConflictDialog,
    DecisionChangeDialog,
    DecisionDialog,
    MeetingDialog,
)
from tests.factories import letter_contact
from tests.ui.test_letters_batch_ui import accept_mark_sent
from tests.ui.test_meetings_ui import click, complete_app, dialogs, members, page, type_into  # noqa: F401

CTRL = Qt.KeyboardModifier.ControlModifier


def decide(qtbot, dialogs, view, motivation: str, criterion: Criterion) -> str:
    """Besluit vastleggen… through its dialog: the first type offered, a motivation, the criterion found met."""
    made: list[str] = []

    def fill(dlg: DecisionDialog):
        qtbot.keyClicks(dlg.motivation, motivation)
        dlg.criteria_panel.boxes[criterion].setChecked(True)
        click(qtbot, dlg.record_button)
        assert dlg.kenmerk, dlg.banner.text()
        made.append(dlg.kenmerk)
        click(qtbot, dlg.record_button)  # now "Sluiten"

    dialogs.drive(DecisionDialog, fill)
    click(qtbot, view.decision_button)
    return made[0]


def test_the_whole_meeting_cycle_through_the_widgets(qtbot, page, sqlite_ctx, members, dialogs, answers,
                                                     message_boxes, monkeypatch):
    """Issue 13: plan → agenda → open → attendance → conflict withdrawn → vote re-cast → decide (and correct a
    decision's type) → close (open items listed first) → letters made and sent as one batch."""
    ctx = sqlite_ctx
    queue, asked = answers
    letter_contact(ctx)  # issue 14: the letterhead names the contact person every letter gives
    first = complete_app(ctx, "11111111", "De Groene Fietsenmaker BV")
    second = complete_app(ctx, "22222222", "Stichting Buurtkracht")
    planner, view = page.planner, page.meeting_view

    # plan: the date, the place, the chair chosen from the seat holders
    def fill_meeting(dlg: MeetingDialog):
        type_into(qtbot, dlg.date_edit, "01-12-2026")
        qtbot.keyClicks(dlg.place, "Stadhuis Haarlem")
        dlg.chair.setFocus()
        qtbot.keyClick(dlg.chair, Qt.Key.Key_Down)
        assert dlg.chair.currentText() == "Anouk de Vries — Bedrijfsleven"
        click(qtbot, dlg.ok_button)

    dialogs.drive(MeetingDialog, fill_meeting)
    click(qtbot, planner.new_button)
    click(qtbot, planner.open_button)
    assert view.step_button.text() == "Agenda vaststellen"

    # the agenda: both complete applications
    dialogs.drive(CompleteApplicationsDialog, lambda dlg: click(qtbot, dlg.ok_button))
    click(qtbot, view.add_complete_button)
    app_rows = [r for r, it in enumerate(view.model.items()) if it.application_id]
    assert [view.model.items()[r].application_id for r in app_rows] == [first, second]

    # set the agenda (confirmed), then open: refused before the day, opened on the day
    queue.append(0)
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.AGENDA_SET and "1 december 2026" in asked[-1]
    click(qtbot, view.step_button)
    assert "kan niet eerder geopend worden" in message_boxes.texts("warning")[-1]
    assert view.detail.status is MeetingStatus.AGENDA_SET
    ctx.today = lambda: dt.date(2026, 12, 1)
    queue.append(0)
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.OPEN

    # attendance: everyone present
    for m in members:
        click(qtbot, view.attendance.button(m, Attendance.PRESENT))
    assert view.attendance.quorum_label.text().startswith("5 van de 5 zetels")

    # the first application: a conflict declared for the wrong member, withdrawn, then for the right one
    view.select_row(app_rows[0])

    def declare(member_id):
        def fill(dlg: ConflictDialog):
            dlg.member.setCurrentIndex(next(i for i in range(dlg.member.count()) if dlg.member.itemData(i) == member_id))
            qtbot.keyClicks(dlg.reason, "Is adviseur van de organisatie")
            click(qtbot, dlg.ok_button)
        return fill

    dialogs.drive(ConflictDialog, declare(members[1]))
    click(qtbot, view.conflict_button)
    assert "Bram Jansen: Is adviseur van de organisatie" in view.conflicts.text()
    queue.append(0)
    click(qtbot, view.conflicts.withdraw_buttons[members[1]])
    assert "Bram Jansen" in asked[-1] and view.current_item().conflicts == ()
    dialogs.drive(ConflictDialog, declare(members[0]))
    click(qtbot, view.conflict_button)
    assert "Anouk de Vries: Is adviseur van de organisatie" in view.conflicts.text()
    assert "Bram Jansen" not in view.conflicts.text()
    assert not view.votes.button(members[0], VoteChoice.FOR).isVisible()

    # votes: one cast wrongly, cleared and cast again
    for m in members[1:]:
        click(qtbot, view.votes.button(m, VoteChoice.FOR))
    queue.append(0)
    click(qtbot, view.votes.clear_buttons[members[4]])
    assert "Nog niet gestemd: Eva Visser" in view.votes.tally_label.text()
    click(qtbot, view.votes.button(members[4], VoteChoice.AGAINST))
    assert view.votes.tally_label.text() == "3 voor, 1 tegen, 0 onthoudingen — meerderheid voor"

    # closing now lists what is open, without asking
    n_asked = len(asked)
    click(qtbot, view.step_button)
    assert "nog geen besluit" in message_boxes.texts("warning")[-1] and len(asked) == n_asked
    assert view.detail.status is MeetingStatus.OPEN

    # decide the first: granted; then its type is changed to conditional, with a reason, same kenmerk
    kenmerk = decide(qtbot, dialogs, view, "Voldoet aan PSO 30+.", Criterion.PSO30)
    assert f"toegekend — kenmerk {kenmerk}" in view.decision_label.text()

    def change(dlg: DecisionChangeDialog):
        assert dlg.type_combo.currentText() == "voorwaardelijk toegekend"
        qtbot.keyClicks(dlg.reason, "Bewijs van PSO loopt nog")
        click(qtbot, dlg.ok_button)

    dialogs.drive(DecisionChangeDialog, change)
    click(qtbot, view.change_decision_button)
    assert f"voorwaardelijk toegekend — kenmerk {kenmerk}" in view.decision_label.text()

    # the second application: all vote for, granted
    view.select_row(app_rows[1])
    for m in members:
        click(qtbot, view.votes.button(m, VoteChoice.FOR))
    second_kenmerk = decide(qtbot, dialogs, view, "Stichting zonder winstoogmerk.", Criterion.PSO30)
    assert second_kenmerk != kenmerk
    assert {apps.get_application(ctx, a).status for a in (first, second)} == {Status.DECIDED}

    # close (confirmed) and go to the letters
    queue.extend([0, 0])
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.CLOSED
    letters = view.documents_button._letters_dialog
    assert isinstance(letters, LettersDialog) and letters.isVisible()
    qtbot.waitExposed(letters)

    # the letters: made, all selected, marked as sent as one batch
    click(qtbot, letters.generate_button)
    qtbot.waitUntil(lambda: letters.table.rowCount() == 2)
    letters.table.setFocus()
    qtbot.keyClick(letters.table, Qt.Key.Key_A, CTRL)
    assert {i.kenmerk for i in letters.selected_letters()} == {kenmerk, second_kenmerk}
    seen: list[str] = []
    accept_mark_sent(monkeypatch, qtbot, seen)
    click(qtbot, letters.sent_button)
    infos = letter_archive.list_letters(ctx, view.detail.id)
    assert {(i.kenmerk, i.sent_on) for i in infos} == {(kenmerk, dt.date(2026, 12, 1)),
                                                       (second_kenmerk, dt.date(2026, 12, 1))}
    assert letters.next_step.text() == "Alle brieven zijn verzonden."
    detail = meeting_detail.get_meeting(ctx, view.detail.id)
    assert [i.decision.decision_type for i in detail.items if i.decision] == [DecisionType.CONDITIONAL,
                                                                               DecisionType.GRANTED]
    letters.close()

