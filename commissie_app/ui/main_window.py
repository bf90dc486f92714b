"""The main window: navigation, menus, status bar, and the pages.

At start-up the window gets the rows of the list that ``ui/app.py`` read before Qt was imported, so
its first frame shows them. The other pages are built the first time they are shown (they need
the ORM, which the list does not).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from commissie_app import APP_NAME, __version__
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.paths import config_dir, data_dir
from commissie_app.domain.permissions import Action
from commissie_app.ui.application_list import ApplicationListPage
from commissie_app.ui.errors import show_error
from commissie_app.ui.placeholders import LazyPage, PlaceholderPage, placeholder_texts
from commissie_app.ui.labels import plain
from commissie_app.ui.banner import MessageBanner

if TYPE_CHECKING:
    import uuid

    from PySide6.QtGui import QCloseEvent

    from commissie_app.services.application_rows import ApplicationRow
    from commissie_app.services.changes import Changes
    from commissie_app.services.context import ServiceContext
    from commissie_app.settings import LocalSettings


PAGES = ("applications", "meetings", "register", "settings", "report")

SIDEBAR_STYLE = """
QListWidget#navigation {
    border: none;
    background: palette(window);
    font-size: 10.5pt;
    outline: 0;
}
QListWidget#navigation::item {
    padding: 9px 14px;
    border-left: 3px solid transparent;
}
QListWidget#navigation::item:selected {
    background: palette(base);
    color: palette(text);
    border-left: 3px solid palette(highlight);
    font-weight: bold;
}
"""


class MainWindow(QMainWindow):
    sig_ready = Signal()  # the list has been loaded
    sig_first_frame = Signal()  # painted once: what the first frame does not need may follow

    def __init__(self, ctx: ServiceContext | None = None, settings: LocalSettings | None = None, parent=None, *,
                 rows: list[ApplicationRow] | None = None):
        """With ``rows`` (read at start-up) the list shows them and is not read again, with or without
        ``ctx`` (the database may come after the first frame: ``set_context(ctx, reload=False)``); the
        start-screen warnings then wait for ``update_warnings()``."""
        super().__init__(parent)
        self.ctx: ServiceContext | None = None
        self.setWindowTitle(APP_NAME)
        self._editors: dict[object, QWidget] = {}
        self._painted = False
        self._lazy_pages: dict[str, LazyPage] = {}  # pages that need a database, built when first shown
        self.todo_view: QWidget | None = None  # "Te doen" on the start page (secretary, chair): set_context
        self.checklist_view = None  # "Aan de slag" above it on a database without work yet (issue 13)
        self._settings = settings
        search_delay_ms = settings.get("search_delay_ms") if settings is not None else None

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setStyleSheet(SIDEBAR_STYLE)
        self.navigation.setAccessibleName(_("Navigatie"))
        self.navigation.setFixedWidth(max(170, self.fontMetrics().horizontalAdvance("Vergaderingen") + 70))
        self.stack = QStackedWidget(self)
        options = {} if search_delay_ms is None else {"search_delay_ms": search_delay_ms}
        self.applications = ApplicationListPage(self, **options)
        self.applications.sig_open_requested.connect(self.open_application)
        self.applications.sig_new_requested.connect(self.new_application)
        self.applications.sig_precheck_requested.connect(self.open_precheck)
        self.applications.sig_assess_requested.connect(self.open_assessment)  # issue 13
        self._add_page(_("Aanvragen"), self.applications)
        for key in PAGES[1:]:
            title, text = placeholder_texts()[key]
            self._add_page(title, LazyPage(lambda parent, t=title, x=text: PlaceholderPage(t, x, parent), self))
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.navigation.currentRowChanged.connect(lambda _row: self._show_todo_with_the_start_page())
        self.navigation.currentRowChanged.connect(lambda _row: self._show_checklist_with_the_start_page())
        self.navigation.currentRowChanged.connect(lambda _row: self._page_changed())
        self.navigation.setCurrentRow(0)

        sidebar = QWidget(self)
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(self.navigation.width())
        title = QLabel(_("Commissie\nSociaal Inkopen"), sidebar)
        title.setObjectName("sidebarTitle")
        title.setStyleSheet("font-weight: bold; font-size: 11pt; padding: 14px 14px 10px 16px;")
        side_layout = QVBoxLayout(sidebar)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(title)
        side_layout.addWidget(self.navigation, 1)
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet("color: palette(mid);")

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(sidebar)
        layout.addWidget(line)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        # Start-screen warnings: too few meetings this year, a vacant or long-held seat. Closed ones stay
        # away for the session unless their text changes (shared with the meetings page, issue 13).
        self.dismissed_warnings: set[str] = set()
        self._warnings_text = ""
        self.warning_banner = MessageBanner(self, dismissed=self.dismissed_warnings)
        self.warning_banner.setObjectName("warningBanner")
        right.addWidget(self.warning_banner)
        self._right = right  # the "Te doen" view goes between the banner and the pages (set_context)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.user_label = QLabel(self)
        self.db_label = QLabel(self)
        for label in (self.user_label, self.db_label):  # names and paths as they are
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().setStyleSheet("QStatusBar QLabel { padding: 0 8px; }")
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self._update_status()
        if rows is not None:
            self.applications.set_rows(rows)
        if ctx is not None:
            self.set_context(ctx, reload=rows is None)

    def _replace_page(self, index: int, page: QWidget) -> None:
        old = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(old)
        old.deleteLater()
        self.stack.setCurrentIndex(self.navigation.currentRow())

    def _add_page(self, title: str, page: QWidget) -> None:
        self.stack.addWidget(page)
        self.navigation.addItem(title)

    def _action(self, text: str, slot, shortcut=None, needs_db: bool = True, needs: Action | None = None) -> QAction:
        """A menu action; ``needs``: the permission without which it stays disabled (the service would
        refuse it anyway)."""
        action = QAction(text, self)
        action.setData(needs)
        if isinstance(shortcut, str):
            action.setShortcut(QKeySequence(shortcut))
        elif shortcut is not None:
            action.setShortcuts(shortcut)
        action.triggered.connect(slot)
        if needs_db:
            action.setEnabled(False)
            self._db_actions.append(action)
        return action

    def _build_menus(self) -> None:
        self._db_actions: list[QAction] = []
        self.new_action = self._action(_("&Nieuwe aanvraag"), self.new_application, QKeySequence.StandardKey.New,
                                       needs=Action.REGISTER_APPLICATION)
        self.new_meeting_action = self._action(_("Nieuwe &vergadering…"), self.new_meeting, needs=Action.PLAN_MEETING)
        self.precheck_action = self._action(_("Voora&f-check…"), self.open_precheck, "Ctrl+Shift+K",
                                            needs=Action.RECORD_PRECHECK)
        self.import_action = self._action(_("&Importeren…"), self.import_applications, needs=Action.TRANSFER_DATA)
        self.export_action = self._action(_("&Exporteren…"), self.export_applications, needs=Action.TRANSFER_DATA)
        # the public register, without personal data: every role (services/register_export.py)
        self.register_export_action = self._action(_("Register e&xporteren…"), self.export_register)
        self.review_import_action = self._action(_("Retourpakketten in&lezen…"), self.import_review_returns,
                                                 "Ctrl+Shift+I", needs=Action.REVIEW_PACKAGES)
        self.backup_action = self._action(_("&Reservekopie maken…"), self.make_backup, needs=Action.MAKE_BACKUP)
        self.review_packages_action = self._action(_("Beoordelings&pakketten…"), self.show_review_packages,
                                                   needs=Action.REVIEW_PACKAGES)
        self.open_package_action = self._action(_("Beoordelingspakket &openen…"), self.open_review_package,
                                                needs_db=False)  # a member's package: no database needed
        self.reminders_action = self._action(_("&Herinneringen…"), self.show_reminders, needs=Action.MAKE_LETTERS)
        self.forms_action = self._action(_("&Beoordelingsformulieren…"), self.show_forms)
        self.users_action = self._action(_("&Gebruikers en rollen…"), self.show_users)
        self.quit_action = self._action(_("&Afsluiten"), self.close, "Ctrl+Q", needs_db=False)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu = self.menuBar().addMenu(_("&Bestand"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.new_meeting_action)
        file_menu.addAction(self.precheck_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.register_export_action)
        file_menu.addAction(self.review_packages_action)
        file_menu.addAction(self.open_package_action)
        file_menu.addAction(self.review_import_action)
        file_menu.addAction(self.reminders_action)
        file_menu.addSeparator()
        file_menu.addAction(self.forms_action)
        file_menu.addAction(self.users_action)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        go_menu = self.menuBar().addMenu(_("&Ga naar"))
        for i in range(self.navigation.count()):
            action = self._action(self.navigation.item(i).text(), lambda _c=False, row=i: self.show_page(row),
                                  f"Ctrl+{i + 1}", needs_db=False)
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu(_("&Help"))
        self.about_action = self._action(_("&Over {app}").format(app=APP_NAME), self.show_about, needs_db=False)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.manual_action = self._action(_("&Handleiding"), self.show_manual, "F1", needs_db=False)
        self.shortcuts_action = self._action(_("&Sneltoetsen"), self.show_shortcuts, needs_db=False)
        help_menu.addAction(self.manual_action)
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def show_page(self, row: int) -> None:
        self.navigation.setCurrentRow(row)
        if row == 0:
            self.applications.table.setFocus()

    def show_settings(self) -> None:
        """The settings page, in front (a refused letter offers it: ``ui/letter_contact.py``)."""
        self.show_page(PAGES.index("settings"))
        self.raise_()
        self.activateWindow()

    def sizeHint(self) -> QSize:
        return QSize(1200, 760)

    # -- database ------------------------------------------------------------------------------
    def set_context(self, ctx: ServiceContext, *, reload: bool = True) -> None:
        """Work on this database: the list read (with the warnings) unless ``reload`` is false (the
        window already shows the rows read at start-up)."""
        from commissie_app.services.access import may  # the service context: after the first frame

        self.ctx = ctx
        for action in self._db_actions:
            action.setEnabled(action.data() is None or may(ctx, action.data()))
        self.applications.new_button.setEnabled(self.new_action.isEnabled())  # the list's own button
        self.applications.precheck_button.setEnabled(self.precheck_action.isEnabled())
        self.applications.set_may_assess(may(ctx, Action.WRITE_ASSESSMENT), ctx.actor.role.label)
        self._update_status()
        self._install_meetings_page(ctx)
        self._install_settings_page(ctx)
        self._install_register_page(ctx)
        self._install_report_page(ctx)
        self._install_todo_view(ctx)
        if reload:
            self.reload()
        else:
            self.sig_ready.emit()

    def update_warnings(self) -> None:
        from commissie_app.services.commission import composition_warnings
        from commissie_app.services.meeting_planning import year_warnings

        this_year = str(self.ctx.today().year)
        warnings = [w for w in year_warnings(self.ctx) if this_year in w] + composition_warnings(self.ctx)
        self._warnings_text = "\n".join("⚠ " + w for w in warnings)
        self._show_warnings()
        self._refresh_checklist()

    def _show_warnings(self) -> None:
        """The start-screen warnings, except on the meetings page: it shows them itself, with the year
        chosen there and a button to the members and seats (each warning once, issue 13)."""
        if self._warnings_text and self.navigation.currentRow() != PAGES.index("meetings"):
            self.warning_banner.show_message(self._warnings_text, "warning")
        else:
            self.warning_banner.clear()

    def _page_changed(self) -> None:
        """Ctrl+N makes something new for the page shown; the start-screen warnings follow the page."""
        on_meetings = self.navigation.currentRow() == PAGES.index("meetings")
        if hasattr(self, "new_meeting_action"):  # the menus are built after the pages
            new = QKeySequence.keyBindings(QKeySequence.StandardKey.New)
            self.new_action.setShortcuts([] if on_meetings else new)
            self.new_meeting_action.setShortcuts(new if on_meetings else [])
            self._show_warnings()

    def _install_meetings_page(self, ctx: ServiceContext) -> None:
        """Once there is a database, the meetings page replaces its placeholder (built when first shown:
        it needs the ORM, which the list does not)."""
        if self.meetings is not None:
            self.meetings.set_context(ctx)
            return

        def build(parent: QWidget) -> QWidget:
            from commissie_app.ui.meetings_page import MeetingsPage

            page = MeetingsPage(self.ctx, parent, dismissed=self.dismissed_warnings)
            page.new_shortcut.setEnabled(False)  # the window's File › Nieuwe vergadering… has Ctrl+N here
            page.sig_changed.connect(self.apply_changes)
            return page

        self._install_lazy_page("meetings", build)

    def _install_settings_page(self, ctx: ServiceContext) -> None:
        """Once there is a database, the settings page (the letterhead) replaces its placeholder (built
        when first shown: opening the app does not wait for it)."""
        if self.settings_page is not None:
            self.settings_page.ctx = ctx
            self.settings_page.load()
            return

        def build(parent: QWidget) -> QWidget:
            from commissie_app.ui.settings_page import SettingsPage

            return SettingsPage(self.ctx, parent)

        self._install_lazy_page("settings", build)

    def _install_register_page(self, ctx: ServiceContext) -> None:
        """Once there is a database, the Register page replaces its placeholder (built when first shown)."""
        if self.register_page is not None:
            self.register_page.set_context(ctx)
            return

        def build(parent: QWidget) -> QWidget:
            from commissie_app.ui.register_page import RegisterPage

            page = RegisterPage(self.ctx, parent)
            page.sig_open_application.connect(self.open_application)
            page.sig_changed.connect(self.apply_changes)
            return page

        self._install_lazy_page("register", build)

    def _install_report_page(self, ctx: ServiceContext) -> None:
        """Once there is a database, the Rapportage page (the annual report, issue 15) replaces its placeholder."""
        holder = self._lazy_pages.get("report")
        if holder is not None and holder.content is not None:
            holder.content.set_context(ctx)
            return

        def build(parent):
            from commissie_app.ui.report_page import ReportPage

            return ReportPage(self.ctx, parent)

        self._install_lazy_page("report", build)

    def _install_todo_view(self, ctx: ServiceContext) -> None:
        """The "Te doen" view above the start page's list, for the secretary and the chair (issue 12)."""
        from commissie_app.ui.todo_view import TodoView, may_see

        if self.todo_view is not None:
            self._right.removeWidget(self.todo_view)
            self.todo_view.deleteLater()
            self.todo_view = None
        if not may_see(ctx):
            return
        self.todo_view = TodoView(ctx, self)
        self.todo_view.sig_open_recognition.connect(self.open_recognition)
        self.todo_view.sig_open_application.connect(self.open_application)
        self.todo_view.sig_open_letters.connect(self.open_letters)
        self._right.insertWidget(1, self.todo_view)
        self._show_todo_with_the_start_page()

    def _show_todo_with_the_start_page(self) -> None:
        if self.todo_view is not None:
            self.todo_view.setVisible(self.navigation.currentRow() == 0 and bool(self.todo_view.rows))

    # -- the first-run checklist (issue 13) -------------------------------------------------------
    def _refresh_checklist(self) -> None:
        """Read the checklist again (after the warnings, or a new application) and show it if a step is open."""
        from commissie_app.services.access import may
        from commissie_app.services.first_run import checklist
        from commissie_app.ui.todo_view import FirstRunChecklist, may_see

        if self.ctx is None or not may_see(self.ctx):
            if self.checklist_view is not None:
                self.checklist_view.hide()
            return
        if self.checklist_view is None:
            self.checklist_view = FirstRunChecklist(self)
            self.checklist_view.sig_commission.connect(self.show_commission)
            self.checklist_view.sig_plan_meeting.connect(self.new_meeting)
            self.checklist_view.sig_new_application.connect(self.new_application)
            self.checklist_view.sig_hidden.connect(self._checklist_hidden)
            self._right.insertWidget(1, self.checklist_view)
        view = self.checklist_view
        view.hidden_for_good = self.ctx.db.location in self._hidden_checklists()
        view.show_checklist(checklist(self.ctx), allowed={
            "seats": may(self.ctx, Action.MANAGE_COMMISSION), "meetings": may(self.ctx, Action.PLAN_MEETING),
            "applications": may(self.ctx, Action.REGISTER_APPLICATION)})
        self._show_checklist_with_the_start_page()

    def _show_checklist_with_the_start_page(self) -> None:
        view = self.checklist_view
        if view is not None and view.checklist is not None:
            view.setVisible(self.navigation.currentRow() == 0 and not view.checklist.done
                            and not view.hidden_for_good)

    def _hidden_checklists(self) -> list[str]:
        return list(self._settings.get("checklist_hidden")) if self._settings is not None else []

    def _checklist_hidden(self) -> None:
        if self._settings is not None and self.ctx is not None:
            self._settings.set("checklist_hidden", self._hidden_checklists() + [self.ctx.db.location])

    def show_commission(self) -> None:
        """The members and seats (on the meetings page), then the warnings and the checklist read again."""
        self.show_page(PAGES.index("meetings"))
        if self.meetings is not None:
            self.meetings.show_commission()
            self.update_warnings()

    def open_recognition(self, recognition_id: uuid.UUID) -> None:
        """The Register page, with this recognition selected and its detail open."""
        self.show_page(PAGES.index("register"))
        page = self.register_page
        if page is not None:
            page.select_id(recognition_id)
            page.open_recognition(recognition_id)

    def open_letters(self, meeting_id: uuid.UUID | None, letter_id: uuid.UUID | None = None) -> None:
        """The letters dialog of a meeting (decision letters), else the dialog of the other letters; with this
        letter selected."""
        from commissie_app.ui.correspondence_dialogs import CorrespondenceDialog
        from commissie_app.ui.letters_dialog import LettersDialog

        try:
            self.letters_dialog = (LettersDialog(self.ctx, meeting_id, self) if meeting_id is not None
                                   else CorrespondenceDialog(self.ctx, parent=self))
        except DomainError as err:
            show_error(self, err)
            return
        if letter_id is not None:
            self.letters_dialog.reload(letter_id)
        self.letters_dialog.finished.connect(lambda _r: self._refresh_todo())
        self.letters_dialog.show()

    def _refresh_todo(self) -> None:
        if self.todo_view is not None:
            self.todo_view.reload()
            self._show_todo_with_the_start_page()

    def _install_lazy_page(self, key: str, build) -> None:
        self._lazy_pages[key] = LazyPage(build, self)
        self._replace_page(PAGES.index(key), self._lazy_pages[key])

    @property
    def meetings(self):
        """The meetings page, or None while it has not been shown yet."""
        holder = self._lazy_pages.get("meetings")
        return holder.content if holder is not None else None

    @property
    def register_page(self):
        """The Register page, or None while it has not been shown yet."""
        holder = self._lazy_pages.get("register")
        return holder.content if holder is not None else None

    @property
    def settings_page(self):
        """The settings page, or None while it has not been shown yet."""
        holder = self._lazy_pages.get("settings")
        return holder.content if holder is not None else None

    def reload(self) -> None:
        """Read every row again (first load, after an import)."""
        self.applications.set_rows(self._read_rows())
        self.update_warnings()
        self.sig_ready.emit()

    def apply_changes(self, changes: Changes) -> None:
        """What a service call changed (``services.changes``): only the applications it touched are read
        again; the warnings when meetings or the commission changed."""
        ids = sorted(changes.ids("application"), key=str)
        if ids:
            self.refresh_rows(ids)
        if changes.touches("meeting") or changes.touches("term"):
            self.update_warnings()
        if changes.touches("recognition") and self.register_page is not None:
            self.register_page.reload()
        if any(changes.touches(t) for t in ("recognition", "application", "decision_letter", "letter")):
            self._refresh_todo()
        if changes.touches("application") and not changes.touches("meeting") and not changes.touches("term"):
            self._refresh_checklist()  # (a meeting or a term: update_warnings did)

    def refresh_rows(self, ids: list[uuid.UUID]) -> None:
        """Re-read only these applications after a change (one small query)."""
        self.applications.update_rows(self._read_rows(ids), ids)

    def _read_rows(self, ids: list[uuid.UUID] | None = None) -> list[ApplicationRow]:
        # SQLAlchemy: not needed to paint the rows read at start-up (ui/app.py)
        from commissie_app.services.application_rows import list_rows

        return list_rows(self.ctx, ids)

    def _update_status(self) -> None:
        if self.ctx is None:
            self.user_label.setText(_("Database openen…"))
            self.db_label.setText("")
            return
        from commissie_app.services.context import NOBODY

        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actor = self.ctx.actor
        if actor == NOBODY:
            self.user_label.setText(_("Gebruiker: nog niet gekozen"))
        else:
            self.user_label.setText(_("Gebruiker: {name} ({role})").format(name=actor.name, role=actor.role.label))
        location = self.ctx.db.location
        self.db_label.setText(_("Database: {location}").format(location=location))
        self.db_label.setToolTip(plain(location))

    def new_meeting(self) -> None:
        """File › Nieuwe vergadering… (Ctrl+N on the meetings page): the meetings page, then its dialog."""
        self.show_page(PAGES.index("meetings"))
        if self.meetings is not None:
            self.meetings.new_meeting()

    # -- applications --------------------------------------------------------------------------
    def new_application(self) -> None:
        self._open_editor(None)

    def open_precheck(self) -> None:
        """Bestand › Vooraf-check… (also the button beside Nieuwe aanvraag): the guided check before applying."""
        from commissie_app.ui.precheck_dialog import PrecheckDialog

        if self.ctx is None:
            return
        try:
            self.precheck_dialog = PrecheckDialog(self.ctx, self)
        except DomainError as err:
            show_error(self, err)
            return
        self.precheck_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.precheck_dialog.sig_application_created.connect(self._application_saved)
        self.precheck_dialog.show()

    def open_application(self, app_id: uuid.UUID) -> None:
        self._open_editor(app_id)

    def open_assessment(self, app_id: uuid.UUID) -> None:
        """Beoordelen… from the list (issue 13): the user's own assessment of the application."""
        from commissie_app.ui.assessment_dialog import open_assessment

        if self.ctx is not None:
            open_assessment(self, self.ctx, app_id)

    def _open_editor(self, app_id: uuid.UUID | None) -> None:
        if self.ctx is None:
            return
        key = app_id if app_id is not None else object()
        existing = self._editors.get(key)
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return
        from commissie_app.ui.application_editor import ApplicationEditorDialog

        try:
            dialog = ApplicationEditorDialog(self.ctx, app_id, parent=self)
        except DomainError as err:
            show_error(self, err)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(self._application_saved)
        dialog.finished.connect(lambda _result, k=key: self._editors.pop(k, None))
        self._editors[key] = dialog
        dialog.show()

    def _application_saved(self, app_id: uuid.UUID) -> None:
        """Tell the list what changed: only that row is read again."""
        self.refresh_rows([app_id])
        self.applications.select_id(app_id)
        if self.checklist_view is not None and self.checklist_view.isVisible():
            self._refresh_checklist()  # "Aanvragen registreren" may be done now

    # -- file menu -----------------------------------------------------------------------------
    def import_applications(self) -> None:
        from commissie_app.ui.transfer_actions import import_applications_interactive

        import_applications_interactive(self, self.ctx, self.reload)

    def export_applications(self) -> None:
        from commissie_app.ui.transfer_actions import export_applications_interactive

        export_applications_interactive(self, self.ctx, self.applications.visible_ids())

    def export_register(self) -> None:
        from commissie_app.ui.register_export_action import export_register

        export_register(self, self.ctx)

    def import_review_returns(self) -> None:
        from commissie_app.ui.review_import_dialog import import_review_returns

        self.review_import_dialog = import_review_returns(self, self.ctx, self.apply_changes)

    def show_forms(self) -> None:
        from commissie_app.ui.forms_dialog import FormVersionsDialog

        try:
            self.forms_dialog = FormVersionsDialog(self.ctx, self)
        except Exception as err:  # noqa: BLE001
            show_error(self, err)
            return
        self.forms_dialog.show()

    def show_users(self) -> None:
        from commissie_app.ui.users_dialog import UsersDialog

        try:
            self.users_dialog = UsersDialog(self.ctx, self)
        except DomainError as err:
            show_error(self, err)
            return
        self.users_dialog.exec()
        self._update_status()

    def show_reminders(self) -> None:
        """The letters that are due (issue 12): reminders, acknowledgements, information requests."""
        from commissie_app.ui.correspondence_dialogs import RemindersDialog

        try:
            self.reminders_dialog = RemindersDialog(self.ctx, self)
        except DomainError as err:
            show_error(self, err)
            return
        self.reminders_dialog.show()

    def show_review_packages(self) -> None:
        """The review packages of the meeting shown or selected on the meetings page (else the first one)."""
        from commissie_app.ui.review_export_dialog import ReviewExportDialog

        page = self.meetings
        meeting_id = None
        if page is not None:
            shown = page.meeting_view.detail if page.stack.currentWidget() is page.meeting_view else None
            meeting_id = shown.id if shown is not None else page.planner.current_id()
        try:
            self.review_dialog = ReviewExportDialog(self.ctx, meeting_id, self)
        except DomainError as err:
            show_error(self, err)
            return
        self.review_dialog.show()

    def open_review_package(self) -> None:
        """A member's review package (.kippakket) in the offline review window (ui/review_window.py)."""
        from PySide6.QtWidgets import QFileDialog

        from commissie_app.ui.review_window import open_review_package

        path, _filter = QFileDialog.getOpenFileName(self, _("Beoordelingspakket openen"), str(Path.home()),
                                                    _("Beoordelingspakket (*.kippakket)"))
        if path:
            self.review_window = open_review_package(Path(path), self)

    def make_backup(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # dialogs: not imported for the first frame

        from commissie_app.services.backup import backup

        suggested = data_dir() / f"commissie-reservekopie-{dt.date.today():%Y-%m-%d}.sqlite"
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Reservekopie maken"), str(suggested), _("SQLite-database (*.sqlite);;Alle bestanden (*)"))
        if not name:
            return
        try:
            path = backup(self.ctx, Path(name))
        except DomainError as err:
            show_error(self, err, _("Reservekopie niet gemaakt"))
            return
        QMessageBox.information(self, _("Reservekopie gemaakt"),
                                plain(_("De reservekopie is opgeslagen in:\n{path}").format(path=path)))

    def show_manual(self) -> None:
        """Help › Handleiding (F1): the short Dutch guide to the commission's year, in the app."""
        from commissie_app.ui.manual import ManualDialog

        self.manual_dialog = ManualDialog(self)
        self.manual_dialog.show()

    def show_shortcuts(self) -> None:
        """Help › Sneltoetsen: the shortcuts of the window's actions, as they are on this page."""
        from commissie_app.ui.shortcuts_dialog import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.show()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            _("Over {app}").format(app=APP_NAME),
            _("<h3>{app} {version}</h3><p>De toepassing van de Commissie Sociaal Inkopen van het Kennemer "
              "Inkoop Platform: aanvragen en hun beoordeling, vergaderingen met agenda, notulen en besluiten, de "
              "besluitbrieven, en het register van erkende sociaal ondernemers met de export voor de SROI-pagina "
              "van KIP.</p><p>Licentie: EUPL-1.2</p>").format(app=APP_NAME, version=__version__),
        )

    # -- geometry ------------------------------------------------------------------------------
    @staticmethod
    def _qsettings() -> QSettings:
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def restore_geometry(self) -> None:
        s = self._qsettings()
        geometry = s.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry):
            header = s.value("main/list_header")
            if isinstance(header, QByteArray):
                self.applications.table.horizontalHeader().restoreState(header)
            return
        # First start: the preferred size, but at most 90% of the screen's free area (on a 1366x768
        # laptop a task bar and the title bar take their part), centred on it.
        available = self.screen().availableGeometry()
        self.resize(self.sizeHint().boundedTo(available.size() * 0.9))
        self.move(available.center() - self.rect().center())

    def save_geometry(self) -> None:
        s = self._qsettings()
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/list_header", self.applications.table.horizontalHeader().saveState())
        s.sync()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.sig_first_frame)  # once this frame is on the screen

    def closeEvent(self, event: QCloseEvent) -> None:
        page = self.settings_page
        if page is not None and not page.may_close():
            self.show_page(PAGES.index("settings"))
            event.ignore()
            return
        self.save_geometry()
        for dialog in list(self._editors.values()):
            dialog.close()
        super().closeEvent(event)
