"""Issue 13: the first-run checklist on the start page: shown on an empty database, each step ticked when
done with a button to the place to do it, gone when all is done or hidden; not on the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from commissie_app.domain.codes import Role
from commissie_app.domain.commission import Seat
from commissie_app.services import applications as apps
from commissie_app.services import commission, meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.settings import LocalSettings
from commissie_app.ui.main_window import PAGES, MainWindow
from commissie_app.ui.meetings_page import MeetingsPage
from tests.conftest import make_ctx
from tests.factories import app_data, org_data


@pytest.fixture
def settings(tmp_path) -> LocalSettings:
    return LocalSettings(tmp_path / "settings.json")


@pytest.fixture
def open_window(qtbot, settings):
    def make(ctx) -> MainWindow:
        window = MainWindow(ctx, settings=settings)
        qtbot.addWidget(window)
        window.resize(1200, 760)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def steps(window) -> dict[str, tuple[bool, bool]]:
    """Per step: (ticked, its button on screen)."""
    view = window.checklist_view
    return {key: (view.step_done(key), button.isVisible()) for key, (_label, button) in view.steps.items()}


def test_an_empty_database_shows_the_checklist_with_buttons(open_window, sqlite_ctx):
    """Issue 13: nothing done yet: "Aan de slag" with three open steps, each with its button; the year and
    seat warnings stay in the banner only (not repeated in the checklist)."""
    window = open_window(sqlite_ctx)
    assert window.checklist_view is not None and window.checklist_view.isVisible()
    assert steps(window) == {"seats": (False, True), "meetings": (False, True), "applications": (False, True)}
    banner = window.warning_banner.text()
    assert banner  # the warnings of an empty database, in their one place
    checklist_text = "\n".join(label.text() for label, _b in window.checklist_view.steps.values())
    assert not any(line.lstrip("⚠ ") in checklist_text for line in banner.splitlines())


def test_the_demo_data_shows_no_checklist(open_window, sqlite_ctx):
    """Issue 13: a database with real work has no checklist."""
    create_demo_data(sqlite_ctx)
    window = open_window(sqlite_ctx)
    assert window.checklist_view is None or not window.checklist_view.isVisible()


def test_steps_are_ticked_as_they_are_done_and_the_list_goes(qtbot, open_window, sqlite_ctx, monkeypatch):
    """Issue 13: the buttons go where the step is done; a step done is ticked; all done: the list goes."""
    window = open_window(sqlite_ctx)
    opened = []
    monkeypatch.setattr(MeetingsPage, "new_meeting", lambda page: opened.append("new meeting"))
    monkeypatch.setattr(MeetingsPage, "show_commission", lambda page: opened.append("commission"))
    monkeypatch.setattr(window, "_open_editor", lambda app_id: opened.append(("editor", app_id)))
    view = window.checklist_view
    qtbot.mouseClick(view.steps["meetings"][1], Qt.MouseButton.LeftButton)
    assert opened == ["new meeting"] and window.navigation.currentRow() == PAGES.index("meetings")
    assert not view.isVisible()  # the checklist belongs to the start page
    window.show_page(0)
    assert view.isVisible()
    qtbot.mouseClick(view.steps["seats"][1], Qt.MouseButton.LeftButton)
    assert opened[-1] == "commission"
    window.show_page(0)
    qtbot.mouseClick(view.steps["applications"][1], Qt.MouseButton.LeftButton)
    assert opened[-1] == ("editor", None)

    app_id = apps.register_application(sqlite_ctx, org_data(), app_data())
    window._application_saved(app_id)
    assert steps(window)["applications"] == (True, False) and view.isVisible()
    for n, seat in enumerate(list(Seat)[:3]):
        commission.appoint(sqlite_ctx, commission.add_member(sqlite_ctx, f"Lid {n}"), seat, dt.date(2026, 1, 1))
    meeting_planning.plan_meeting(sqlite_ctx, dt.datetime(2026, 12, 10, 19, 0), place="Haarlem")
    window.update_warnings()  # as after the members dialog or a meeting planned
    assert all(ticked for ticked, _button in steps(window).values())
    assert not view.isVisible()


def test_hiding_the_checklist_lasts_for_this_database(qtbot, open_window, sqlite_ctx, settings):
    """Issue 13: "Verbergen" hides the checklist, also in the next session on this database."""
    window = open_window(sqlite_ctx)
    qtbot.mouseClick(window.checklist_view.hide_button, Qt.MouseButton.LeftButton)
    assert not window.checklist_view.isVisible()
    assert settings.get("checklist_hidden") == [sqlite_ctx.db.location]
    again = open_window(sqlite_ctx)
    assert not again.checklist_view.isVisible()


def test_a_member_sees_no_checklist(open_window, sqlite_db):
    """Issue 13: the checklist is for those who set the commission up (secretary, chair), not for a member."""
    window = open_window(make_ctx(sqlite_db, "Lies Lid", Role.MEMBER))
    assert window.checklist_view is None or not window.checklist_view.isVisible()
