"""Markup typed into any free-text field is shown as typed, never rendered (issue 9, item 10).

Every free-text field of an organisation, application, evidence, meeting, agenda item, member and
assessment (and the user's own name) holds ``<img src=x><font color=red>X</font><a href=y>L</a>``.
Each screen that shows them is opened and every label, tool tip, button and table cell in it is read
the way Qt would render it: the literal text must be there, and no label may turn it into an image,
a link or red text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QGroupBox, QLabel, QMessageBox, QWidget

from commissie_app.domain.codes import Criterion, Role, Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.errors import DomainError
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.domain.validation import EvidenceData
from commissie_app.domain.voting import Attendance, DecisionType, VoteChoice
from commissie_app.services import applications as apps
from commissie_app.services import (
    assessments,
    commission,
    letter_archive,
    letter_generation,
    meeting_agenda,
    meeting_attendance,
    meeting_closing,
    meeting_corrections,
    meeting_detail,
    meeting_planning,
    meeting_votes,
    users,
)
from commissie_app.ui import widgets
from commissie_app.ui.application_editor import TAB_STATUS, ApplicationEditorDialog
from commissie_app.ui.assessment_compare import AssessmentCompare
from commissie_app.ui.assessment_dialog import AssessmentDialog
from commissie_app.ui.commission_page import CommissionPage, EndTermDialog
from commissie_app.ui.errors import show_error
from commissie_app.ui.letters_dialog import LettersDialog, MarkSentDialog
from commissie_app.ui.main_window import MainWindow
from commissie_app.ui.meeting_dialogs import ConflictDialog, CorrectionDialog, DecisionDialog
from commissie_app.ui.meetings_page import MeetingsPage
from commissie_app.ui.presentation_view import PresentationView
from tests.conftest import make_ctx
from tests.factories import app_data, org_data, letter_contact
from tests.test_attachment_names import PDF, store_raw
from tests.meeting_days import step

M = "<img src=x><font color=red>X</font><a href=y>L</a>"
REAL_ASK = widgets.ask  # the ``answers`` fixture replaces it during the tests


def hostile(what: str) -> str:
    return f"{M}{what}"


# ---------------------------------------------------------------- reading a screen as Qt renders it


def _interpreted(html: str) -> list[str]:
    """What of the markup Qt would act on: images, links to 'y', red text."""
    doc = QTextDocument()
    doc.setHtml(html)
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                found.append("image")
            if fmt.isAnchor() and fmt.anchorHref() in ("x", "y"):
                found.append("link " + fmt.anchorHref())
            if fmt.foreground().color() == QColor("red"):
                found.append("red " + fragment.text())
            it += 1
        block = block.next()
    return found


def rendered(text: str, fmt: Qt.TextFormat, where: str) -> str:
    """The text as the user sees it; fails when Qt would interpret markup in it."""
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if not rich:
        return text
    acted_on = _interpreted(text)
    assert not acted_on, f"{where} renders markup {acted_on}: {text!r}"
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    out = []
    for r in range(model.rowCount()):
        for c in range(1 if isinstance(model, QAbstractListModel) else model.columnCount()):
            index = model.index(r, c, QModelIndex())
            display = index.data(Qt.ItemDataRole.DisplayRole)
            if display is not None:
                out.append(str(display))  # item views draw the display text plainly
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if tip:
                out.append(rendered(str(tip), Qt.TextFormat.AutoText, f"tool tip of {view.objectName()} {r},{c}"))
    return out


def shown(root: QWidget) -> str:
    """Every text of ``root`` and its children as it is shown (labels, tool tips, buttons, cells)."""
    texts = []
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__} {w.objectName()!r}"
        if isinstance(w, QLabel):
            texts.append(rendered(w.text(), w.textFormat(), where))
        if w.toolTip():
            texts.append(rendered(w.toolTip(), Qt.TextFormat.AutoText, "tool tip of " + where))
        if isinstance(w, QAbstractButton):
            texts.append(w.text())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            texts += _model_texts(w)
    return "\n".join(texts)


def assert_literal(text: str, *fields: str) -> None:
    for field in fields:
        assert hostile(field) in text, f"{hostile(field)!r} is not shown literally"


# ---------------------------------------------------------------- the data


@pytest.fixture
def world(sqlite_db):
    """An application, a closed meeting with its decision and letter, members and assessments,
    every free text hostile; the acting user's name too."""
    ctx = make_ctx(sqlite_db, name=hostile("Secretaris"), role=Role.SECRETARY)
    org = org_data(name=hostile("Organisatie"), street=hostile("Straat 1"), place=hostile("Plaats"),
                   contact_person=hostile("Contact"), mission=hostile("Missie"))
    app = app_data(Criterion.PSO30, notes=hostile("Aantekening"),
                   evidence=(EvidenceData(Criterion.PSO30, reference=hostile("Kenmerk")),))
    app_id = apps.register_application(ctx, org, app)
    apps.change_status(ctx, app_id, Status.IN_PROGRESS, remark=hostile("Opmerking"))
    member_ids = []
    for i, seat in enumerate(Seat):
        mid = commission.add_member(ctx, hostile(f"Lid{i}"), f"lid{i}@example.nl", hostile(f"Werkgever{i}"))
        commission.appoint(ctx, mid, seat, dt.date(2026, 1, 1))
        member_ids.append(mid)
    a = assessments.get_or_create_assessment(ctx, app_id)
    assessments.save_answers(ctx, a.id, {"region_established": "ja", "mission_primary": "ja", "impact_evidence": hostile("Impact"),
                                         "advice_motivation": hostile("Advies")}, a.version)
    other = make_ctx(sqlite_db, name=hostile("Lid"), role=Role.MEMBER)  # before the decision (issue 13)
    b = assessments.get_or_create_assessment(other, app_id)
    assessments.save_answers(other, b.id, {"mission_primary": "ja", "impact_evidence": hostile("Ander bewijs")},
                             b.version)
    apps.change_status(ctx, app_id, Status.COMPLETE)

    mid = meeting_planning.plan_meeting(ctx, dt.datetime(2026, 12, 1, 14, 0), place=hostile("Zaal"),
                                        video_link=hostile("https://meet.example.nl/abc"))
    detail = meeting_detail.get_meeting(ctx, mid)
    meeting_planning.update_meeting(ctx, mid, expected_version=detail.version, starts_at=detail.starts_at,
                                    place=hostile("Zaal"), video_link=hostile("https://meet.example.nl/abc"),
                                    duration_minutes=detail.duration_minutes, chair_member_id=member_ids[2],
                                    secretary_user_id=users.add_user(ctx, hostile("Notulist"), Role.SECRETARY))
    meeting_agenda.add_application_items(ctx, mid, [app_id])
    free_id = meeting_agenda.add_free_item(ctx, mid, hostile("Punt"))
    step(ctx, mid, MeetingStatus.AGENDA_SET, MeetingStatus.OPEN)
    for m in member_ids:
        meeting_attendance.set_attendance(ctx, mid, m, Attendance.PRESENT)
    item = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.kind is ItemKind.APPLICATION)
    meeting_attendance.declare_conflict(ctx, item.id, member_ids[4], hostile("Reden"))
    for m in member_ids[:4]:
        meeting_votes.record_vote(ctx, item.id, m, VoteChoice.FOR)
    meeting_closing.set_item_minutes(ctx, item.id, hostile("Notulen"))
    meeting_closing.set_item_minutes(ctx, free_id, hostile("Notulen vrij punt"))
    before_decision = next(i for i in meeting_detail.get_meeting(ctx, mid).items if i.id == item.id)
    meeting_votes.record_decision(ctx, item.id, DecisionType.GRANTED, hostile("Motivering"), criteria_met=[Criterion.PSO30])
    meeting_closing.set_status(ctx, mid, MeetingStatus.CLOSED)
    letter_contact(ctx)  # issue 14: no letter without the letterhead's contact person
    letter_generation.generate_letters(ctx, mid)
    return {"ctx": ctx, "app_id": app_id, "meeting_id": mid, "item_id": item.id, "free_id": free_id,
            "undecided_item": before_decision, "member_ids": member_ids}


