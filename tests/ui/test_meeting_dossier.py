"""Issue 13: the meeting dossier, opened from an agenda item of the demo data's planned meeting: the application,
its attachments previewed in the app, the assessments side by side (naming the application, full names
reachable, reasons wrapped, unanswered compact), printable as PDF, and fitting 1366x768 and 150 %."""

from __future__ import annotations

import tempfile

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from commissie_app.domain.codes import Role
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.services import meeting_planning
from commissie_app.services.demo import create_demo_data
from commissie_app.ui.main_window import PAGES, MainWindow
from commissie_app.ui.meeting_dossier import MeetingDossierDialog
from tests.conftest import make_ctx
from tests.dossier_builders import LONG_NAME, MOTIVATION, assessed
from tests.test_assessment_comparison import pdf_text, squeezed

SIZES = ((1366, 768), (911, 512))  # a 1366x768 laptop at 100 % and, in logical pixels, at 150 %


@pytest.fixture
def world(sqlite_ctx, monkeypatch):
    """The demo data, the first application on the planned meeting's agenda with a PDF and three assessments.
    Temporary files are refused: the dossier shows attachments from memory."""
    create_demo_data(sqlite_ctx)
    meeting = next(r for r in meeting_planning.list_meetings(sqlite_ctx) if r.status is MeetingStatus.PLANNED)
    from commissie_app.services.meeting_detail import get_meeting

    detail = get_meeting(sqlite_ctx, meeting.id)
    row, item = next((r, i) for r, i in enumerate(detail.items) if i.kind is ItemKind.APPLICATION)
    members = assessed(sqlite_ctx, item.application_id)

    def no_temp_files(*args, **kwargs):
        raise AssertionError("an attachment was written to a temporary file")

    for name in ("mkstemp", "NamedTemporaryFile", "mkdtemp", "TemporaryDirectory"):
        monkeypatch.setattr(tempfile, name, no_temp_files)
    return {"ctx": sqlite_ctx, "meeting": meeting.id, "row": row, "item": item, "members": members}


def meeting_view(qtbot, ctx, meeting_id, size=(1366, 768)):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    w.show_page(PAGES.index("meetings"))
    qtbot.waitUntil(lambda: w.meetings is not None)
    w.meetings.open_meeting(meeting_id)
    return w, w.meetings.meeting_view


def opened(qtbot, view) -> MeetingDossierDialog:
    qtbot.waitUntil(lambda: isinstance(view.dossier_dialog, MeetingDossierDialog))
    dialog = view.dossier_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def inside(widget: QWidget, window: QWidget) -> bool:
    return window.rect().contains(QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size()))


def test_the_dossier_opens_from_the_agenda_item_with_application_attachments_and_assessments(qtbot, world):
    """Issue 13: 'Dossier…' beside the selected application item opens the application (organisation, evidence),
    its PDF attachment rendered in the app (no temporary file) and the three assessments side by side; the
    comparison names the application, the long name is elided at most with the full name as tool tip and in
    the list of reasons, the unanswered questions are a grey '—' explained in the tool tip, and the long
    motivation wraps (its row grows when the window narrows) instead of being cut off."""
    ctx, item = world["ctx"], world["item"]
    w, view = meeting_view(qtbot, ctx, world["meeting"])
    view.select_row(world["row"])
    assert view.dossier_button.isVisible() and inside(view.dossier_button, w)
    qtbot.mouseClick(view.dossier_button, Qt.MouseButton.LeftButton)
    dialog = opened(qtbot, view)
    assert item.organisation in dialog.windowTitle()

    assert item.organisation in dialog.application_view.toPlainText()
    assert "DEMO-" in dialog.application_view.toPlainText()  # the evidence references

    dialog.show_tab(dialog.attachments)
    preview = dialog.attachments
    assert preview.list.count() == 1 and "certificaat-pso.pdf" in preview.list.item(0).text()
    qtbot.waitUntil(lambda: len(preview.pages) == 1)
    assert not preview.pages[0].pixmap().isNull()

    dialog.show_tab(dialog.compare)
    compare = dialog.compare
    assert item.organisation in compare.heading.text() and "KvK" in compare.heading.text()
    t = compare.table
    heads = [t.horizontalHeaderItem(c) for c in range(1, t.columnCount())]
    assert [h.text().split("\n")[0] for h in heads] == [LONG_NAME, "Mo Lid", "Ria Lid"]
    assert all(h.toolTip().startswith(h.text().split("\n")[0]) for h in heads)  # the full name, always
    assert LONG_NAME in compare.reasons.toPlainText()
    for a in compare.comparison.assessors:
        assert a.reason in compare.reasons.toPlainText()
    keys = [r.key for r in compare.comparison.rows]
    mission = t.item(keys.index("mission_primary"), 1)
    assert mission.text() == "—" and mission.toolTip() == "niet beantwoord"
    assert "(niet beantwoord)" not in "".join(t.item(r, c).text() for r in range(t.rowCount())
                                             for c in range(t.columnCount()))
    motivation = keys.index("advice_motivation")
    assert t.item(motivation, 2).text() == MOTIVATION
    line = t.fontMetrics().height()
    dialog.resize(1366, 700)
    qtbot.waitUntil(lambda: t.rowHeight(motivation) > 2 * line)  # wrapped over several lines
    wide = t.rowHeight(motivation)
    dialog.resize(911, 512)
    qtbot.waitUntil(lambda: t.rowHeight(motivation) > wide)  # narrower: more lines, the row grows with them


