"""Every top-level window and dialog of ``commissie_app/ui``, each built with realistic demo content (issue 13).

Shared by ``test_window_fit.py`` (fits a 1366x768 laptop at 100 % and 150 %) and ``test_shortcuts_unique.py``
(no shortcut twice in one window). ``REGISTRY`` maps a window's key (``module.Class``, or ``module.function``
for a dialog a function builds from a plain ``QDialog``) to how it is built; ``OWNERS`` says which helper
owns a window where that matters for an expected failure. ``ui_windows()`` finds what must be registered.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QTabWidget, QWidget
from sqlalchemy import select

import commissie_app.ui
from commissie_app.db.engine import Database
from commissie_app.db.models import Application, Recognition
from commissie_app.domain.codes import Status
from commissie_app.domain.commission import Seat
from commissie_app.domain.meetings import ItemKind, MeetingStatus
from commissie_app.services import (
    commission,
    follow_up_agenda,
    letter_archive,
    letter_generation,
    meeting_detail,
    meeting_documents,
    meeting_planning,
    users,
)
from commissie_app.services.context import ServiceContext
from commissie_app.services.demo import create_demo_data
from tests.conftest import make_ctx

UI_DIR = Path(commissie_app.ui.__file__).parent


@dataclass
class Demo:
    """The demo database with letters for its closed meetings, and what the windows are opened on."""

    ctx: ServiceContext
    tmp: Path
    planned: meeting_detail.MeetingDetail
    closed: meeting_detail.MeetingDetail

    def app_id(self, status: Status):
        """The demo application in ``status`` with the longest history (the richest editor)."""
        with self.ctx.db.session() as s:
            apps = s.scalars(select(Application).where(Application.status == status.value)).all()
            return max(apps, key=lambda a: (len(a.status_changes), len(a.evidence))).id

    def recognition_id(self):
        with self.ctx.db.session() as s:
            return s.scalars(select(Recognition.id).order_by(Recognition.valid_from)).first()

    def application_item(self, detail: meeting_detail.MeetingDetail):
        return next(i for i in detail.items if i.kind is ItemKind.APPLICATION and (i.votes or detail is self.planned))


def make_demo(tmp: Path, sqlite_template: Path) -> Demo:
    shutil.copy(sqlite_template, tmp / "demo.sqlite")
    ctx = make_ctx(Database(f"sqlite:///{tmp / 'demo.sqlite'}"))
    create_demo_data(ctx)
    rows = meeting_planning.list_meetings(ctx)
    closed = [r for r in rows if r.status is MeetingStatus.CLOSED]
    for row in closed:
        letter_generation.generate_letters(ctx, row.id)
    planned = next(r for r in rows if r.status is MeetingStatus.PLANNED)
    return Demo(ctx, tmp, meeting_detail.get_meeting(ctx, planned.id), meeting_detail.get_meeting(ctx, closed[0].id))


@dataclass
class Entry:
    """How to build a window; ``states(window)`` shows each of its views in turn (pages, tabs); ``skip``:
    why it is not built here (a message box of Qt's own)."""

    build: Callable[[Demo], QWidget] | None
    states: Callable[[QWidget], Iterator[str]] | None = None
    skip: str = ""


def tab_states(window: QWidget) -> Iterator[str]:
    """Each tab of each tab widget in the window, shown in turn ("" first: the window as opened)."""
    yield ""
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisibleTo(window):
            continue
        before = tabs.currentIndex()
        for index in range(tabs.count()):
            if tabs.isTabEnabled(index) and tabs.isTabVisible(index):
                tabs.setCurrentIndex(index)
                QApplication.processEvents()
                yield f"tab {tabs.tabText(index)!r}"
        tabs.setCurrentIndex(before)


def main_window_states(window) -> Iterator[str]:
    """Every page of the main window (the lazy pages built), with its tabs."""
    from commissie_app.ui.main_window import PAGES

    for row, key in enumerate(PAGES):
        window.show_page(row)
        QApplication.processEvents()
        for state in tab_states(window):
            yield f"page {key} {state}".strip()


# ---------------------------------------------------------------- builders (each returns the window, not shown)


def _main_window(demo: Demo):
    from commissie_app.ui.main_window import MainWindow

    return MainWindow(demo.ctx)


def _editor(demo: Demo):
    from commissie_app.ui.application_editor import ApplicationEditorDialog

    return ApplicationEditorDialog(demo.ctx, demo.app_id(Status.INFO_REQUESTED))


def _new_application(demo: Demo):
    from commissie_app.ui.application_editor import ApplicationEditorDialog

    return ApplicationEditorDialog(demo.ctx, None)


def _assessment(demo: Demo):
    from commissie_app.ui.assessment_dialog import AssessmentDialog

    return AssessmentDialog(demo.ctx, demo.application_item(demo.planned).application_id)


def _dossier(demo: Demo):
    from commissie_app.ui.meeting_dossier import MeetingDossierDialog

    return MeetingDossierDialog(demo.ctx, demo.application_item(demo.planned).application_id)


def _comparison(demo: Demo):
    from commissie_app.ui.application_editor import ApplicationEditorDialog

    editor = ApplicationEditorDialog(demo.ctx, demo.application_item(demo.closed).application_id)
    editor.open_comparison()
    dialog = editor.comparison_dialog
    dialog.hide()
    dialog.setParent(None, dialog.windowFlags())  # a window of its own here; the editor goes with the test
    dialog._editor = editor
    return dialog


def _member(demo: Demo):
    from commissie_app.ui.commission_page import MemberDialog

    return MemberDialog(demo.ctx)


def _appoint(demo: Demo):
    from commissie_app.ui.commission_page import AppointDialog

    return AppointDialog(demo.ctx, Seat.SROI_SOUTH_KENNEMERLAND)


def _end_term(demo: Demo):
    from commissie_app.ui.commission_page import EndTermDialog

    term_id, term = commission.term_rows(demo.ctx)[0]
    return EndTermDialog(demo.ctx, term_id, term)


def _commission(demo: Demo):
    """The "Leden en zetels" dialog of the meetings page (built as ``show_commission`` builds it)."""
    from commissie_app.ui.meetings_page import MeetingsPage

    page = MeetingsPage(demo.ctx)
    shown: list[QDialog] = []
    original = QDialog.exec
    QDialog.exec = lambda dlg: shown.append(dlg) or 0
    try:
        page.show_commission()
    finally:
        QDialog.exec = original
    dialog = shown[0]
    dialog.setParent(None, dialog.windowFlags())
    dialog._page = page
    return dialog


def _correspondence(demo: Demo):
    from commissie_app.ui.correspondence_dialogs import CorrespondenceDialog

    return CorrespondenceDialog(demo.ctx, demo.app_id(Status.INFO_REQUESTED))


def _reminders(demo: Demo):
    from commissie_app.ui.correspondence_dialogs import RemindersDialog

    return RemindersDialog(demo.ctx)


def _first_start(demo: Demo):
    from commissie_app.settings import LocalSettings
    from commissie_app.ui.first_start import FirstStartDialog

    return FirstStartDialog(demo.ctx, LocalSettings(demo.tmp / "settings.json"))


def _forms(demo: Demo):
    from commissie_app.ui.forms_dialog import FormVersionsDialog

    return FormVersionsDialog(demo.ctx)


def _letters(demo: Demo):
    from commissie_app.ui.letters_dialog import LettersDialog

    return LettersDialog(demo.ctx, demo.closed.id)


def _mark_sent(demo: Demo):
    from commissie_app.ui.letters_dialog import MarkSentDialog

    return MarkSentDialog(letter_archive.list_letters(demo.ctx, demo.closed.id)[0], demo.ctx.today())


def _manual(demo: Demo):
    from commissie_app.ui.manual import ManualDialog

    return ManualDialog()


def _shortcuts(demo: Demo):
    from commissie_app.ui.shortcuts_dialog import ShortcutsDialog

    window = _main_window(demo)
    dialog = ShortcutsDialog(window)
    dialog.setParent(None, dialog.windowFlags())
    dialog._window = window
    return dialog


def _meeting(demo: Demo):
    from commissie_app.ui.meeting_dialogs import MeetingDialog

    return MeetingDialog(demo.ctx, demo.planned)


def _new_meeting(demo: Demo):
    from commissie_app.ui.meeting_dialogs import MeetingDialog

    return MeetingDialog(demo.ctx, None)


def _complete(demo: Demo):
    from commissie_app.services import meeting_agenda
    from commissie_app.ui.meeting_dialogs import CompleteApplicationsDialog

    candidates = meeting_agenda.complete_applications(demo.ctx)
    assert candidates, "the demo data has complete applications that are on no agenda yet"
    return CompleteApplicationsDialog(candidates)


def _conflict(demo: Demo):
    from commissie_app.ui.meeting_dialogs import ConflictDialog

    return ConflictDialog(demo.ctx, demo.application_item(demo.planned), list(demo.planned.attendees))


def _decision(demo: Demo):
    from commissie_app.ui.meeting_dialogs import DecisionDialog

    return DecisionDialog(demo.ctx, demo.application_item(demo.planned), demo.planned.local_start.date(),
                          demo.planned.rules)


def _question(demo: Demo):
    """The longest question the meeting view asks (closing), with its two Dutch buttons."""
    from PySide6.QtWidgets import QMessageBox

    from commissie_app.domain.meetings import MeetingStatus
    from commissie_app.ui.meeting_texts import step_consequence
    from commissie_app.ui.widgets import question_box

    box, _buttons = question_box(None, "Vergadering sluiten", step_consequence(demo.planned, MeetingStatus.CLOSED),
                                 [("Vergadering sluiten", QMessageBox.ButtonRole.AcceptRole),
                                  ("Annuleren", QMessageBox.ButtonRole.RejectRole)])
    return box


def _decision_change(demo: Demo):
    from commissie_app.ui.meeting_dialogs import DecisionChangeDialog

    return DecisionChangeDialog(demo.ctx, demo.application_item(demo.closed), demo.closed.rules)


def _correction(demo: Demo):
    from commissie_app.ui.meeting_dialogs import CorrectionDialog

    item = demo.application_item(demo.closed)
    motivation = item.decision.motivation if item.decision else "Motivering"
    return CorrectionDialog("Motivering corrigeren", "Motivering", motivation, lambda value, reason: None,
                            text=motivation)


def _vote_correction(demo: Demo):
    from commissie_app.ui.meeting_dialogs import VoteCorrectionDialog

    item = demo.application_item(demo.closed)
    member_id, name, choice = item.votes[0]
    return VoteCorrectionDialog(demo.ctx, item, member_id, name, choice)


def _pdf_preview(demo: Demo):
    from commissie_app.ui.pdf_preview import PdfPreviewDialog

    return PdfPreviewDialog(meeting_documents.agenda_pdf(demo.ctx, demo.planned.id), "Agenda")


def _reassessment(demo: Demo):
    from commissie_app.ui.reassessment_dialog import ReassessmentDialog

    proposals = follow_up_agenda.proposals(demo.ctx, demo.ctx.today() + dt.timedelta(days=3 * 365))
    assert proposals, "the demo data has recognitions to reassess within three years"
    return ReassessmentDialog(proposals)


def _recognition(demo: Demo):
    from commissie_app.ui.recognition_dialog import RecognitionDialog

    return RecognitionDialog(demo.ctx, demo.recognition_id())


def _key(demo: Demo):
    from commissie_app.services.laptop_keys import laptop_public_key
    from commissie_app.ui.review_dialogs import KeyDialog

    return KeyDialog(laptop_public_key())


def _review_export(demo: Demo):
    from commissie_app.ui.review_export_dialog import ReviewExportDialog

    return ReviewExportDialog(demo.ctx, demo.planned.id)


def _review_import(demo: Demo):
    from commissie_app.ui.review_import_dialog import ReviewImportDialog

    return ReviewImportDialog(demo.ctx)


def _key_register(demo: Demo):
    from commissie_app.ui.review_key_dialog import KeyRegisterDialog

    return KeyRegisterDialog(demo.ctx, users.list_users(demo.ctx)[0])


def _review_window(demo: Demo):
    from commissie_app.services import review_workspace as rw
    from commissie_app.ui.review_window import ReviewWindow
    from tests.review_builders import TODAY, build_package

    folder = demo.tmp / "package"
    folder.mkdir(exist_ok=True)
    built = build_package(folder)
    return ReviewWindow(rw.open_package(built.path, today=TODAY))


def _status(demo: Demo):
    from commissie_app.services import applications
    from commissie_app.ui.status_dialog import StatusDialog

    app_id = demo.app_id(Status.IN_PROGRESS)
    return StatusDialog(demo.ctx, app_id, Status.IN_PROGRESS, applications.get_application(demo.ctx, app_id).version)


def _import_problems(demo: Demo):
    from commissie_app.ui.transfer_actions import ImportProblemsDialog

    problems = [(row, "KvK-nummer", f"Het KvK-nummer '1234{row}' heeft geen 8 cijfers.") for row in range(2, 40)]
    return ImportProblemsDialog(demo.tmp / "aanvragen-import-van-de-gemeente-haarlem-2026.xlsx", problems)


def _unreachable(demo: Demo):
    from commissie_app.domain.server_errors import ServerUnreachableError
    from commissie_app.ui.app import ServerProblem
    from commissie_app.ui.unreachable_dialog import UnreachableDialog

    error = ServerUnreachableError("db.kennemer-inkoop.example.nl:5432", "commissie")
    return UnreachableDialog(ServerProblem(error, "postgresql+psycopg://db.kennemer-inkoop.example.nl/commissie"),
                             lambda url: None)


def _server_address(demo: Demo):
    from commissie_app.ui.unreachable_dialog import ServerAddressDialog

    return ServerAddressDialog()


def _backups(demo: Demo):
    from types import SimpleNamespace

    from commissie_app.ui.unreachable_dialog import BackupChooser

    made = dt.datetime(2026, 11, 23, 17, 5)
    return BackupChooser([SimpleNamespace(made_at=made - dt.timedelta(days=i), size=48_000_000 + i,
                                          path=demo.tmp / f"commissie-{(made - dt.timedelta(days=i)):%Y%m%d-%H%M}.sqlite")
                          for i in range(10)])


def _unexpected_error(demo: Demo):
    from commissie_app.ui.error_dialog import UnexpectedErrorDialog
    from tests.ui.test_error_messages import _failure

    return UnexpectedErrorDialog(None, _failure())


def _user_edit(demo: Demo):
    from commissie_app.ui.users_dialog import UserEditDialog

    return UserEditDialog(demo.ctx, users.list_users(demo.ctx)[0])


def _users(demo: Demo):
    from commissie_app.ui.users_dialog import UsersDialog

    return UsersDialog(demo.ctx)


def _precheck(demo: Demo):
    """The vooraf-check with answers that name two criteria and a startup (the longest outcome page)."""
    from commissie_app.ui.precheck_dialog import PrecheckDialog

    dialog = PrecheckDialog(demo.ctx)
    dialog.organisation.setEditText("Stichting Samen Aan Het Werk in Zuid-Kennemerland")
    dialog.renderer.set_answers({"region_established": "ja", "region_municipality": "Velsen", "crit_code_so": "nee",
                                 "crit_se_nl": "ja", "crit_pso30": "ja", "crit_non_profit": "ja", "crit_bcorp": "nee",
                                 "crit_startup": "ja", "startup_founded_on": "01-06-2025", "mission_primary": "ja"})
    return dialog


def precheck_states(dialog) -> Iterator[str]:
    """Each step of the vooraf-check in turn."""
    for step in range(dialog.stack.count()):
        dialog.go_to(step)
        QApplication.processEvents()
        yield f"step {step + 1}"


def _presentation(demo: Demo):
    from commissie_app.ui.presentation_view import PresentationView

    view = PresentationView(demo.closed)
    view.show_item(demo.application_item(demo.closed).id)
    return view


def _advice_window(demo: Demo):
    from commissie_app.ui.advice_page import AdviceWindow

    return AdviceWindow(demo.ctx)


def _answered_advice(demo: Demo):
    from commissie_app.services import advice

    return next(a for a in advice.list_advice(demo.ctx) if a.response_on is not None)


def _advice_dialog(demo: Demo):
    from commissie_app.ui.advice_dialogs import AdviceDialog

    return AdviceDialog(demo.ctx, _answered_advice(demo))  # asked, with a long text


def _advice_sent(demo: Demo):
    from commissie_app.ui.advice_dialogs import SentDialog

    return SentDialog(demo.ctx, _answered_advice(demo))


def _advice_response(demo: Demo):
    from commissie_app.ui.advice_dialogs import ResponseDialog

    return ResponseDialog(demo.ctx, _answered_advice(demo))


def _development(demo: Demo):
    from commissie_app.services import developments
    from commissie_app.ui.advice_dialogs import DevelopmentDialog

    return DevelopmentDialog(demo.ctx, developments.list_developments(demo.ctx)[1])  # the longest link


REGISTRY: dict[str, Entry] = {
    "main_window.MainWindow": Entry(_main_window, main_window_states),
    "application_editor.ApplicationEditorDialog": Entry(_editor),
    "application_editor.ApplicationEditorDialog (new)": Entry(_new_application),
    "application_editor.open_comparison": Entry(_comparison),
    "assessment_dialog.AssessmentDialog": Entry(_assessment),
    "commission_page.MemberDialog": Entry(_member),
    "commission_page.AppointDialog": Entry(_appoint),
    "commission_page.EndTermDialog": Entry(_end_term),
    "meetings_page.show_commission": Entry(_commission),
    "correspondence_dialogs.CorrespondenceDialog": Entry(_correspondence),
    "correspondence_dialogs.RemindersDialog": Entry(_reminders),
    "first_start.FirstStartDialog": Entry(_first_start),
    "forms_dialog.FormVersionsDialog": Entry(_forms),
    "letters_dialog.LettersDialog": Entry(_letters),
    "letters_dialog.MarkSentDialog": Entry(_mark_sent),
    "manual.ManualDialog": Entry(_manual),
    "shortcuts_dialog.ShortcutsDialog": Entry(_shortcuts),
    "meeting_dossier.MeetingDossierDialog": Entry(_dossier, tab_states),
    "meeting_dialogs.MeetingDialog": Entry(_meeting),
    "meeting_dialogs.MeetingDialog (new)": Entry(_new_meeting),
    "meeting_dialogs.CompleteApplicationsDialog": Entry(_complete),
    "meeting_dialogs.ConflictDialog": Entry(_conflict),
    "meeting_dialogs.DecisionDialog": Entry(_decision),
    "meeting_dialogs.CorrectionDialog": Entry(_correction),
    "meeting_dialogs.VoteCorrectionDialog": Entry(_vote_correction),
    "pdf_preview.PdfPreviewDialog": Entry(_pdf_preview),
    "reassessment_dialog.ReassessmentDialog": Entry(_reassessment),
    "recognition_dialog.RecognitionDialog": Entry(_recognition),
    "review_dialogs.KeyDialog": Entry(_key),
    "review_export_dialog.ReviewExportDialog": Entry(_review_export),
    "review_import_dialog.ReviewImportDialog": Entry(_review_import),
    "review_key_dialog.KeyRegisterDialog": Entry(_key_register),
    "review_window.ReviewWindow": Entry(_review_window),
    "status_dialog.StatusDialog": Entry(_status),
    "transfer_actions.ImportProblemsDialog": Entry(_import_problems),
    "unreachable_dialog.UnreachableDialog": Entry(_unreachable),
    "unreachable_dialog.ServerAddressDialog": Entry(_server_address),
    "unreachable_dialog.BackupChooser": Entry(_backups),
    "error_dialog.UnexpectedErrorDialog": Entry(_unexpected_error),
    "users_dialog.UserEditDialog": Entry(_user_edit),
    "users_dialog.UsersDialog": Entry(_users),
    "presentation_view.PresentationView": Entry(_presentation),
    "precheck_dialog.PrecheckDialog": Entry(_precheck, precheck_states),
    "meeting_dialogs.DecisionChangeDialog": Entry(_decision_change),
    "widgets.question_box": Entry(_question),  # the box widgets.ask shows
    "advice_page.AdviceWindow": Entry(_advice_window, tab_states),  # issue 15
    "advice_dialogs.AdviceDialog": Entry(_advice_dialog),
    "advice_dialogs.SentDialog": Entry(_advice_sent),
    "advice_dialogs.ResponseDialog": Entry(_advice_response),
    "advice_dialogs.DevelopmentDialog": Entry(_development),
}


# ---------------------------------------------------------------- what must be registered


def _ui_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(UI_DIR)]))


def _subclasses(cls) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def ui_windows() -> set[str]:
    """Every QDialog and QMainWindow subclass of ``commissie_app/ui`` (``module.Class``), and every function
    there that builds a plain ``QDialog(...)`` or ``QMessageBox(...)`` (``module.function``)."""
    for name in _ui_modules():
        importlib.import_module(f"commissie_app.ui.{name}")
    found = {f"{c.__module__.rsplit('.', 1)[-1]}.{c.__name__}"
             for base in (QDialog, QMainWindow) for c in _subclasses(base)
             if c.__module__.startswith("commissie_app.ui.")}
    for name in _ui_modules():
        tree = ast.parse((UI_DIR / f"{name}.py").read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in ("QDialog", "QMessageBox")):
                    found.add(f"{name}.{func.name}")
    return found