def _open(qtbot, w: QWidget) -> QWidget:
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


pytestmark = pytest.mark.usefixtures("answers", "message_boxes")


# ---------------------------------------------------------------- the screens


def test_the_application_editor_shows_markup_literally(qtbot, world):
    """Issue 9, item 10: editor header, status tab, history and attachment list."""
    ctx = world["ctx"]
    app_id = apps.register_application(ctx, org_data(kvk="87654321", name=hostile("Organisatie")), app_data())
    apps.change_status(ctx, app_id, Status.IN_PROGRESS, remark=hostile("Opmerking"))
    apps.change_status(ctx, app_id, Status.INFO_REQUESTED, info_requested=hostile("Gevraagd"),
                       info_due_on=dt.date(2026, 12, 7))
    store_raw(ctx, app_id, hostile("bijlage") + ".pdf", PDF)  # an old row: names were not checked then
    dlg = _open(qtbot, ApplicationEditorDialog(ctx, app_id))
    assert dlg.title.text() == hostile("Organisatie")
    dlg.tabs.setCurrentIndex(TAB_STATUS)
    text = shown(dlg)
    assert_literal(text, "Organisatie", "Gevraagd", "Opmerking", "Secretaris", "bijlage.pdf")
    assert dlg.windowTitle().startswith("Aanvraag – " + hostile("Organisatie"))


