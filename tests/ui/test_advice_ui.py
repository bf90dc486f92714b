"""Issue 15: the advice register and the developments log through the widgets: the "Advies en ontwikkelingen"
window with its dialogs, the memo preview, the delete confirmation, the read-only view of a member, and the
panel of the two standard agenda items in the meeting view (adopting an advice there)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.advice import ADVICE_ITEM, DEVELOPMENTS_ITEM, AdviceData, AdviceStatus, DevelopmentData
from commissie_app.domain.codes import Role
from commissie_app.domain.meetings import MeetingStatus
from commissie_app.services import advice, advice_memos, developments, meeting_detail
from commissie_app.ui import advice_page
from commissie_app.ui.advice_dialogs import AdviceDialog, DevelopmentDialog, ResponseDialog, SentDialog
from commissie_app.ui.advice_page import AdviceWindow
from commissie_app.ui.pdf_preview import PdfPreviewDialog
from tests.conftest import make_ctx
from tests.meeting_days import step
from tests.ui.test_meetings_ui import activate, click, dialogs, members, page, plan, type_into  # noqa: F401

pytestmark = pytest.mark.usefixtures("answers")


@pytest.fixture
def window(qtbot, sqlite_ctx):
    """``window(ctx)``: the "Advies en ontwikkelingen" window, shown; kept until the test's widgets are closed
    (its dialogs are its children)."""
    made = []

    def make(ctx=sqlite_ctx):
        w = AdviceWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w
    yield make


def _rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_secretary_records_an_advice_sends_it_and_records_the_response(qtbot, window, sqlite_ctx, dialogs,
                                                                           members, message_boxes):
    """Issue 15: Nieuw advies… (a missing 'asked by' is shown under its field), adopted in a meeting, Verzonden…,
    Reactie…; the table shows the status at each step."""
    w = window()
    tab = w.page.advice
    assert not tab.sent_button.isEnabled() and not tab.edit_button.isEnabled()

    def fill(dlg: AdviceDialog):
        qtbot.keyClicks(dlg.subject, "Herbeoordeling na twee jaar")
        type_into(qtbot, dlg.asked_on, "01-09-2026")
        qtbot.keyClicks(dlg.text, "Beoordeel erkenningen na twee jaar opnieuw.")
        click(qtbot, dlg.ok_button)
        assert dlg.isVisible() and dlg.boxes["asked_by"].error() == "Vul in wie om het advies heeft gevraagd."
        qtbot.keyClicks(dlg.asked_by, "Jan de Vries")
        click(qtbot, dlg.ok_button)

    dialogs.drive(AdviceDialog, fill)
    click(qtbot, tab.new_button)
    assert _rows(tab.table) == [["Herbeoordeling na twee jaar", "gevraagd", "", "", "in voorbereiding"]]
    assert "Aanleiding: gevraagd door Jan de Vries op 1 september 2026" in tab.detail.text()
    assert "Beoordeel erkenningen na twee jaar opnieuw." in tab.detail.text()
    assert tab.edit_button.isEnabled() and not tab.sent_button.isEnabled()  # not adopted yet

    mid = plan(sqlite_ctx, dt.datetime(2026, 11, 10, 14, 0))
    step(sqlite_ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    item = next(i for i in meeting_detail.get_meeting(sqlite_ctx, mid).items if i.title == ADVICE_ITEM)
    a = tab.current()
    advice.adopt_advice(sqlite_ctx, a.id, item.id, expected_version=a.version)
    tab.reload()

    def sent(dlg: SentDialog):
        type_into(qtbot, dlg.sent_on, "12-11-2026")
        click(qtbot, dlg.ok_button)

    dialogs.drive(SentDialog, sent)
    click(qtbot, tab.sent_button)
    assert _rows(tab.table)[0][2:] == ["10 november 2026", "12 november 2026", "verzonden, wacht op reactie"]
    assert f"Vastgesteld in de vergadering van 10 november 2026, agendapunt {item.position + 1}" in tab.detail.text()
    assert not tab.edit_button.isEnabled()  # a sent advice is fixed

    def respond(dlg: ResponseDialog):
        type_into(qtbot, dlg.response_on, "20-11-2026")
        qtbot.keyClicks(dlg.response, "Het team neemt het advies over.")
        click(qtbot, dlg.ok_button)

    dialogs.drive(ResponseDialog, respond)
    click(qtbot, tab.response_button)
    assert _rows(tab.table)[0][4] == "beantwoord"
    assert "Reactie van 20 november 2026:\nHet team neemt het advies over." in tab.detail.text()
    assert advice.get_advice(sqlite_ctx, a.id).status is AdviceStatus.ANSWERED


def test_the_memo_is_made_previewed_and_saved_from_the_archive(qtbot, window, sqlite_ctx, tmp_path, monkeypatch):
    """Issue 15: Memo maken… makes the memo and shows its pages in the preview; a second click re-uses the
    archived version; Memo openen… (an observer too) shows the archived memo; Memo opslaan… writes it."""
    advice.add_advice(sqlite_ctx, AdviceData("Criteria uitleggen op KIP", False, "Leg de criteria uit."))
    w = window()
    tab = w.page.advice
    assert not tab.save_memo_button.isEnabled()
    click(qtbot, tab.memo_button)
    preview = tab.preview_dialog
    qtbot.addWidget(preview)
    assert isinstance(preview, PdfPreviewDialog) and preview.isVisible() and len(preview.pages) == 1
    assert preview.windowTitle() == "Adviesmemo – Criteria uitleggen op KIP (versie 1)"
    click(qtbot, tab.memo_button)
    qtbot.addWidget(tab.preview_dialog)
    assert tab.preview_dialog.windowTitle().endswith("(versie 1)")  # unchanged: no second copy
    [memo] = advice_memos.list_memos(sqlite_ctx, tab.current_id())
    reader = window(make_ctx(sqlite_ctx.db, "Wim Waarnemer", Role.OBSERVER)).page.advice
    assert not reader.memo_button.isEnabled()
    click(qtbot, reader.open_memo_button)  # an observer opens the archived memo, as it was made
    qtbot.addWidget(reader.preview_dialog)
    assert reader.preview_dialog.pdf == advice_memos.memo_pdf(sqlite_ctx, memo.id)
    target = tmp_path / "memo.pdf"
    monkeypatch.setattr(advice_page.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    click(qtbot, tab.save_memo_button)
    assert target.read_bytes() == advice_memos.memo_pdf(sqlite_ctx, memo.id)


def test_developments_are_added_changed_and_deleted_after_confirmation(qtbot, window, sqlite_ctx, dialogs, answers):
    """Issue 15: Nieuwe ontwikkeling…, Wijzigen…, and Verwijderen (or the Delete key) only after the question
    was answered with Verwijderen."""
    queue, asked = answers
    w = window()
    w.page.tabs.setCurrentWidget(w.page.developments)
    tab = w.page.developments

    def fill(dlg: DevelopmentDialog):
        type_into(qtbot, dlg.happened_on, "03-11-2026")
        qtbot.keyClicks(dlg.topic, "KIP telt 53 bedrijven")
        qtbot.keyClicks(dlg.source_link, "kennemerinkoopplatform.nl")
        click(qtbot, dlg.ok_button)
        assert dlg.boxes["source_link"].error() == "Een bronlink begint met http:// of https://."
        type_into(qtbot, dlg.source_link, "https://kennemerinkoopplatform.nl/")
        qtbot.keyClicks(dlg.note, "Cijfers van het team.")
        click(qtbot, dlg.ok_button)

    dialogs.drive(DevelopmentDialog, fill)
    click(qtbot, tab.new_button)
    assert _rows(tab.table) == [["3 november 2026", "KIP telt 53 bedrijven", "https://kennemerinkoopplatform.nl/",
                                 "Sanne Secretaris"]]
    assert tab.note.text() == "Cijfers van het team.\nBron: https://kennemerinkoopplatform.nl/"

    def change(dlg: DevelopmentDialog):
        type_into(qtbot, dlg.topic, "KIP telt 54 bedrijven")
        click(qtbot, dlg.ok_button)

    dialogs.drive(DevelopmentDialog, change)
    click(qtbot, tab.edit_button)
    assert _rows(tab.table)[0][1] == "KIP telt 54 bedrijven"

    click(qtbot, tab.delete_button)  # nothing queued: the question is answered with Annuleren
    assert asked[-1].startswith("De ontwikkeling ‘KIP telt 54 bedrijven’ van 3 november 2026 verwijderen?")
    assert tab.table.rowCount() == 1
    queue.append(0)  # Verwijderen
    activate(qtbot, tab.table)
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus, timeout=2000)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert tab.table.rowCount() == 0 and developments.list_developments(sqlite_ctx) == []
    assert tab.note.text() == "Nog geen ontwikkelingen vastgelegd."


def test_a_member_reads_the_register_and_the_log_but_changes_nothing(qtbot, window, sqlite_ctx):
    """Issue 15: members and observers read; every button that would change something is off."""
    advice.add_advice(sqlite_ctx, AdviceData("Criteria uitleggen op KIP", False, "Leg de criteria uit."))
    developments.add_development(sqlite_ctx, DevelopmentData(dt.date(2026, 11, 3), "KIP telt 53 bedrijven"))
    w = window(make_ctx(sqlite_ctx.db, "Lars Lid", Role.MEMBER))
    tab, log = w.page.advice, w.page.developments
    assert _rows(tab.table)[0][0] == "Criteria uitleggen op KIP" and log.table.rowCount() == 1
    for button in (tab.new_button, tab.edit_button, tab.sent_button, tab.response_button, tab.memo_button,
                   log.new_button, log.edit_button, log.delete_button):
        assert not button.isEnabled(), button.text()


def test_the_standard_items_of_the_meeting_view_list_the_advice_and_adopt_one(qtbot, page, sqlite_ctx, members,
                                                                              dialogs):
    """Issue 15: in the opened meeting the item "Advies aan het Coördinatieteam" lists the open advice and adopts
    the chosen one there (its meeting and item recorded); "Ontwikkelingen Impact Ondernemen" lists the
    developments since the meeting before; other items show neither."""
    draft = advice.add_advice(sqlite_ctx, AdviceData("Criteria uitleggen op KIP", False, "Leg de criteria uit."))
    developments.add_development(sqlite_ctx, DevelopmentData(dt.date(2026, 11, 3), "KIP telt 53 bedrijven"))
    mid = plan(sqlite_ctx, dt.datetime(2026, 11, 10, 14, 0))
    step(sqlite_ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    page.open_meeting(mid)
    view = page.meeting_view
    titles = [it.title for it in view.model.items()]
    panel = view.advice_panel

    view.select_row(titles.index("Opening"))
    assert not panel.isVisible()
    view.select_row(titles.index(DEVELOPMENTS_ITEM))
    assert panel.isVisible() and panel.title() == "Ontwikkelingen sinds 11 mei 2026"
    assert [panel.list.item(r).text() for r in range(panel.list.count())] == [
        "3 november 2026: KIP telt 53 bedrijven"]
    assert not panel.adopt_button.isVisible()

    view.select_row(titles.index(ADVICE_ITEM))
    assert panel.title() == "Openstaande adviezen"
    assert panel.list.item(0).text() == "Criteria uitleggen op KIP (ongevraagd; in voorbereiding)"
    assert not panel.adopt_button.isEnabled()  # nothing chosen yet
    panel.list.setCurrentRow(0)
    with qtbot.waitSignal(view.sig_changed):
        click(qtbot, panel.adopt_button)
    a = advice.get_advice(sqlite_ctx, draft)
    item = next(i for i in meeting_detail.get_meeting(sqlite_ctx, mid).items if i.title == ADVICE_ITEM)
    assert (a.meeting_id, a.agenda_item_id, a.adopted_on) == (mid, item.id, dt.date(2026, 11, 10))
    assert panel.list.item(0).text() == "Vastgesteld: Criteria uitleggen op KIP (ongevraagd)"

    shown = []
    dialogs.drive(AdviceWindow, lambda dlg: shown.append(dlg.page.tabs.currentWidget()))
    click(qtbot, panel.register_button)
    assert shown and shown[0] is dialogs.seen[-1].page.advice


def test_the_meetings_page_opens_the_advice_window(qtbot, page, dialogs):
    """Issue 15: "Advies en ontwikkelingen…" beside the heading of the meetings page."""
    dialogs.drive(AdviceWindow, lambda dlg: None)
    click(qtbot, page.planner.advice_button)
    assert dialogs.seen[-1].windowTitle() == "Advies en ontwikkelingen"
