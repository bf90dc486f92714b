"""Issue 12, register UI: the Register page, the recognition detail, the "Te doen" view and the
re-assessments proposed for a meeting's agenda, through the real widgets on the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from commissie_app.domain.codes import Role, Status
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.recognition import Purpose
from commissie_app.services import applications, meeting_planning, recognitions
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.main_window import PAGES, MainWindow
from commissie_app.ui.meetings_page import MeetingsPage
from commissie_app.ui.reassessment_dialog import ReassessmentDialog
from commissie_app.ui.recognition_dialog import RecognitionDialog
from commissie_app.ui.register_model import Column
from tests.conftest import TODAY, make_ctx

LAUNDRY = "Wasserette Werkkans (demo)"
STEEL = "Staalstart IJmond Leerbedrijf (demo)"
ZZP = "Zzp Duurzaam Advies Zandvoort (demo)"


def short(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def window_for(qtbot, ctx) -> MainWindow:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=2000)
    return w


def register(qtbot, w: MainWindow):
    w.show_page(PAGES.index("register"))
    qtbot.waitUntil(lambda: w.register_page is not None)
    return w.register_page


def cells(page) -> dict[str, list[str]]:
    m = page.model
    return {m.index(r, 0).data(): [m.index(r, c).data() for c in Column] for r in range(m.rowCount())}


def names(page) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_register_page_shows_the_demo_recognitions_with_status_and_dates(qtbot, demo):
    """Issue 12: the Register page replaces the placeholder and shows each recognition with its status
    (withdrawn, expiring with its certificate, converted to full), criteria, kenmerk and every date."""
    w = window_for(qtbot, demo)
    page = register(qtbot, w)
    shown = cells(page)
    assert sorted(shown) == sorted([LAUNDRY, STEEL, ZZP])
    rows = {r.name: r for r in recognitions.list_register(demo)}
    laundry = shown[LAUNDRY]
    assert laundry[Column.STATUS] == "verloopt binnenkort"
    assert laundry[Column.KVK] == "90000013" and laundry[Column.MUNICIPALITY] == "Haarlem"
    assert laundry[Column.CRITERIA] == "B Corp" and laundry[Column.KENMERK] == rows[LAUNDRY].kenmerk
    end = short(TODAY + dt.timedelta(days=60))
    assert laundry[Column.VALID_UNTIL] == end and laundry[Column.CERTIFICATE_UNTIL] == end
    assert laundry[Column.VALID_FROM] == short(rows[LAUNDRY].valid_from)
    assert shown[STEEL][Column.STATUS] == "ingetrokken"
    assert shown[ZZP][Column.STATUS] == "erkend" and shown[ZZP][Column.DEADLINE] == ""
    assert page.counts_label.text() == "3 van 3 erkenningen"


def test_search_filters_and_sort(qtbot, demo):
    """Issue 12: search on name, KvK, kenmerk; filters on status and municipality; sortable columns;
    Ctrl+F goes to the search box and Enter from it to the table."""
    w = window_for(qtbot, demo)
    page = register(qtbot, w)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "90000013")
    page.apply_search()
    assert names(page) == [LAUNDRY]
    page.search.clear()
    qtbot.keyClicks(page.search, recognitions.list_register(demo)[0].kenmerk)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert names(page) == [recognitions.list_register(demo)[0].name] and page.table.hasFocus()
    page.search.clear()
    page.apply_search()
    page.status_combo.setCurrentIndex(page.status_combo.findText("ingetrokken"))
    assert names(page) == [STEEL]
    page.status_combo.setCurrentIndex(0)
    page.municipality_combo.setCurrentIndex(page.municipality_combo.findText("Zandvoort"))
    assert names(page) == [ZZP]
    page.municipality_combo.setCurrentIndex(0)
    page.table.sortByColumn(Column.VALID_UNTIL, Qt.SortOrder.AscendingOrder)
    assert names(page)[0] == LAUNDRY
    page.table.sortByColumn(Column.ORGANISATION, Qt.SortOrder.DescendingOrder)
    assert names(page) == sorted([LAUNDRY, STEEL, ZZP], reverse=True)


def open_with_enter(qtbot, page, name: str) -> RecognitionDialog:
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(names(page).index(name), 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.detail_dialog is not None and page.detail_dialog.isVisible())
    return page.detail_dialog


def column(table, c: int) -> list[str]:
    return [table.item(r, c).text() for r in range(table.rowCount())]


def test_detail_shows_the_whole_history_follow_ups_and_documents(qtbot, demo, monkeypatch):
    """Issue 12: Enter opens a recognition: its history (granted, then withdrawn, with kenmerken, dates and
    the reason), the reassessment that withdrew it, and its decision letters."""
    from commissie_app.services import letter_generation, meeting_detail

    first = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.CLOSED
                 and any(i.decision for i in meeting_detail.get_meeting(demo, m.id).items))
    letter_generation.generate_letters(demo, first)  # (the withdrawal's letter is the letters' part)
    w = window_for(qtbot, demo)
    page = register(qtbot, w)
    dialog = open_with_enter(qtbot, page, STEEL)
    assert dialog.windowTitle() == f"Erkenning: {STEEL}"
    assert column(dialog.history, 1) == ["erkend", "ingetrokken"]
    rec = recognitions.get_recognition(demo, dialog.recognition_id)
    assert column(dialog.history, 2) == [e.kenmerk for e in rec.history]
    assert "ingetrokken" in dialog.history.item(1, 5).text()
    assert column(dialog.follow_ups, 1) == ["herbeoordeling"]
    assert column(dialog.letter_table, 0) == ["besluitbrief (toegekend)"]
    assert column(dialog.letter_table, 1) == [rec.history[0].kenmerk]
    assert column(dialog.letter_table, 4) == ["niet verzonden"]
    shown_pdf = []
    monkeypatch.setattr("commissie_app.ui.pdf_preview.PdfPreviewDialog.open", lambda self: shown_pdf.append(self))
    dialog.letter_table.setFocus()
    dialog.letter_table.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.letter_table, Qt.Key.Key_Return)
    assert len(shown_pdf) == 1 and rec.history[0].kenmerk in shown_pdf[0].windowTitle()
    assert not dialog.action_buttons  # withdrawn: nothing to follow up
    opened = []
    dialog.sig_open_application.connect(opened.append)
    dialog.follow_ups.setFocus()
    dialog.follow_ups.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.follow_ups, Qt.Key.Key_Return)
    assert opened == [rec.follow_ups[0].application_id]


def test_verlengen_starts_the_follow_up_and_opens_it_in_the_editor(qtbot, demo, answers):
    """Issue 12: 'Verlengen…' asks, makes the renewal (linked to the recognition) and opens it in the editor;
    the list shows it; cancelling makes nothing."""
    queue, asked = answers
    w = window_for(qtbot, demo)
    page = register(qtbot, w)
    dialog = open_with_enter(qtbot, page, LAUNDRY)
    assert set(dialog.action_buttons) == {Purpose.REASSESSMENT, Purpose.RENEWAL}  # full: no conversion
    queue.append(1)
    qtbot.mouseClick(dialog.action_buttons[Purpose.RENEWAL], Qt.MouseButton.LeftButton)
    assert recognitions.get_recognition(demo, dialog.recognition_id).follow_ups == ()
    queue.append(0)
    qtbot.mouseClick(dialog.action_buttons[Purpose.RENEWAL], Qt.MouseButton.LeftButton)
    assert "verlenging" in asked[-1] and LAUNDRY in asked[-1]
    (follow,) = recognitions.get_recognition(demo, dialog.recognition_id).follow_ups
    assert follow.purpose is Purpose.RENEWAL and follow.status is Status.RECEIVED
    assert follow.application_id in w._editors
    assert w.applications.model.row_of(follow.application_id) is not None
    assert not dialog.isVisible()


def test_a_member_sees_no_secretary_actions_and_no_todo(qtbot, demo):
    """Issue 12: a member reads the register and a recognition, without follow-up buttons, and has no
    "Te doen" view; the chair has the view."""
    member = window_for(qtbot, make_ctx(demo.db, "Lars Lid", Role.MEMBER))
    assert member.todo_view is None
    page = register(qtbot, member)
    assert len(names(page)) == 3
    dialog = open_with_enter(qtbot, page, LAUNDRY)
    assert dialog.action_buttons == {}
    chair = window_for(qtbot, make_ctx(demo.db, "Cor Voorzitter", Role.CHAIR))
    assert chair.todo_view is not None and chair.todo_view.isVisible()


def test_todo_view_rows_and_where_they_lead(qtbot, demo, monkeypatch):
    """Issue 12: the secretary's start page shows "Te doen": the laundry's badge and certificate ending; its
    button opens the recognition on the Register page; an overdue request opens the application; a letter
    made but not sent opens the meeting's letters dialog; the view is on the start page only."""
    from commissie_app.services import letter_generation, meeting_detail

    w = window_for(qtbot, demo)
    todo = w.todo_view
    assert todo.isVisible()
    assert [(todo.table.item(r, 1).text(), todo.table.item(r, 2).text()) for r in range(todo.table.rowCount())] == [
        ("SROI-badge loopt af", LAUNDRY), ("Certificaat loopt af", LAUNDRY)]
    assert todo.table.item(0, 0).text() == "22 januari 2027"
    assert todo.open_button.text() == "Erkenning openen…"
    qtbot.mouseClick(todo.open_button, Qt.MouseButton.LeftButton)
    page = w.register_page
    assert w.stack.currentIndex() == PAGES.index("register") and not todo.isVisible()
    assert page.detail_dialog.isVisible() and page.detail_dialog.detail.row.name == LAUNDRY
    page.detail_dialog.close()
    w.show_page(0)
    assert todo.isVisible()

    closed = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.CLOSED
                  and any(i.decision for i in meeting_detail.get_meeting(demo, m.id).items))
    letter_generation.generate_letters(demo, closed)
    later = make_ctx(demo.db)
    object.__setattr__(later, "today", lambda: TODAY + dt.timedelta(days=15))
    w.set_context(later)
    todo = w.todo_view
    kinds = [r.kind for r in todo.rows]
    request = kinds.index("info_request")
    todo.table.setFocus()
    todo.table.setCurrentCell(request, 0)
    qtbot.keyClick(todo.table, Qt.Key.Key_Return)
    assert todo.rows[request].application_id in w._editors
    letter = kinds.index("letter")
    todo.go(letter)
    assert w.letters_dialog.isVisible() and w.letters_dialog.selected().id == todo.rows[letter].letter_id