def test_the_list_and_the_status_bar_show_markup_literally(qtbot, world):
    """Issue 9, item 10: the application list (cells and tool tips) and the user's name in the status bar."""
    w = _open(qtbot, MainWindow(world["ctx"]))
    page = w.applications
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    assert_literal(shown(w), "Organisatie", "Plaats", "Secretaris")


def test_the_register_and_todo_show_markup_literally(qtbot, world):
    """Issue 12: the Register page (cells, tool tips), a recognition's detail (facts, history with who
    recorded it, letters) and the "Te doen" view (the unsent letter's organisation)."""
    from commissie_app.ui.main_window import PAGES

    w = _open(qtbot, MainWindow(world["ctx"]))
    assert_literal(shown(w.todo_view), "Organisatie")
    w.show_page(PAGES.index("register"))
    page = w.register_page
    assert page.model.rowCount() == 1
    assert_literal(shown(page), "Organisatie")
    dialog = page.open_recognition(page.model.row_at(0).recognition_id)
    assert dialog.windowTitle().endswith(hostile("Organisatie"))
    assert_literal(shown(dialog), "Organisatie", "Secretaris")


def test_the_meeting_view_shows_markup_literally(qtbot, world):
    """Issue 9, item 10: header (place, link, chair, secretary), attendance, votes, conflicts, decision,
    minutes record, corrections and the free agenda item."""
    ctx = world["ctx"]
    decision_id = next(i for i in meeting_detail.get_meeting(ctx, world["meeting_id"]).items
                       if i.id == world["item_id"]).decision.id
    meeting_corrections.correct_decision_motivation(ctx, decision_id, hostile("Nieuwe motivering"), hostile("Correctiereden"))
    page = _open(qtbot, MeetingsPage(ctx))
    page.resize(1400, 1000)
    page.open_meeting(world["meeting_id"])
    view = page.meeting_view
    text = shown(view)
    assert_literal(text, "Zaal", "https://meet.example.nl/abc", "Notulist", "Lid0", "Lid4",
                   "Punt", "Correctiereden")
    # issue 13: the chair is a member (Lid2), named in the header
    assert_literal(rendered(view.place_label.text(), view.place_label.textFormat(), "header"), "Lid2", "Notulist")
    view._select_id(world["item_id"])
    text = shown(view)
    assert_literal(text, "Organisatie", "Plaats", "Reden", "Nieuwe motivering", "Lid3")
    assert view.place_label.textFormat() == Qt.TextFormat.RichText
    assert "<a " not in view.place_label.text()  # not a web address: no link to hand to the system
    view._select_id(world["free_id"])
    assert_literal(shown(view), "Punt")
    assert view.minutes.toPlainText() == hostile("Notulen vrij punt")  # an editor: plain by nature


def test_meeting_dialogs_show_markup_literally(qtbot, world):
    """Issue 9, item 10: the decision dialog (with the assessments' advice), the conflict and correction dialogs."""
    ctx, item = world["ctx"], world["undecided_item"]
    detail = meeting_detail.get_meeting(ctx, world["meeting_id"])
    dlg = _open(qtbot, DecisionDialog(ctx, item, dt.date(2026, 12, 1), detail.rules))
    assert_literal(shown(dlg), "Organisatie", "Plaats", "Secretaris")
    conflict = _open(qtbot, ConflictDialog(ctx, item, list(detail.attendees)))
    assert_literal(shown(conflict), "Organisatie")
    correction = _open(qtbot, CorrectionDialog("Correctie", hostile("Aanwezigheid"), hostile("Oud"),
                                               lambda value, reason: None, text="nieuw"))
    assert_literal(shown(correction), "Aanwezigheid", "Oud")