@pytest.mark.parametrize("how", ["shortcut", "enter"])
def test_ctrl_d_and_enter_on_the_agenda_item_open_the_dossier(qtbot, world, how):
    """Issue 13: Ctrl+D in the meeting view, or Enter on the agenda item, opens the dossier of that item."""
    w, view = meeting_view(qtbot, world["ctx"], world["meeting"])
    view.select_row(world["row"])
    view.agenda.setFocus()
    qtbot.waitUntil(view.agenda.hasFocus)
    if how == "shortcut":
        qtbot.keyClick(view.agenda, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClick(view.agenda, Qt.Key.Key_Return)
    dialog = opened(qtbot, view)
    assert dialog.application_id == world["item"].application_id
    view.open_dossier()  # again: the open dossier comes forward, no second window
    assert view.dossier_dialog is dialog


@pytest.mark.parametrize("size", SIZES)
def test_the_dossier_fits_a_laptop_at_100_and_150_percent(qtbot, world, size):
    """Issue 13: the dossier's minimum size fits 1366x768 and 911x512 (150 %); at that size every button (own
    assessment, PDF, print, close) is inside the window."""
    ctx = make_ctx(world["ctx"].db, "Mo Lid", Role.MEMBER)
    dialog = MeetingDossierDialog(ctx, world["item"].application_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], f"needs {hint}"
    dialog.resize(*size)
    qtbot.waitUntil(lambda: dialog.width() == size[0] and dialog.height() <= size[1])
    dialog.show_tab(dialog.compare)
    QApplication.processEvents()
    for button in (dialog.assess_button, dialog.compare.pdf_button, dialog.compare.print_button):
        assert button.isVisible() and inside(button, dialog), button.text()
        assert button.width() >= button.minimumSizeHint().width(), button.text()


def test_own_assessment_pdf_and_print_from_the_dossier(qtbot, world, monkeypatch, tmp_path):
    """Issue 13: a member opens their own assessment from the dossier ('Mijn beoordeling…'); 'PDF opslaan…' writes
    the comparison (naming the application and the assessors this member may see) and 'Afdrukken…' prints
    those same pages; an observer has no 'Mijn beoordeling…'."""
    from commissie_app.ui import pdf_preview
    from commissie_app.ui.assessment_dialog import AssessmentDialog

    item = world["item"]
    ctx = world["members"]["Mo Lid"]
    dialog = MeetingDossierDialog(ctx, item.application_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.assess_button.isVisible()
    qtbot.mouseClick(dialog.assess_button, Qt.MouseButton.LeftButton)
    own = dialog.assessment_dialog
    assert isinstance(own, AssessmentDialog)
    qtbot.addWidget(own)
    assert own.assessment.assessor == "Mo Lid"
    own.close()

    target = tmp_path / "vergelijking.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    qtbot.mouseClick(dialog.compare.pdf_button, Qt.MouseButton.LeftButton)
    text = squeezed(pdf_text(target.read_bytes()))
    assert squeezed(item.organisation) in text and "MoLid" in text
    assert "RiaLid" not in text  # another member's assessment: not shared under the demo's rules
    assert "2 beoordelingen van anderen zijn volgens de regels van de commissie niet zichtbaar" in \
        dialog.compare.summary.text()
    printed = []
    monkeypatch.setattr(pdf_preview, "print_pdf", lambda parent, data: printed.append(data) or True)
    qtbot.mouseClick(dialog.compare.print_button, Qt.MouseButton.LeftButton)
    assert printed and squeezed(item.organisation) in squeezed(pdf_text(printed[0]))

    observer = make_ctx(world["ctx"].db, "Olga Waarnemer", Role.OBSERVER)
    watching = MeetingDossierDialog(observer, item.application_id)
    qtbot.addWidget(watching)
    assert not watching.assess_button.isVisibleTo(watching)
    assert len(watching.compare.comparison.assessors) == 3  # an observer reads every assessment