def test_agenda_proposal_puts_the_follow_up_on_the_agenda(qtbot, demo, monkeypatch):
    """Issue 12: in the planned meeting, 'Herbeoordelingen…' proposes the laundry (renewal); accepting makes
    the follow-up application and puts it on the agenda in one step."""
    seen = []

    def accept(dialog):
        seen.append([(dialog.table.item(r, 0).text(), dialog.combos[r].currentText())
                     for r in range(dialog.table.rowCount())])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReassessmentDialog, "exec", accept)
    page = MeetingsPage(demo)
    qtbot.addWidget(page)
    page.resize(1366, 740)
    page.show()
    planned = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.PLANNED)
    page.open_meeting(planned)
    view = page.meeting_view
    assert view.add_reassessments_button.isEnabled()
    qtbot.mouseClick(view.add_reassessments_button, Qt.MouseButton.LeftButton)
    assert seen == [[(LAUNDRY, "verlenging")]]
    items = [i for i in view.model.items() if i.kind is ItemKind.APPLICATION]
    rec = next(r for r in recognitions.list_register(demo) if r.name == LAUNDRY)
    (follow,) = recognitions.get_recognition(demo, rec.id).follow_ups
    assert follow.application_id in {i.application_id for i in items}
    assert applications.get_application(demo, follow.application_id).status is Status.SCHEDULED
    assert view.current_item().application_id == follow.application_id
    QApplication.processEvents()