def test_the_presentation_view_shows_markup_literally(qtbot, world):
    """Issue 9, item 10: the projected agenda item."""
    detail = meeting_detail.get_meeting(world["ctx"], world["meeting_id"])
    pres = _open(qtbot, PresentationView(detail))
    pres.show_item(world["item_id"])
    assert_literal(shown(pres), "Organisatie", "Plaats", "Lid4")
    pres.show_item(world["free_id"])
    assert_literal(shown(pres), "Punt")


def test_the_commission_page_shows_markup_literally(qtbot, world):
    """Issue 9, item 10: members in the seats and terms tables, and the end-of-term dialog."""
    ctx = world["ctx"]
    page = _open(qtbot, CommissionPage(ctx))
    assert_literal(shown(page), "Lid0", "Lid4")
    term_id, term = commission.term_rows(ctx)[0]
    assert_literal(shown(_open(qtbot, EndTermDialog(ctx, term_id, term))), term.member_name[len(M):])


def test_the_letters_dialogs_show_markup_literally(qtbot, world):
    """Issue 9, item 10: the letters of the meeting and the mark-as-sent dialog."""
    ctx = world["ctx"]
    dlg = _open(qtbot, LettersDialog(ctx, world["meeting_id"]))
    assert_literal(shown(dlg), "Organisatie", "Secretaris")
    info = letter_archive.list_letters(ctx, world["meeting_id"])[0]
    assert_literal(shown(_open(qtbot, MarkSentDialog(info, dt.date(2026, 12, 2)))), "Organisatie")


def test_the_assessment_screens_show_markup_literally(qtbot, world):
    """Issue 9, item 10: the assessment dialog (header with the assessor) and the comparison table."""
    ctx, app_id = world["ctx"], world["app_id"]
    dlg = _open(qtbot, AssessmentDialog(ctx, app_id))
    assert_literal(shown(dlg), "Secretaris")
    compare = _open(qtbot, AssessmentCompare(ctx, app_id))
    assert_literal(shown(compare), "Impact", "Ander bewijs", "Advies")


def test_messages_and_questions_show_markup_literally(qtbot, message_boxes, monkeypatch):
    """Issue 9, item 10: an error message quoting a name, and the question box of widgets.ask."""
    show_error(None, DomainError(hostile("Naam") + " is afwezig en kan niet stemmen."))
    (_kind, _title, text), = message_boxes.shown
    assert_literal(rendered(text, Qt.TextFormat.AutoText, "message box"), "Naam")

    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    REAL_ASK(None, "Vraag", hostile("Bijlage") + " verwijderen?", [("Ja", QMessageBox.ButtonRole.AcceptRole)])
    assert boxes[0].textFormat() == Qt.TextFormat.PlainText and boxes[0].text() == hostile("Bijlage") + " verwijderen?"


def test_a_video_link_is_a_link_only_for_a_web_address():
    """Issue 9, item 10: an http(s) address becomes an escaped link; anything else is plain text."""
    html = widgets.link_html("https://meet.example.nl/a?b=1&c=2")
    doc = QTextDocument()
    doc.setHtml(html)
    assert doc.toPlainText() == "https://meet.example.nl/a?b=1&c=2"
    assert 'href="https://meet.example.nl/a?b=1&amp;c=2"' in html
    for url in ("file:///C:/Windows/System32/calc.exe", "javascript:alert(1)", "https://x.nl/'><img src=x>",
                hostile("https://x.nl")):
        html = widgets.link_html(url)
        assert "<a " not in html and "<img" not in html
        doc.setHtml(html)
        assert doc.toPlainText() == url


def test_the_meeting_dossier_shows_markup_literally(qtbot, world):
    """Issue 13: the dossier of an agenda item: the comparison's heading names the organisation, the list of
    advice and reasons names the assessor, the application tab shows the organisation data, all literally."""
    from commissie_app.ui.meeting_dossier import MeetingDossierDialog

    dlg = _open(qtbot, MeetingDossierDialog(world["ctx"], world["app_id"]))
    assert_literal(shown(dlg), "Organisatie", "Impact")
    assert hostile("Secretaris") in dlg.compare.reasons.toPlainText()
    assert hostile("Organisatie") in dlg.windowTitle()
    assert_literal(dlg.application_view.toPlainText(), "Organisatie", "Missie", "Kenmerk")
