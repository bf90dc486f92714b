"""The meetings pages driven with real clicks and keys on SQLite: a whole meeting, reordering the agenda,
the year planner's warnings, the presentation view and the commission page."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QWidget

from commissie_app.domain.codes import Criterion, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import (
    commission,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_detail,
    meeting_planning,
    meeting_votes,
)
from commissie_app.ui.agenda_model import AgendaModel
from commissie_app.ui.commission_page import AppointDialog, CommissionPage, EndTermDialog, MemberDialog
from commissie_app.ui.meeting_dialogs import (
    CompleteApplicationsDialog,
    ConflictDialog,
    CorrectionDialog,
    DecisionDialog,
    MeetingDialog,
)
from commissie_app.ui.meetings_page import MeetingsPage
from commissie_app.ui.presentation_view import PresentationView
from tests.factories import app_data, org_data, seated_chair
from tests.meeting_days import step

LEFT = Qt.MouseButton.LeftButton
NAMES = ["Anouk de Vries", "Bram Jansen", "Carla Smit", "Daan Bakker", "Eva Visser"]


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture
def members(sqlite_ctx):
    ids = []
    for name, seat in zip(NAMES, Seat):
        mid = commission.add_member(sqlite_ctx, name)
        commission.appoint(sqlite_ctx, mid, seat, dt.date(2026, 1, 1))
        ids.append(mid)
    return ids


def complete_app(ctx, kvk: str, name: str):
    app_id = apps.register_application(ctx, org_data(kvk=kvk, name=name), app_data())
    apps.change_status(ctx, app_id, Status.IN_PROGRESS)
    apps.change_status(ctx, app_id, Status.COMPLETE)
    return app_id


pytestmark = pytest.mark.usefixtures("answers")  # the question box, from tests/ui/conftest.py


@pytest.fixture
def dialogs(monkeypatch, qtbot):
    """``dialogs.drive(cls, fill)``: the next ``cls.exec()`` shows the dialog and runs ``fill(dlg)`` instead of
    blocking; ``fill`` types and clicks like a user. ``dialogs.seen`` keeps every driven dialog."""

    class Driver:
        seen: list[QDialog] = []

        def drive(self, cls, fill):
            def exec_(dlg):
                qtbot.addWidget(dlg)
                dlg.show()
                qtbot.waitExposed(dlg)
                self.seen.append(dlg)
                fill(dlg)
                return dlg.result()

            monkeypatch.setattr(cls, "exec", exec_)

    return Driver()


def activate(qtbot, w: QWidget) -> None:
    w.window().activateWindow()
    qtbot.waitUntil(w.window().isActiveWindow, timeout=2000)


@pytest.fixture
def page(qtbot, sqlite_ctx):
    p = MeetingsPage(sqlite_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 900)
    p.show()
    qtbot.waitExposed(p)
    activate(qtbot, p)
    return p


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def plan(ctx, day=dt.datetime(2026, 12, 1, 14, 0), apps_=()):
    mid = meeting_planning.plan_meeting(ctx, day, place="Stadhuis Haarlem", chair_member_id=seated_chair(ctx, day))
    if apps_:
        meeting_agenda.add_application_items(ctx, mid, list(apps_))
    return mid


def app_rows(view):
    return [r for r, it in enumerate(view.model.items()) if it.kind is ItemKind.APPLICATION]


# ---------------------------------------------------------------- a whole meeting


def test_a_whole_meeting_from_planning_to_a_refused_change_after_closing(
        qtbot, page, sqlite_ctx, members, dialogs, answers, message_boxes):
    ctx = sqlite_ctx
    first = complete_app(ctx, "11111111", "De Groene Fietsenmaker BV")
    second = complete_app(ctx, "22222222", "Stichting Buurtkracht")
    planner, view = page.planner, page.meeting_view
    assert "In 2026 zijn 0 vergaderingen" in planner.year_banner.text()

    # plan a meeting through the dialog
    def fill_meeting(dlg: MeetingDialog):
        type_into(qtbot, dlg.date_edit, "01-12-2026")
        qtbot.keyClicks(dlg.place, "Stadhuis Haarlem, kamer 2.14")
        dlg.chair.setFocus()  # issue 13: the chair is one of the members holding a seat
        qtbot.keyClick(dlg.chair, Qt.Key.Key_Down)
        assert dlg.chair.currentText() == "Anouk de Vries — Bedrijfsleven"
        click(qtbot, dlg.ok_button)

    dialogs.drive(MeetingDialog, fill_meeting)
    click(qtbot, planner.new_button)
    assert planner.model.rowCount() == 1
    row = planner.model.rows[0]
    assert (row.local_start.date(), row.local_start.hour, row.place) == (dt.date(2026, 12, 1), 14,
                                                                         "Stadhuis Haarlem, kamer 2.14")
    assert "In 2026 is 1 vergadering gehouden of gepland" in planner.year_banner.text()

    # open it; add the complete applications (all proposed and checked; the second is unticked)
    click(qtbot, planner.open_button)
    assert page.stack.currentWidget() is view
    assert view.step_button.text() == "Agenda vaststellen"

    def fill_complete(dlg: CompleteApplicationsDialog):
        assert dlg.list.count() == 2
        assert all(dlg.list.item(r).checkState() == Qt.CheckState.Checked for r in range(2))
        second_row = dlg.list.item(1)
        qtbot.mouseClick(dlg.list.viewport(), LEFT, pos=dlg.list.visualItemRect(second_row).center())
        qtbot.keyClick(dlg.list, Qt.Key.Key_Space)
        assert dlg.chosen() == [first]
        click(qtbot, dlg.ok_button)

    dialogs.drive(CompleteApplicationsDialog, fill_complete)
    with qtbot.waitSignal(page.sig_changed):
        click(qtbot, view.add_complete_button)
    assert [i.title for i in view.model.items()][5] == "Aanvraag De Groene Fietsenmaker BV"
    assert apps.get_application(ctx, first).status is Status.SCHEDULED
    assert apps.get_application(ctx, second).status is Status.COMPLETE
    assert view.current_item().application_id == first

    # set the agenda, open the meeting (each step confirmed; opened on the meeting's day)
    queue, asked = answers
    queue.append(0)
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.AGENDA_SET
    assert not view.attendance.button(members[0], Attendance.PRESENT).isEnabled()
    ctx.today = lambda: dt.date(2026, 12, 1)
    queue.append(0)
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.OPEN
    assert view.step_button.text() == "Vergadering sluiten"

    # attendance: four present, one excused; the quorum is shown
    for m in members[:4]:
        click(qtbot, view.attendance.button(m, Attendance.PRESENT))
    click(qtbot, view.attendance.button(members[4], Attendance.EXCUSED))
    assert [a.attendance for a in meeting_detail.get_meeting(ctx, view.detail.id).attendees] == [
        Attendance.PRESENT] * 4 + [Attendance.EXCUSED]
    assert view.attendance.quorum_label.text().startswith("4 van de 5 zetels")

    # the application's essentials, a conflict of interest
    assert "KvK 11111111" in view.essentials.text() and "PSO 30+ gecertificeerd" in view.essentials.text()

    def fill_conflict(dlg: ConflictDialog):
        assert dlg.member.currentData() == members[0]
        click(qtbot, dlg.ok_button)  # no reason: refused in the dialog
        assert dlg.reason_box.error()
        qtbot.keyClicks(dlg.reason, "Is adviseur van de organisatie")
        click(qtbot, dlg.ok_button)

    dialogs.drive(ConflictDialog, fill_conflict)
    click(qtbot, view.conflict_button)
    assert "Anouk de Vries: Is adviseur van de organisatie" in view.conflicts.text()
    assert not view.votes.button(members[0], VoteChoice.FOR).isVisible()
    assert "belangenverstrengeling" in view.votes.notes[members[0]].text()
    assert not view.votes.button(members[4], VoteChoice.FOR).isVisible()

    # votes with the live tally; the decision is not possible while the vote is incomplete
    click(qtbot, view.votes.button(members[1], VoteChoice.FOR))
    assert "1 voor, 0 tegen" in view.votes.tally_label.text()
    assert "Nog niet gestemd: Carla Smit, Daan Bakker" in view.votes.tally_label.text()
    click(qtbot, view.votes.button(members[2], VoteChoice.FOR))
    click(qtbot, view.votes.button(members[3], VoteChoice.AGAINST))
    assert view.votes.tally_label.text() == "2 voor, 1 tegen, 0 onthoudingen — meerderheid voor"
    assert view.votes.button(members[3], VoteChoice.AGAINST).isChecked()

    # minutes: typed, saved when the field is left
    activate(qtbot, view)
    view.minutes.setFocus()
    qtbot.keyClicks(view.minutes, "PSO-trede besproken.")
    view.agenda.setFocus()
    qtbot.waitUntil(lambda: meeting_detail.get_meeting(ctx, view.detail.id).items[5].minutes == "PSO-trede besproken.")
    assert "Stemming: 2 voor, 1 tegen" in view.record_label.text()

    # the decision: only decisions that agree with the vote; the kenmerk is shown afterwards
    def fill_decision(dlg: DecisionDialog):
        offered = [dlg.type_combo.itemText(i) for i in range(dlg.type_combo.count())]
        assert offered == ["toegekend", "voorwaardelijk toegekend"]
        assert "nog geen geconsolideerde beoordeling" in dlg.findChild(QWidget, "consolidated").findChild(
            type(dlg.tally_label)).text()
        click(qtbot, dlg.record_button)  # no motivation yet
        assert dlg.motivation_box.error() and dlg.kenmerk is None
        qtbot.keyClicks(dlg.motivation, "Voldoet aan PSO 30+.")
        # Issue 12: the criteria found met; issue 14: without a consolidated assessment those claimed are
        # ticked, and with none ticked the decision is refused
        assert dlg.criteria_panel.isVisibleTo(dlg) and dlg.criteria_panel.criteria() == [Criterion.PSO30]
        dlg.criteria_panel.boxes[Criterion.PSO30].setChecked(False)
        click(qtbot, dlg.record_button)
        assert dlg.kenmerk is None and "criteria" in dlg.banner.text()
        dlg.criteria_panel.boxes[Criterion.PSO30].setChecked(True)
        click(qtbot, dlg.record_button)
        assert dlg.kenmerk == "KIP-2026-001"
        assert "KIP-2026-001" in dlg.banner.text()
        click(qtbot, dlg.record_button)  # now 'Sluiten'

    dialogs.drive(DecisionDialog, fill_decision)
    with qtbot.waitSignal(page.sig_changed):
        click(qtbot, view.decision_button)
    assert "toegekend — kenmerk KIP-2026-001" in view.decision_label.text()
    assert apps.get_application(ctx, first).status is Status.DECIDED
    assert not view.votes.button(members[1], VoteChoice.AGAINST).isEnabled()

    # closing asks first; cancel keeps it open
    click(qtbot, view.step_button)
    assert "Vergadering sluiten?" in asked[-1]
    assert view.detail.status is MeetingStatus.OPEN
    queue.append(0)
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.CLOSED
    assert view.step_button.isHidden()
    assert "gesloten" in view.banner.text()

    # after closing: everything read-only, and the service refuses a change anyway
    assert not view.votes.button(members[3], VoteChoice.FOR).isEnabled()
    assert not view.attendance.button(members[4], Attendance.PRESENT).isEnabled()
    assert view.minutes.isReadOnly() and not view.add_free_button.isEnabled()
    assert view.decision_button.isHidden()
    item_id = view.current_item().id
    with pytest.raises(DomainError, match="gesloten"):
        meeting_votes.record_vote(ctx, item_id, members[3], VoteChoice.FOR)

    # a correction of a vote: new value and a required reason; the original stays visible
    def fill_correction(dlg: CorrectionDialog):
        assert [dlg.choice.itemText(i) for i in range(dlg.choice.count())] == ["voor", "onthouding"]
        dlg.choice.setFocus()
        qtbot.keyClick(dlg.choice, Qt.Key.Key_Down)
        assert dlg.value() == VoteChoice.ABSTAIN.value
        click(qtbot, dlg.ok_button)
        assert dlg.reason_box.error()
        qtbot.keyClicks(dlg.reason, "Verkeerd genoteerd")
        click(qtbot, dlg.ok_button)

    dialogs.drive(CorrectionDialog, fill_correction)
    assert view.votes.correct_buttons[members[3]].isVisible()
    click(qtbot, view.votes.correct_buttons[members[3]])
    assert view.corrections_box.isVisible()
    cells = [view.corrections.item(0, c).text() for c in range(4)]
    assert cells == ["Stem", "tegen", "onthouding", "Verkeerd genoteerd"]
    assert view.votes.button(members[3], VoteChoice.ABSTAIN).isChecked()

    # and of the decision's motivation
    def fill_motivation(dlg: CorrectionDialog):
        type_into(qtbot, dlg.text, "Voldoet aan PSO 30+ (trede 2).")
        qtbot.keyClicks(dlg.reason, "Trede aangevuld")
        click(qtbot, dlg.ok_button)

    dialogs.drive(CorrectionDialog, fill_motivation)
    click(qtbot, view.correct_motivation_button)
    assert view.corrections.rowCount() == 2
    assert view.corrections.item(1, 0).text() == "Motivering van besluit KIP-2026-001"
    assert view.corrections.item(1, 1).text() == "Voldoet aan PSO 30+."
    assert "trede 2" in view.decision_label.text()
    assert not message_boxes.shown

    # back to the planner: the meeting shows as closed
    click(qtbot, view.back_button)
    assert page.stack.currentWidget() is planner
    assert planner.model.rows[0].status is MeetingStatus.CLOSED


def test_refusals_of_the_service_are_shown(qtbot, page, sqlite_ctx, members, answers, message_boxes):
    ctx = sqlite_ctx
    a = complete_app(ctx, "11111111", "Org A")
    mid = plan(ctx, apps_=[a])
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in members[:2]:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    page.open_meeting(mid)
    view = page.meeting_view
    assert view.current_item().application_id == a
    # two of five present: no quorum, the vote buttons are disabled and the label says why
    assert view.attendance.quorum_label.text().startswith("Geen quorum")
    assert not view.votes.button(members[0], VoteChoice.FOR).isEnabled()
    # closing with an undecided application is refused with the list of what is open, without asking first
    click(qtbot, view.step_button)
    assert view.detail.status is MeetingStatus.OPEN
    assert "Punt 6 (Aanvraag Org A): nog geen besluit" in message_boxes.texts("warning")[-1]
    assert answers[1] == []
    # a standard item cannot be removed: the button is off and Delete explains why
    view.select_row(0)
    assert not view.remove_button.isEnabled()
    view.agenda.setFocus()
    qtbot.keyClick(view.agenda, Qt.Key.Key_Delete)
    assert "vast agendapunt" in message_boxes.texts("warning")[-1]


# ---------------------------------------------------------------- agenda editing


def test_keyboard_and_drag_and_drop_reorder_change_the_stored_order(qtbot, page, sqlite_ctx, members):
    ctx = sqlite_ctx
    a, b = complete_app(ctx, "11111111", "Org A"), complete_app(ctx, "22222222", "Org B")
    mid = plan(ctx, apps_=[a, b])
    page.open_meeting(mid)
    view = page.meeting_view
    stored = lambda: [i.title for i in meeting_detail.get_meeting(ctx, mid).items]  # noqa: E731
    assert stored()[5:7] == ["Aanvraag Org A", "Aanvraag Org B"]

    activate(qtbot, view)
    view.select_row(5)
    view.agenda.setFocus()
    qtbot.keyClick(view.agenda, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert stored()[5:7] == ["Aanvraag Org B", "Aanvraag Org A"]
    assert view.current_item().title == "Aanvraag Org A"  # the moved item stays selected
    qtbot.keyClick(view.agenda, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view.agenda, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert stored()[4:7] == ["Aanvraag Org A", "Advies aan het Coördinatieteam", "Aanvraag Org B"]

    # drag and drop: what QListView does on a drop (moveRows, or the mime data when that is refused)
    model = view.model
    model.moveRows(QModelIndex(), 8, 1, QModelIndex(), 0)  # 'Sluiting' to the top
    assert stored()[0] == "Sluiting"
    data = model.mimeData([model.index(0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 9, 0, QModelIndex()) is False  # the view removes nothing
    assert stored()[-1] == "Sluiting" and stored()[0] == "Opening"


def test_agenda_model_moves_like_a_drop():
    model = AgendaModel()
    order: list[list] = []
    model.sig_order_changed.connect(order.append)
    from commissie_app.services.meeting_detail import ItemInfo

    items = [ItemInfo(id=n, position=n, kind=ItemKind.FREE, title=f"punt {n}", minutes="", application_id=None,
                      organisation="", kvk="", place="", criteria=(), founded_on=None, conflicts=(), votes=(),
                      tally=None, decision=None) for n in range(4)]
    model.set_items(items, movable=True)
    assert model.move_rows([0], 3) and order[-1] == [1, 2, 0, 3]
    assert not model.move_row(3, 1)  # past the end
    assert model.move_row(0, 1) and order[-1] == [2, 1, 0, 3]
    model.set_items(items, movable=False)
    assert not model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    assert not model.flags(model.index(0)) & Qt.ItemFlag.ItemIsDragEnabled


def test_free_item_added_and_removed_with_confirmation(qtbot, page, sqlite_ctx, monkeypatch, answers):
    ctx = sqlite_ctx
    a = complete_app(ctx, "11111111", "Org A")
    mid = plan(ctx, apps_=[a])
    page.open_meeting(mid)
    view = page.meeting_view
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Jaarverslag 2026", True)))
    click(qtbot, view.add_free_button)
    titles = [i.title for i in meeting_detail.get_meeting(ctx, mid).items]
    assert titles[6] == "Jaarverslag 2026" and view.current_item().title == "Jaarverslag 2026"
    # remove the application: asked first (cancel), then confirmed; it is 'compleet' again
    view.select_row(5)
    click(qtbot, view.remove_button)
    assert len(meeting_detail.get_meeting(ctx, mid).items) == 9
    answers[0].append(0)
    with qtbot.waitSignal(page.sig_changed):
        click(qtbot, view.remove_button)
    assert [i.title for i in meeting_detail.get_meeting(ctx, mid).items][5] == "Jaarverslag 2026"
    assert apps.get_application(ctx, a).status is Status.COMPLETE


# ---------------------------------------------------------------- year planner


def test_year_planner_warns_with_fewer_than_two_meetings(qtbot, page, sqlite_ctx, members):
    ctx = sqlite_ctx
    planner = page.planner
    assert planner.selected_year() == 2026
    assert "In 2026 zijn 0 vergaderingen" in planner.year_banner.text()
    assert planner.empty_label.isVisible()
    plan(ctx, dt.datetime(2026, 3, 10, 10, 0))
    plan(ctx, dt.datetime(2026, 12, 1, 14, 0))
    plan(ctx, dt.datetime(2027, 4, 1, 14, 0))
    planner.reload()
    assert planner.year_banner.isHidden()
    assert planner.model.rowCount() == 2
    assert planner.model.index(0, 0).data() == "dinsdag 10 maart 2026"
    assert planner.model.index(1, 3).data() == "gepland"
    assert planner.model.index(1, 4).data() == "7 (0 aanvragen)"
    # another year through the year selector, with the keyboard
    planner.year_combo.setFocus()
    qtbot.keyClick(planner.year_combo, Qt.Key.Key_Down)
    assert planner.selected_year() == 2027
    assert "In 2027 is 1 vergadering gehouden of gepland" in planner.year_banner.text()
    assert planner.model.rowCount() == 1


def test_composition_warning_banner_and_ctrl_n(qtbot, page, sqlite_ctx, dialogs):
    planner = page.planner
    assert "De zetel ‘Bedrijfsleven’ is onbezet." in planner.composition_banner.text()
    seen = []
    dialogs.drive(MeetingDialog, lambda dlg: (seen.append(dlg.windowTitle()), dlg.reject()))
    activate(qtbot, page)
    planner.table.setFocus()
    qtbot.keyClick(planner.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Nieuwe vergadering"]


# ---------------------------------------------------------------- presentation


def test_presentation_shows_the_current_item_and_follows_the_votes(qtbot, page, sqlite_ctx, members):
    ctx = sqlite_ctx
    a, b = complete_app(ctx, "11111111", "Org A"), complete_app(ctx, "22222222", "Org B")
    mid = plan(ctx, apps_=[a, b])
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    page.open_meeting(mid)
    view = page.meeting_view
    click(qtbot, view.present_button)
    pres: PresentationView = page.presentation
    qtbot.waitExposed(pres)
    assert pres.title_label.text() == "Aanvraag Org A"
    assert pres.position_label.text() == "Agendapunt 6 van 9"
    assert "KvK 11111111" in pres.essentials_label.text()
    assert pres.tally_label.text() == "0 voor, 0 tegen, 0 onthoudingen"

    click(qtbot, view.votes.button(members[0], VoteChoice.FOR))
    click(qtbot, view.votes.button(members[1], VoteChoice.AGAINST))
    assert pres.tally_label.text() == "1 voor, 1 tegen, 0 onthoudingen"
    assert "Nog niet gestemd: Carla Smit, Daan Bakker, Eva Visser" in pres.missing_label.text()
    assert pres.outcome_label.text() == "Stemming niet compleet"

    activate(qtbot, pres)
    qtbot.keyClick(pres, Qt.Key.Key_PageDown)
    assert pres.title_label.text() == "Aanvraag Org B"
    qtbot.keyClick(pres, Qt.Key.Key_Right)
    assert pres.title_label.text() == "Rondvraag" and pres.tally_label.isHidden()
    qtbot.keyClick(pres, Qt.Key.Key_Left)
    qtbot.keyClick(pres, Qt.Key.Key_PageUp)
    assert pres.title_label.text() == "Aanvraag Org A"
    # selecting an item in the meeting view moves the presentation along
    view.select_row(6)
    assert pres.title_label.text() == "Aanvraag Org B"
    qtbot.keyClick(pres, Qt.Key.Key_F11)
    assert pres.isFullScreen()
    qtbot.keyClick(pres, Qt.Key.Key_Escape)
    assert not pres.isFullScreen() and pres.isVisible()
    qtbot.keyClick(pres, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.presentation is None)


def test_presentation_of_a_decided_item(qtbot, sqlite_ctx, members):
    ctx = sqlite_ctx
    mid = plan(ctx, apps_=[complete_app(ctx, "11111111", "Org A")])
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in members:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = [i for i in meeting_detail.get_meeting(ctx, mid).items if i.kind is ItemKind.APPLICATION][0]
    for m in members:
        meeting_votes.record_vote(ctx, item.id, m, VoteChoice.AGAINST)
    meeting_votes.record_decision(ctx, item.id, DecisionType.REJECTED, "Geen criterium aangetoond.")
    pres = PresentationView(meeting_detail.get_meeting(ctx, mid))
    qtbot.addWidget(pres)
    assert pres.tally_label.text() == "0 voor, 5 tegen, 0 onthoudingen"
    assert pres.outcome_label.text() == "Afgewezen"
    assert "afgewezen — kenmerk KIP-2026-001" in pres.decision_label.text()


# ---------------------------------------------------------------- commission


def test_commission_page_adds_appoints_and_ends_terms(qtbot, sqlite_ctx, dialogs):
    ctx = sqlite_ctx
    cp = CommissionPage(ctx)
    qtbot.addWidget(cp)
    cp.show()
    assert cp.banner.text().count("is onbezet") == 5
    assert cp.seats.item(0, 1).text() == "onbezet"

    def fill_member(dlg: MemberDialog):
        qtbot.keyClicks(dlg.name, "Anouk de Vries")
        qtbot.keyClicks(dlg.organisation, "Fietsenmaker BV")
        click(qtbot, dlg.ok_button)

    dialogs.drive(MemberDialog, fill_member)
    click(qtbot, cp.add_member_button)
    assert [m.name for m in commission.list_members(ctx)] == ["Anouk de Vries"]

    def fill_appoint(dlg: AppointDialog):
        assert dlg.seat.currentData() == Seat.BUSINESS.value  # the selected seat row
        type_into(qtbot, dlg.start, "01-11-2025")
        click(qtbot, dlg.ok_button)

    cp.seats.selectRow(0)
    dialogs.drive(AppointDialog, fill_appoint)
    click(qtbot, cp.appoint_button)
    assert cp.seats.item(0, 1).text() == "Anouk de Vries"
    assert cp.banner.text().count("is onbezet") == 4
    assert "Is vervanging nodig?" in cp.banner.text()  # business seat held for more than a year

    def fill_end(dlg: EndTermDialog):
        type_into(qtbot, dlg.end, "31-10-2026")
        click(qtbot, dlg.ok_button)

    cp.terms.selectRow(0)
    assert cp.end_button.isEnabled()
    dialogs.drive(EndTermDialog, fill_end)
    click(qtbot, cp.end_button)
    assert commission.terms(ctx)[0].end == dt.date(2026, 10, 31)
    assert cp.seats.item(0, 1).text() == "onbezet"