def test_a_member_cannot_propose_reassessments(qtbot, demo):
    """Issue 12: the button is off for a member (and the chair, who registers no applications)."""
    for role in (Role.MEMBER, Role.CHAIR):
        page = MeetingsPage(make_ctx(demo.db, f"Iemand {role.value}", role))
        qtbot.addWidget(page)
        planned = next(m.id for m in meeting_planning.list_meetings(demo) if m.status is MeetingStatus.PLANNED)
        page.open_meeting(planned)
        assert not page.meeting_view.add_reassessments_button.isEnabled()


def test_a_conditional_recognition_offers_conversion(qtbot, sqlite_ctx, answers):
    """Issue 12: a conditional recognition shows 'Voorwaardelijk tot' and the evidence owed, and offers
    'Omzetten naar volledige erkenning…', which starts a conversion and opens it in the editor."""
    from commissie_app.domain.codes import Criterion, DecisionType
    from tests.test_recognitions import _complete, _decide, on, seat_members

    members = seat_members(sqlite_ctx)
    first = _complete(sqlite_ctx, "10000007", Criterion.STARTUP, founded=dt.date(2025, 2, 1))
    _decide(sqlite_ctx, members, first, DecisionType.CONDITIONAL, day=dt.datetime(2026, 12, 1, 14),
            criteria_met=[Criterion.STARTUP])
    later = on(sqlite_ctx, dt.date(2027, 3, 1))
    w = window_for(qtbot, later)
    page = register(qtbot, w)
    (row,) = cells(page).values()
    assert row[Column.STATUS] == "voorwaardelijk erkend" and row[Column.DEADLINE] == "30-11-2028"  # issue 14
    dialog = open_with_enter(qtbot, page, "Org 10000007")
    assert dialog.fact_labels["Nog te leveren"].text()
    queue, _asked = answers
    queue.append(0)
    qtbot.mouseClick(dialog.action_buttons[Purpose.CONVERSION], Qt.MouseButton.LeftButton)
    (follow,) = recognitions.get_recognition(later, dialog.recognition_id).follow_ups
    assert follow.purpose is Purpose.CONVERSION and follow.application_id in w._editors


