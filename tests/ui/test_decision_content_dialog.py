"""Issue 14: the Besluit vastleggen dialog asks for what the letter states: the conditions of a conditional
recognition (prefilled from the consolidated assessment), the criteria found met (prefilled from those
claimed when the assessment ticks none) and, for 'aangehouden', what is asked and by which date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import assessments, meeting_attendance, meeting_detail, meeting_votes
from commissie_app.ui.meeting_dialogs import DecisionDialog, decision_summary
from tests.conftest import make_ctx
from tests.factories import app_data, org_data
from tests.test_meetings_service import app_item, open_meeting
from tests.test_recognitions import seat_members

pytestmark = pytest.mark.usefixtures("answers", "message_boxes")
DAY = dt.datetime(2026, 12, 1, 14)


def _item(ctx, *criteria, founded=dt.date(2020, 1, 1), kvk="50000001", vote=True):
    members = seat_members(ctx)
    app_id = apps.register_application(ctx, org_data(kvk=kvk, founded_on=founded), app_data(*criteria))
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    mid = open_meeting(ctx, [app_id], day=DAY)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = app_item(ctx, mid)
    for m in members if vote else ():
        meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
    return app_id, mid, app_item(ctx, mid)


def _dialog(qtbot, ctx, mid, item) -> DecisionDialog:
    dlg = DecisionDialog(ctx, item, DAY.date(), meeting_detail.get_meeting(ctx, mid).rules)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _choose(qtbot, dlg: DecisionDialog, kind: DecisionType) -> None:
    dlg.type_combo.setFocus()
    while dlg.decision_type() is not kind:
        qtbot.keyClick(dlg.type_combo, Qt.Key.Key_Down)


def test_conditions_prefilled_from_the_assessment_are_recorded(qtbot, sqlite_db):
    """Issue 14: choosing 'voorwaardelijk toegekend' shows the conditions, prefilled from the consolidated
    assessment's 'Onder welke voorwaarden?'; the secretary's edit is what the decision keeps."""
    ctx = make_ctx(sqlite_db)
    app_id, mid, item = _item(ctx, Criterion.STARTUP, founded=dt.date(2025, 6, 1))
    a = assessments.get_or_create_assessment(ctx, app_id, kind=assessments.CONSOLIDATED)
    assessments.save_answers(ctx, a.id, {"crit_startup": "ja", "member_advice": "voorwaardelijk_toekennen",
                                         "advice_conditions": "Een impactrapportage na een jaar."}, a.version)
    dlg = _dialog(qtbot, ctx, mid, item)
    rows = dlg.content_rows
    _choose(qtbot, dlg, DecisionType.CONDITIONAL)
    assert rows.conditions_box.isVisible() and not rows.request_box.isVisible()
    assert rows.conditions.toPlainText() == "Een impactrapportage na een jaar."
    rows.conditions.moveCursor(rows.conditions.textCursor().MoveOperation.End)
    qtbot.keyClicks(rows.conditions, " Met cijfers.")
    qtbot.keyClicks(dlg.motivation, "Startup met missie.")
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.kenmerk
    decision = app_item(ctx, mid).decision
    assert decision.conditions == "Een impactrapportage na een jaar. Met cijfers."
    assert decision.criteria_met == ("STARTUP",)


def test_criteria_start_from_those_claimed_and_none_is_refused(qtbot, sqlite_db):
    """Issue 14: without a consolidated assessment the claimed criteria are ticked; the secretary unticks one
    (it is not recorded as met), and with none ticked the dialog refuses in Dutch and records nothing."""
    ctx = make_ctx(sqlite_db)
    _app_id, mid, item = _item(ctx, Criterion.PSO30, Criterion.SE_NL, kvk="50000002")
    dlg = _dialog(qtbot, ctx, mid, item)
    _choose(qtbot, dlg, DecisionType.GRANTED)
    panel = dlg.criteria_panel
    assert panel.criteria() == [Criterion.SE_NL, Criterion.PSO30]
    qtbot.keyClicks(dlg.motivation, "Voldoet aan PSO 30+.")
    for box in panel.boxes.values():
        box.setChecked(False)
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.kenmerk is None and "Vink aan aan welke criteria" in dlg.banner.label.text()
    assert app_item(ctx, mid).decision is None
    panel.boxes[Criterion.PSO30].setChecked(True)
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.kenmerk
    assert app_item(ctx, mid).decision.criteria_met == ("PSO30",)


def test_a_deferral_asks_for_the_request_and_the_date(qtbot, sqlite_db):
    """Issue 14: 'aangehouden' shows 'Gevraagd' and 'Uiterlijk op' (six weeks after the meeting by default) and
    hides the criteria; without a request the field says so in Dutch; recorded, both are kept."""
    ctx = make_ctx(sqlite_db)
    _app_id, mid, item = _item(ctx, Criterion.BCORP, kvk="50000003", vote=False)
    dlg = _dialog(qtbot, ctx, mid, item)
    rows = dlg.content_rows
    assert dlg.decision_type() is DecisionType.DEFERRED  # without votes the only choice
    assert rows.request_box.isVisible() and rows.answer_by_box.isVisible()
    assert not rows.conditions_box.isVisible() and not dlg.criteria_panel.isVisible()
    assert rows.answer_by.text() == "12-01-2027"
    qtbot.keyClicks(dlg.motivation, "Hercertificering loopt.")
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.kenmerk is None
    assert "Schrijf op wat de commissie" in rows.request_box.error()
    rows.answer_by.clear()
    qtbot.keyClicks(rows.answer_by, "19-01-2027")
    qtbot.keyClicks(rows.request, "Het nieuwe B Corp-certificaat.")
    qtbot.mouseClick(dlg.record_button, Qt.MouseButton.LeftButton)
    assert dlg.kenmerk
    decision = app_item(ctx, mid).decision
    assert (decision.deferral_request, decision.answer_by) == ("Het nieuwe B Corp-certificaat.", dt.date(2027, 1, 19))
    assert "informatie uiterlijk op 19 januari 2027" in decision_summary(app_item(ctx, mid))


def test_changing_a_decision_to_conditional_asks_for_its_conditions(qtbot, sqlite_db):
    """Issue 14: in the open meeting, 'Besluit wijzigen' to 'voorwaardelijk toegekend' shows the conditions row;
    what is typed there is what the changed decision keeps (and its letter states)."""
    from commissie_app.ui.meeting_dialogs import DecisionChangeDialog

    ctx = make_ctx(sqlite_db)
    _app_id, mid, item = _item(ctx, Criterion.PSO30, kvk="50000004")
    meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.PSO30])
    dlg = DecisionChangeDialog(ctx, app_item(ctx, mid), meeting_detail.get_meeting(ctx, mid).rules)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.decision_type() is DecisionType.CONDITIONAL
    rows = dlg.content_rows
    assert rows.conditions_box.isVisible() and not rows.request_box.isVisible()
    qtbot.keyClicks(rows.conditions, "Een jaarverslag over 2027.")
    qtbot.keyClicks(dlg.reason, "Verkeerd type gekozen")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    decision = app_item(ctx, mid).decision
    assert (decision.decision_type, decision.conditions) == (DecisionType.CONDITIONAL, "Een jaarverslag over 2027.")
    assert decision.criteria_met == ("PSO30",)
