"""Issue 13: the projector view on the demo meetings. It fits every screen it may be shown on (its minimum
size, and its text without cutting anything off), follows the secretary's current agenda item and moves it
along, is neutral before the meeting opens, and opens on the projector when there are two screens.

Screens other than the offscreen one are stand-ins (``Display`` without a ``QScreen``): the page's and the
view's ``screens`` function is replaced."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel

from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Attendance
from commissie_app.services import (
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
)
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.meetings_page import MeetingsPage
from commissie_app.ui.presentation_screens import Display
from commissie_app.ui.presentation_view import PresentationView

# screens in logical pixels: four laptops and projectors at 100 %, and a 1366x768 laptop at 150 %
SCREENS = ((1024, 768), (1280, 720), (1366, 768), (1920, 1080), (911, 512))


def display(name: str, x: int, width: int, height: int) -> Display:
    geometry = QRect(x, 0, width, height)
    return Display(name, geometry, geometry.adjusted(0, 0, 0, -28), (width, height))


LAPTOP = display("eDP-1", 0, 1366, 768)
BEAMER = display("HDMI-1", 1366, 1920, 1080)


@pytest.fixture
def demo(sqlite_ctx):
    create_demo_data(sqlite_ctx)
    return sqlite_ctx


def meeting_id(ctx, status: MeetingStatus):
    return next(r.id for r in meeting_planning.list_meetings(ctx) if r.status is status)


def open_planned(ctx, present: int = 5):
    """The demo's planned meeting, opened on its day with ``present`` seat holders present."""
    mid = meeting_id(ctx, MeetingStatus.PLANNED)
    detail = meeting_detail.get_meeting(ctx, mid)
    on_the_day = dataclasses.replace(ctx, today=lambda: detail.local_start.date())
    meeting_closing.set_status(on_the_day, mid, MeetingStatus.AGENDA_SET)
    meeting_closing.set_status(on_the_day, mid, MeetingStatus.OPEN)
    for a in detail.attendees[:present]:
        meeting_attendance.set_attendance(on_the_day, mid, a.member_id, Attendance.PRESENT)
    return mid


def shown_text(pres: PresentationView) -> str:
    return "\n".join(label.text() for label in pres.findChildren(QLabel) if label.isVisibleTo(pres))


def first_application(pres: PresentationView):
    return next(i for i in pres.items() if i.kind is ItemKind.APPLICATION)


LONG_TITLE = ("Voorstel van het Coördinatieteam over herbeoordelingen, termijnen voor bewijsstukken, verlopende "
              "erkenningen met een vervolgaanvraag in behandeling, het archiveren van besluitbrieven, het register "
              "op de SROI-pagina van het Kennemer Inkoop Platform en het verslag aan de zeven deelnemende gemeenten")
assert len(LONG_TITLE) <= 300  # the column's length