def test_the_page_exports_the_register_like_the_file_menu(qtbot, demo, monkeypatch, tmp_path, message_boxes):
    """Issue 12: 'Exporteren voor KIP…' on the Register page writes the public register (here JSON) like
    Bestand › Register exporteren…"""
    import json

    from PySide6.QtWidgets import QFileDialog

    from commissie_app.ui import tasks

    monkeypatch.setattr(tasks, "SYNCHRONOUS", True)
    target = tmp_path / "register.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    w = window_for(qtbot, demo)
    page = register(qtbot, w)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists)
    text = target.read_text(encoding="utf-8")
    assert LAUNDRY in text and ZZP in text and json.loads(text)


def test_todo_other_letters_open_the_letters_dialog(qtbot, demo):
    """Issue 12: an acknowledgement made but not sent is in "Te doen"; it opens the dialog of the other
    letters with that letter selected; once sent it is gone."""
    from commissie_app.domain.correspondence import LetterKind
    from commissie_app.services import correspondence
    from commissie_app.ui.correspondence_dialogs import CorrespondenceDialog

    app_id = next(r.application_id for r in applications_list(demo) if r.status is Status.RECEIVED)
    info = correspondence.make_letter(demo, LetterKind.ACKNOWLEDGEMENT, app_id)
    w = window_for(qtbot, demo)
    todo = w.todo_view
    index = next(i for i, r in enumerate(todo.rows) if r.letter_id == info.id)
    assert todo.rows[index].text.startswith("Ontvangstbevestiging")
    todo.table.setCurrentCell(index, 0)
    assert todo.open_button.text() == "Brieven openen…"
    qtbot.mouseClick(todo.open_button, Qt.MouseButton.LeftButton)
    assert isinstance(w.letters_dialog, CorrespondenceDialog) and w.letters_dialog.selected().id == info.id
    correspondence.mark_sent(demo, info.id, TODAY, "post")
    w.letters_dialog.close()
    assert info.id not in {r.letter_id for r in w.todo_view.rows}


def applications_list(ctx):
    from commissie_app.services.application_rows import list_rows

    return list_rows(ctx)
