"""Issue 14: the meeting view's general minutes editor and the adoption of the previous meeting's minutes under
"Verslag vorige vergadering", driven with real keys and clicks (SQLite)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.codes import Role
from commissie_app.domain.errors import StaleEditError
from commissie_app.domain.meetings import PREVIOUS_MINUTES_ITEM
from commissie_app.services import meeting_closing, meeting_detail
from commissie_app.services import meeting_documents as docs
from commissie_app.ui.meeting_view import MeetingView
from tests.conftest import make_ctx
from tests.meeting_days import on_meeting_day
from tests.test_meeting_docs import held_meeting, pdf_text
from tests.test_meetings_service import complete_app, open_meeting, seat_members
from tests.test_minutes_adoption import next_meeting

LEFT = Qt.MouseButton.LeftButton
pytestmark = pytest.mark.usefixtures("answers")


def view_of(qtbot, ctx, meeting_id) -> MeetingView:
    v = MeetingView(ctx)
    qtbot.addWidget(v)
    v.resize(1200, 900)
    v.show()
    qtbot.waitExposed(v)
    v.activateWindow()
    qtbot.waitUntil(v.isActiveWindow, timeout=2000)
    v.load(meeting_id)
    return v


def select_title(v: MeetingView, title: str) -> None:
    row = next(r for r, it in enumerate(v.model.items()) if it.title == title)
    v.select_row(row)


def test_general_minutes_are_typed_saved_with_ctrl_s_and_printed(qtbot, sqlite_ctx):
    """Issue 14: the meeting's general minutes are typed in the meeting view, saved with Ctrl+S and printed
    under "Algemeen" in the minutes."""
    seat_members(sqlite_ctx)
    mid = open_meeting(sqlite_ctx, [complete_app(sqlite_ctx, "71717171")])
    v = view_of(qtbot, sqlite_ctx, mid)
    editor = v.general_minutes.editor
    assert not editor.isReadOnly()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus, timeout=2000)
    qtbot.keyClicks(editor, "De voorzitter memoreert het jaarverslag.")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert meeting_detail.get_meeting(sqlite_ctx, mid).minutes == "De voorzitter memoreert het jaarverslag."
    assert "Algemeen De voorzitter memoreert het jaarverslag." in pdf_text(docs.minutes_pdf(sqlite_ctx, mid))


def test_a_stale_general_minutes_save_is_refused_and_keeps_the_typed_text(qtbot, sqlite_ctx, monkeypatch):
    """Issue 14: when someone else saved the general minutes meanwhile, the save is refused with their name and
    what was typed stays in the editor (nothing is overwritten silently)."""
    seat_members(sqlite_ctx)
    mid = open_meeting(sqlite_ctx, [complete_app(sqlite_ctx, "72727272")])
    v = view_of(qtbot, sqlite_ctx, mid)
    meeting_closing.set_meeting_minutes(make_ctx(sqlite_ctx.db, "Vera Voorzitter", Role.CHAIR), mid, "Van Vera.")
    shown: list[Exception] = []
    monkeypatch.setattr("commissie_app.ui.meeting_actions.show_error", lambda parent, err: shown.append(err))
    editor = v.general_minutes.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "Mijn tekst.")
    qtbot.mouseClick(v.general_minutes.save_button, LEFT)
    assert len(shown) == 1 and isinstance(shown[0], StaleEditError) and "Vera Voorzitter" in str(shown[0])
    assert meeting_detail.get_meeting(sqlite_ctx, mid).minutes == "Van Vera."
    assert editor.toPlainText() == "Mijn tekst."


def test_verslag_vaststellen_on_the_standard_item_adopts_the_previous_minutes(qtbot, sqlite_ctx, answers):
    """Issue 14: on "Verslag vorige vergadering" of the opened next meeting, 'Verslag vaststellen…' asks first,
    then records the adoption; the previous minutes then print the adoption date."""
    held, _k = held_meeting(sqlite_ctx)
    nxt = next_meeting(sqlite_ctx)
    ctx = on_meeting_day(sqlite_ctx, nxt)
    v = view_of(qtbot, ctx, nxt)
    select_title(v, PREVIOUS_MINUTES_ITEM)
    box = v.previous_minutes
    assert box.isVisible()
    assert "17 november 2026 is nog een concept" in box.state.text()
    queue, asked = answers
    queue.append(1)  # Annuleren
    qtbot.mouseClick(box.adopt_button, LEFT)
    assert meeting_detail.get_meeting(ctx, held).minutes_adopted_on is None
    queue.append(0)  # Verslag vaststellen
    qtbot.mouseClick(box.adopt_button, LEFT)
    assert "Vastgesteld in de vergadering van 22 december 2026" in asked[-1]
    assert "is vastgesteld in de vergadering van 22 december 2026" in box.state.text()
    assert not box.adopt_button.isVisible()
    assert "Vastgesteld in de vergadering van 22 december 2026" in pdf_text(docs.minutes_pdf(ctx, held))
    select_title(v, "Opening")
    assert not box.isVisible()


def test_a_member_sees_the_adoption_but_cannot_record_it(qtbot, sqlite_ctx):
    """Issue 14: only the roles that record decisions (chair, secretary) may adopt the minutes."""
    held_meeting(sqlite_ctx)
    nxt = next_meeting(sqlite_ctx)
    member = dataclasses.replace(make_ctx(sqlite_ctx.db, "Mo Lid", Role.MEMBER), today=sqlite_ctx.today)
    v = view_of(qtbot, member, nxt)
    select_title(v, PREVIOUS_MINUTES_ITEM)
    assert v.previous_minutes.adopt_button.isVisible() and not v.previous_minutes.adopt_button.isEnabled()
    assert v.general_minutes.editor.isReadOnly()

