"""Issue 12: the decision dialog's criteria-met choice (prefilled from the consolidated assessment), the
badge's cap by the certificate with an override reason, and 'ingetrokken' offered on a reassessment."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.recognition import Purpose
from commissie_app.domain.validation import EvidenceData
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import assessments, meeting_attendance, meeting_detail, meeting_votes, recognitions
from commissie_app.ui.meeting_dialogs import DecisionDialog
from tests.conftest import make_ctx
from tests.factories import app_data, org_data
from tests.test_meetings_service import app_item, open_meeting
from tests.test_recognitions import seat_members

pytestmark = pytest.mark.usefixtures("answers", "message_boxes")
CERT = dt.date(2027, 6, 30)


def _voted_item(ctx, app_id, members, choice=VoteChoice.FOR, day=dt.datetime(2026, 12, 1, 14)):
    mid = open_meeting(ctx, [app_id], day=day)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = app_item(ctx, mid)
    for m in members:
        meeting_votes.record_vote(ctx, item.id, m, choice)
    return mid, app_item(ctx, mid)


def _dialog(qtbot, ctx, mid, item) -> DecisionDialog:
    dlg = DecisionDialog(ctx, item, dt.date(2026, 12, 1), meeting_detail.get_meeting(ctx, mid).rules)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_criteria_prefilled_from_the_assessment_and_the_cap_overridden_with_a_reason(qtbot, sqlite_db):
    """Issue 12: the boxes of the criteria the consolidated assessment answered 'ja' are ticked; the
    certificate's end is shown as the badge's cap; a reason lets the badge run to its full term and is kept."""
    ctx = make_ctx(sqlite_db)
    members = seat_members(ctx)
    evidence = (EvidenceData(Criterion.PSO30, "PSO-1", CERT), EvidenceData(Criterion.SE_NL, "SE-1"))
    app_id = apps.register_application(ctx, org_data(kvk="30000001"), app_data(evidence=evidence))
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    a = assessments.get_or_create_assessment(ctx, app_id, kind=assessments.CONSOLIDATED)
    assessments.save_answers(ctx, a.id, {"crit_pso30": "ja", "crit_se_nl": "nee"}, a.version)
    mid, item = _voted_item(ctx, app_id, members)
    dlg = _dialog(qtbot, ctx, mid, item)
    panel = dlg.criteria_panel
    assert panel.criteria() == [Criterion.PSO30]
    assert panel.cap.isVisible() and "30 juni 2027" in panel.cap.text() and panel.override.isVisible()
    panel.boxes[Criterion.PSO30].setChecked(False)
    panel.boxes[Criterion.SE_NL].setChecked(True)
    assert not panel.cap.isVisible() and not panel.override.isVisible()  # no certificate date: no cap
    panel.boxes[Criterion.PSO30].setChecked(True)
    qtbot.keyClicks(panel.override, "Hercertificering aangevraagd")
    qtbot.keyClicks(dlg.motivation, "Voldoet aan PSO 30+ en SE NL.")
    dlg.record_button.click()
    assert dlg.kenmerk == "KIP-2026-001"
    (row,) = recognitions.list_register(ctx)
    assert (row.criteria, row.certificate_until, row.valid_until) == (
        (Criterion.SE_NL, Criterion.PSO30), CERT, dt.date(2028, 11, 30))
    assert recognitions.get_recognition(ctx, row.id).override_reason == "Hercertificering aangevraagd"


def test_without_a_reason_the_badge_ends_with_the_certificate(qtbot, sqlite_db):
    """Issue 12: left empty, the override changes nothing: the badge ends on the certificate's date."""
    ctx = make_ctx(sqlite_db)
    members = seat_members(ctx)
    app_id = apps.register_application(ctx, org_data(kvk="30000002"), app_data(
        evidence=(EvidenceData(Criterion.PSO30, "PSO-2", CERT),)))
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    mid, item = _voted_item(ctx, app_id, members)
    dlg = _dialog(qtbot, ctx, mid, item)
    dlg.criteria_panel.boxes[Criterion.PSO30].setChecked(True)
    qtbot.keyClicks(dlg.motivation, "Voldoet aan PSO 30+.")
    dlg.record_button.click()
    assert dlg.kenmerk and recognitions.list_register(ctx)[0].valid_until == CERT


def test_a_reassessment_offers_ingetrokken_and_hides_the_criteria(qtbot, sqlite_db):
    """Issue 12: on a reassessment whose vote goes against the recognition the dialog offers 'ingetrokken'
    only, without criteria; recording it withdraws the recognition."""
    ctx = make_ctx(sqlite_db)
    members = seat_members(ctx)
    app_id = apps.register_application(ctx, org_data(kvk="30000003"), app_data(Criterion.BCORP))
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    _mid, item = _voted_item(ctx, app_id, members)
    meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, "Voldoet.", criteria_met=[Criterion.BCORP])
    (row,) = recognitions.list_register(ctx)
    later = dataclasses.replace(ctx, today=lambda: dt.date(2027, 1, 4))
    again = recognitions.start_follow_up(later, row.id, Purpose.REASSESSMENT)
    apps.change_status(later, again, Status.IN_PROGRESS)
    apps.change_status(later, again, Status.COMPLETE)
    mid, item = _voted_item(later, again, members, VoteChoice.AGAINST, day=dt.datetime(2027, 1, 19, 14))
    dlg = _dialog(qtbot, later, mid, item)
    assert [dlg.type_combo.itemText(i) for i in range(dlg.type_combo.count())] == ["ingetrokken"]
    assert not dlg.criteria_panel.isVisible() and not dlg.deadline_box.isVisible()
    qtbot.keyClicks(dlg.motivation, "Het certificaat is ingetrokken.")
    dlg.record_button.click()
    assert dlg.kenmerk
    assert recognitions.get_recognition(later, row.id).row.withdrawn_on == dt.date(2027, 1, 19)
