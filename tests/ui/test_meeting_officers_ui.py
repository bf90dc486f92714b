"""Issue 13: the meeting dialog chooses chair and secretary from the members and users (real keys and clicks)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.codes import Role
from commissie_app.domain.commission import Seat
from commissie_app.services import commission, meeting_detail, meeting_planning, users
from commissie_app.ui.meeting_dialogs import MeetingDialog


@pytest.fixture
def world(sqlite_ctx):
    ctx = sqlite_ctx
    ids = {}
    for name, seat, start, end in [("Bea Bedrijfsma", Seat.BUSINESS, dt.date(2026, 1, 1), None),
                                   ("Pieter Proefmans", Seat.HAARLEM_IMPACT, dt.date(2026, 1, 1), None),
                                   ("Kees Koopmans", Seat.SROI_IJMOND, dt.date(2025, 1, 1), dt.date(2026, 11, 30))]:
        ids[name] = commission.add_member(ctx, name)
        commission.appoint(ctx, ids[name], seat, start, end)
    commission.add_member(ctx, "Zonder Zetel")
    users.add_user(ctx, "Pieter (voorzitter)", Role.CHAIR, member_id=ids["Pieter Proefmans"])
    users.add_user(ctx, "Noor Notulist", Role.SECRETARY)
    users.add_user(ctx, "Wim Waarnemer", Role.OBSERVER)
    return ctx, ids


def texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def open_dialog(qtbot, ctx, detail=None) -> MeetingDialog:
    dlg = MeetingDialog(ctx, detail)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_the_dialog_offers_the_seat_holders_of_the_date_and_the_secretaries(qtbot, world):
    """Issue 13: on 7 December (two weeks ahead) the chair is chosen from Bea and Pieter (with their seats), not
    from Kees (term ended) nor from a member without a seat; Pieter, the commission's chair, is proposed; the
    secretary list holds the secretaries only, the one planning proposed. Typing a November date adds Kees."""
    ctx, ids = world
    dlg = open_dialog(qtbot, ctx)
    assert texts(dlg.chair) == ["(kies een lid met een zetel)", "Bea Bedrijfsma — Bedrijfsleven",
                                "Pieter Proefmans — Haarlem Impact Ondernemen"]
    assert dlg.chair.currentData() == ids["Pieter Proefmans"]
    assert texts(dlg.secretary) == ["(geen)", "Noor Notulist", ctx.actor.name]
    assert dlg.secretary.currentText() == ctx.actor.name

    dlg.date_edit.selectAll()
    qtbot.keyClicks(dlg.date_edit, "24-11-2026")
    assert "Kees Koopmans — SROI Velsen/Heemskerk/Beverwijk" in texts(dlg.chair)
    assert dlg.chair.currentData() == ids["Pieter Proefmans"]  # the choice stays


def test_choosing_chair_and_secretary_with_the_keyboard_plans_the_meeting_with_them(qtbot, world):
    """Issue 13: the secretary picks Bea and Noor with the keyboard and plans: the meeting has them, by id
    and by printed name; editing it shows the same choice."""
    ctx, ids = world
    dlg = open_dialog(qtbot, ctx)
    qtbot.keyClicks(dlg.place, "Stadhuis Haarlem")
    dlg.chair.setFocus()
    qtbot.keyClick(dlg.chair, Qt.Key.Key_Up)
    assert dlg.chair.currentText() == "Bea Bedrijfsma — Bedrijfsleven"
    dlg.secretary.setFocus()
    qtbot.keyClick(dlg.secretary, Qt.Key.Key_Up)
    assert dlg.secretary.currentText() == "Noor Notulist"
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == MeetingDialog.DialogCode.Accepted
    detail = meeting_detail.get_meeting(ctx, dlg.meeting_id)
    assert (detail.chair_member_id, detail.chair_name, detail.secretary_name) == (
        ids["Bea Bedrijfsma"], "Bea Bedrijfsma", "Noor Notulist")

    edit = open_dialog(qtbot, ctx, detail)
    assert (edit.chair.currentText(), edit.secretary.currentText()) == ("Bea Bedrijfsma — Bedrijfsleven",
                                                                       "Noor Notulist")


def test_a_chair_whose_seat_ends_before_the_new_date_is_refused_under_the_field(qtbot, world):
    """Issue 13: Kees chairs a November meeting; moving it to December is refused with the message under the
    Voorzitter field, and the dialog stays open with nothing saved."""
    ctx, ids = world
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 11, 24, 14, 0), place="Raadhuis",
                                        chair_member_id=ids["Kees Koopmans"])
    dlg = open_dialog(qtbot, ctx, meeting_detail.get_meeting(ctx, mid))
    assert dlg.chair.currentText() == "Kees Koopmans — SROI Velsen/Heemskerk/Beverwijk"
    dlg.date_edit.selectAll()
    qtbot.keyClicks(dlg.date_edit, "01-12-2026")
    assert dlg.chair.currentText() == "Kees Koopmans — geen zetel op deze datum"
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert dlg.boxes["chair"].error().startswith("De voorzitter moet op 1 december 2026 een zetel")
    detail = meeting_detail.get_meeting(ctx, mid)
    assert detail.chair_member_id == ids["Kees Koopmans"] and detail.local_start.date() == dt.date(2026, 11, 24)


def test_an_old_typed_chair_is_shown_in_the_empty_choice(qtbot, world):
    """Issue 13: a planned meeting from before the choice (typed names matching no member or user) shows those
    names, so the secretary knows whom to pick."""
    ctx, _ids = world
    from sqlalchemy import update

    from commissie_app.db.models import Meeting
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 8, 14, 0), place="Raadhuis")
    with ctx.db.session() as s:
        s.execute(update(Meeting).where(Meeting.id == mid).values(chair_name="Mr. Getypt", secretary_user_id=None,
                                                                  secretary_name="Mw. Getypt"))
        s.commit()
    dlg = open_dialog(qtbot, ctx, meeting_detail.get_meeting(ctx, mid))
    assert dlg.chair.currentText() == "(kies een lid met een zetel) — was: Mr. Getypt"
    assert dlg.secretary.currentText() == "(geen) — was: Mw. Getypt"


def test_setting_the_agenda_without_a_chair_shows_the_refusal(qtbot, world, answers, message_boxes):
    """Issue 13: 'Agenda vaststellen' on a meeting planned without a chair shows the service's Dutch message;
    the meeting stays planned."""
    from commissie_app.domain.meetings import MeetingStatus
    from commissie_app.ui.meetings_page import MeetingsPage

    ctx, _ids = world
    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 8, 14, 0), place="Raadhuis")
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.open_meeting(mid)
    view = page.meeting_view
    assert view.step_button.text() == "Agenda vaststellen"
    answers[0].append(0)  # should a confirmation be asked: yes
    qtbot.mouseClick(view.step_button, Qt.MouseButton.LeftButton)
    assert "Deze vergadering heeft geen voorzitter" in message_boxes.texts("warning")[-1]
    assert meeting_detail.get_meeting(ctx, mid).status is MeetingStatus.PLANNED