def test_the_projector_view_fits_each_screen_and_scales_its_type(qtbot, demo):
    """Issue 13: on a screen of each size (full screen there), the window's minimum size and minimum size hint
    fit the screen (they were 1296 px high at 1920 wide, 905 at 1280, 782 at 1024), and on every agenda item of
    an open meeting (one with a title as long as may be stored) no text is cut off. The type is larger on a
    larger screen, and shrinks with the window."""
    meeting_agenda.add_free_item(demo, meeting_id(demo, MeetingStatus.PLANNED), LONG_TITLE)
    detail = meeting_detail.get_meeting(demo, open_planned(demo, present=3))
    title_type = {}
    for width, height in SCREENS:
        screen = display("Scherm", 0, width, height)
        pres = PresentationView(detail, screens=lambda s=screen: [s])
        qtbot.addWidget(pres)
        pres.show_on(screen, full_screen=False)
        qtbot.waitExposed(pres)
        assert screen.available.contains(pres.frameGeometry()), f"{pres.frameGeometry()} outside {screen.available}"
        pres.resize(width, height)  # as full screen on it
        qtbot.waitUntil(lambda: pres.width() == width and pres.height() == height)
        for n, item in enumerate(pres.items()):
            pres.show_item(item.id)
            QApplication.processEvents()
            for size in (pres.minimumSize(), pres.minimumSizeHint()):
                assert size.width() <= width and size.height() <= height, f"needs {size} on a {width}x{height} screen"
            assert pres.text_fits(), f"{width}x{height}: text cut off on item {n + 1}: {item.title!r}"
            assert pres.hint_label.geometry().bottom() <= height
        pres.show_item(first_application(pres).id)
        QApplication.processEvents()
        title_type[width, height] = pres.title_label.font().pointSizeF()
        pres.resize(width // 2, height // 2)
        qtbot.waitUntil(lambda: pres.width() == width // 2)
        QApplication.processEvents()
        assert pres.title_label.font().pointSizeF() < title_type[width, height]
        assert pres.text_fits()
        pres.close()
    assert title_type[1920, 1080] > title_type[1366, 768] > title_type[911, 512]


def test_text_longer_than_the_screen_gets_smaller_type(qtbot, demo):
    """Issue 13: should an item need more room than the screen has at the usual type size (here a title three
    times the longest that can be stored), the type shrinks until it fits rather than the window growing
    beyond the screen or the text being cut off."""
    detail = meeting_detail.get_meeting(demo, open_planned(demo))
    item = next(i for i in detail.items if i.kind is ItemKind.APPLICATION)
    huge = dataclasses.replace(item, title=" ".join([LONG_TITLE] * 3))
    detail = dataclasses.replace(detail, items=tuple(huge if i.id == item.id else i for i in detail.items))
    pres = PresentationView(detail)
    qtbot.addWidget(pres)
    pres.show()
    pres.resize(911, 512)
    qtbot.waitUntil(lambda: pres.width() == 911 and pres.height() == 512)
    pres.show_item(item.id)
    QApplication.processEvents()
    assert pres.title_label.text() == huge.title
    assert pres.text_fits() and pres.minimumSizeHint().height() <= 512
    assert pres.title_label.font().pointSizeF() < 1.6 * 512 / 36  # smaller than the window's usual type


def test_the_projector_and_the_meeting_view_follow_each_other(qtbot, demo, message_boxes):
    """Issue 13: clicking another agenda item in the meeting view moves the projector; PageDown / PageUp and the
    arrow keys on the projector move the meeting view's current item along. Attendance still shows at once."""
    mid = open_planned(demo)
    page = MeetingsPage(demo)
    qtbot.addWidget(page)
    page.show()
    page.open_meeting(mid)
    view = page.meeting_view
    qtbot.mouseClick(view.present_button, Qt.MouseButton.LeftButton)
    pres = page.presentation
    qtbot.waitExposed(pres)
    items = view.model.items()
    row = next(r for r, it in enumerate(items) if it.kind is ItemKind.FREE)
    rect = view.agenda.visualRect(view.model.index(row))
    qtbot.mouseClick(view.agenda.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.current_item().id == items[row].id
    assert pres.title_label.text() == items[row].title

    pres.activateWindow()
    qtbot.keyClick(pres, Qt.Key.Key_PageUp)
    assert view.current_item().id == items[row - 1].id
    assert pres.title_label.text() == items[row - 1].title
    qtbot.keyClick(pres, Qt.Key.Key_Right)
    qtbot.keyClick(pres, Qt.Key.Key_PageDown)
    assert view.current_item().id == items[row + 1].id
    assert view.item_title.text() == f"{row + 2}. {items[row + 1].title}"

    # attendance recorded in the meeting view shows on the projector at once, as before
    pres.show_item(next(i.id for i in items if i.kind is ItemKind.APPLICATION))
    absent = view.detail.attendees[0]
    assert absent.name in pres.missing_label.text()
    qtbot.mouseClick(view.attendance.button(absent.member_id, Attendance.ABSENT), Qt.MouseButton.LeftButton)
    assert "Nog niet gestemd" in pres.missing_label.text() and absent.name not in pres.missing_label.text()
    assert "4 van de 5 zetels tellen mee" in pres.missing_label.text()


def test_before_opening_the_projector_is_neutral(qtbot, demo):
    """Issue 13: before the meeting opens, the projector shows the meeting and the agenda item (the
    application's essentials), nothing about quorum or votes (it showed a red 'Geen quorum' and the quorum
    sentence twice)."""
    mid = meeting_id(demo, MeetingStatus.PLANNED)
    for status in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_SET):
        if status is MeetingStatus.AGENDA_SET:
            meeting_closing.set_status(demo, mid, status)
        detail = meeting_detail.get_meeting(demo, mid)
        pres = PresentationView(detail)
        qtbot.addWidget(pres)
        item = first_application(pres)
        pres.show_item(item.id)
        text = shown_text(pres)
        assert "vergadering van dinsdag 15 december 2026" in text
        assert item.title in text and item.organisation in text and f"KvK {item.kvk}" in text
        assert "quorum" not in text.lower()
        for label in (pres.tally_label, pres.outcome_label, pres.missing_label, pres.decision_label):
            assert not label.isVisibleTo(pres), label.objectName()


def test_once_open_the_quorum_shows_once_and_after_closing_the_decisions(qtbot, demo):
    """Issue 13: in the open meeting without quorum 'Geen quorum' is said once, with the quorum sentence once;
    with quorum the outcome and the quorum sentence once each; after closing, the tally and the decision and
    no longer who has not voted or the quorum."""
    mid = open_planned(demo, present=2)
    pres = PresentationView(meeting_detail.get_meeting(demo, mid))
    qtbot.addWidget(pres)
    text = shown_text(pres)
    assert text.count("Geen quorum") == 1 and text.count("zetels tellen mee voor het quorum") == 1
    assert pres.outcome_label.text().startswith("Geen quorum.")
    assert "0 voor, 0 tegen, 0 onthoudingen" in text

    for a in meeting_detail.get_meeting(demo, mid).attendees:
        meeting_attendance.set_attendance(demo, mid, a.member_id, Attendance.PRESENT)
    pres.show_detail(meeting_detail.get_meeting(demo, mid))  # as pushed by the meeting view
    text = shown_text(pres)
    assert "quorum" in text and "Geen quorum" not in text
    assert text.count("zetels tellen mee voor het quorum") == 1
    assert pres.outcome_label.text() == "Stemming niet compleet"

    closed = meeting_detail.get_meeting(demo, meeting_id(demo, MeetingStatus.CLOSED))
    pres.show_detail(closed)
    for item in (i for i in closed.items if i.kind is ItemKind.APPLICATION):
        pres.show_item(item.id)
        text = shown_text(pres)
        assert pres.decision_label.text().startswith("Besluit: ") and "kenmerk KIP-" in pres.decision_label.text()
        assert item.tally.summary in text
        assert "quorum" not in text and "Nog niet gestemd" not in text


def presenting_page(qtbot, ctx, screens) -> MeetingsPage:
    page = MeetingsPage(ctx)
    qtbot.addWidget(page)
    page.screens = lambda: screens
    page.setGeometry(100, 100, 1200, 640)  # on the laptop
    page.show()
    qtbot.waitExposed(page)
    page.open_meeting(open_planned(ctx))
    return page


def press_f5(qtbot, page: MeetingsPage) -> None:
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    page.meeting_view.agenda.setFocus()
    qtbot.keyClick(page.meeting_view.agenda, Qt.Key.Key_F5)


def test_with_two_screens_f5_offers_them_and_takes_the_projector(qtbot, demo):
    """Issue 13: with a laptop and a projector, F5 opens a menu naming both screens with their resolution, the
    projector (the screen without the main window) chosen; taking it shows the view full screen there. Moved
    to the laptop, it is a window within the laptop's screen, and F5 next time offers the laptop first."""
    page = presenting_page(qtbot, demo, [LAPTOP, BEAMER])
    press_f5(qtbot, page)
    menu = page.screen_menu
    qtbot.waitUntil(menu.isVisible)
    entries = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in entries] == ["eDP-1 — 1366 × 768", "HDMI-1 — 1920 × 1080"]
    assert menu.activeAction() is entries[1] and entries[1].isChecked()
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    pres = page.presentation
    assert pres is not None and pres.display == BEAMER
    assert pres.isFullScreen()
    assert BEAMER.available.contains(pres.normalGeometry())
    assert "S: ander scherm" in pres.hint_label.text()

    qtbot.keyClick(pres, Qt.Key.Key_S)  # or the context menu on the projector
    qtbot.waitUntil(pres.screen_menu.isVisible)
    laptop_entry = next(a for a in pres.screen_menu.actions() if a.text().startswith("eDP-1"))
    laptop_entry.trigger()
    assert pres.display == LAPTOP and not pres.isFullScreen()  # the laptop's screen: a window beside the main one
    assert LAPTOP.available.contains(pres.frameGeometry())
    pres.close()
    qtbot.waitUntil(lambda: page.presentation is None)

    press_f5(qtbot, page)
    qtbot.waitUntil(page.screen_menu.isVisible)
    assert page.screen_menu.activeAction().text() == "eDP-1 — 1366 × 768"  # remembered
    qtbot.keyClick(page.screen_menu, Qt.Key.Key_Return)
    assert page.presentation.display == LAPTOP and not page.presentation.isFullScreen()


def test_with_one_screen_f5_opens_a_window_on_it(qtbot, demo):
    """Issue 13: one screen: no menu, a window (not full screen) within that screen, the hint without 'S'."""
    small = display("Scherm", 0, 911, 512)
    page = presenting_page(qtbot, demo, [small])
    page.resize(900, 480)
    press_f5(qtbot, page)
    pres = page.presentation
    assert page.screen_menu is None
    qtbot.waitExposed(pres)
    assert not pres.isFullScreen() and pres.display == small
    assert small.available.contains(pres.frameGeometry())
    assert "ander scherm" not in pres.hint_label.text()
