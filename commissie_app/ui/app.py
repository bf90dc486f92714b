"""Starting the desktop app: the rows first, then Qt, the window with the rows, the rest.

The order is what the user waits for: the rows. On a SQLite file at the package's schema revision
(the default, for a known user) they are read with the standard ``sqlite3`` module
(``services/startup.py``, over ``db/list_query.py``) before Qt is imported, and SQLAlchemy — whose
import alone costs as much as the whole bare Qt window — only after the first frame: then the database is opened the full way and
the window gets its service context, the start-screen warnings and the background check of the
file. Any other case (PostgreSQL, a first start, an upgrade due, a missing or damaged file) opens
the database through SQLAlchemy before Qt, as every front door does (``bootstrap.open_database``).
See docs/performance.md, "Start-up to the rows (issue 8)".
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from commissie_app import APP_ID, APP_NAME
from commissie_app.i18n import _, set_language
from commissie_app.paths import configured_db_url
from commissie_app.services import startup
from commissie_app.settings import LocalSettings

if TYPE_CHECKING:
    from commissie_app.domain.errors import DomainError
    from commissie_app.services.application_rows import ApplicationRow
    from commissie_app.services.context import ServiceContext

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1280, 760)


def run_gui(db_url: str | None = None, screenshot: Path | None = None) -> int:
    """Run the app; with ``screenshot`` render the main window offscreen to that PNG and return."""
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    settings = LocalSettings()
    set_language(settings.get("language"))
    opened = open_context(db_url, settings)  # before Qt and (on SQLite) SQLAlchemy: see the module's docstring

    from PySide6.QtWidgets import QApplication

    from commissie_app.ui.errors import install_excepthook
    from commissie_app.ui.icon import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # matches packaging/linux/commissie-app.desktop (task bar grouping)
    app.setWindowIcon(app_icon())
    install_excepthook()
    if screenshot is not None:
        return _screenshot(opened, settings, Path(screenshot))
    window = start_window(opened, settings)
    if window is None:
        return 1

    def finish_tasks() -> None:
        # A background import still writing is awaited: its unit of work commits or rolls back
        # whole, and no worker thread outlives the application object.
        from commissie_app.ui import tasks

        tasks.wait_for_all()

    app.aboutToQuit.connect(finish_tasks)
    return app.exec()


def _log_rows_shown(window) -> None:
    """One line in the log once the list is on screen: the platform and how many rows are in view
    (tests/test_real_window.py reads it to know that a real window shows real rows)."""
    from PySide6.QtGui import QGuiApplication

    table = window.applications.table
    first, last = table.rowAt(0), table.rowAt(table.viewport().height() - 1)
    rows = 0 if first < 0 else (last if last >= 0 else table.model().rowCount() - 1) - first + 1
    log.info("list shown on %s: %d rows in view", QGuiApplication.platformName(), rows)


class Opened(NamedTuple):
    """What the window starts with: the rows, and the service context (None: it follows after the
    first frame, ``attach_database``)."""

    ctx: ServiceContext | None
    rows: list[ApplicationRow]
    db_url: str | None


class OpenProblem(NamedTuple):
    """The database could not be opened (a server that cannot be reached, a damaged, locked or read-only
    file, …): why (a Dutch ``DomainError``, the driver's text as its cause), and the URL to try again."""

    error: DomainError
    db_url: str | None


ServerProblem = OpenProblem  # the name of issue 11, when only a server problem offered choices


# Windows started from the start-up dialog after the first window closed (Qt does not keep them alive).
_started: list = []


def start_window(opened: Opened | OpenProblem, settings):
    """The main window with the rows, shown; on a first start after asking who is working. When the
    database cannot be opened, what the user chooses instead (``ui/unreachable_dialog.py``: try again,
    another database, a backup, a review package): the window of that, or None (Afsluiten): the app stops."""
    from commissie_app.ui.main_window import MainWindow

    if isinstance(opened, OpenProblem):
        from commissie_app.ui.unreachable_dialog import choose_after_problem

        opened = choose_after_problem(opened, lambda url: open_context(url, settings))
        if opened is None:
            return None
        if not isinstance(opened, Opened):  # the review workspace of a package, already shown
            return opened
    window = MainWindow(opened.ctx, settings=settings, rows=opened.rows)
    window.restore_geometry()
    window.sig_first_frame.connect(lambda: after_first_frame(window, opened.db_url, settings))
    window.show()
    unknown = opened.ctx is not None and not signed_in(opened.ctx)  # the remembered name cannot sign in
    if (not settings.get("user_name") or unknown) and not ask_who_is_working(window, opened.ctx, settings):
        window.close()
        return None
    return window


def signed_in(ctx: ServiceContext) -> bool:
    """Whether someone has signed in (the service context, and with it ``dataclasses``, is imported
    only once there is a context: after the first frame when the rows were read without SQLAlchemy)."""
    from commissie_app.services.context import NOBODY

    return ctx.actor != NOBODY


def open_context(db_url: str | None, settings) -> Opened | OpenProblem:
    """The rows of the list, and the service context for the configured user unless the rows could be
    read without SQLAlchemy (a SQLite file at the current revision, a known user); or, when the
    database cannot be used, the ``OpenProblem`` that says why."""
    rows = startup.rows_without_orm(configured_db_url(db_url)) if settings.get("user_name") else None
    if rows is not None:
        return Opened(None, rows, db_url)
    opened = _open_with_sqlalchemy(db_url, settings, with_rows=True)
    if isinstance(opened, tuple):
        return Opened(*opened, db_url)
    return OpenProblem(opened, db_url)


def _open_with_sqlalchemy(db_url: str | None, settings, *, with_rows: bool):
    from commissie_app.bootstrap import open_for_app  # SQLAlchemy: see the module's docstring

    return open_for_app(db_url, settings, with_rows=with_rows)


def attach_database(window, db_url: str | None, settings) -> DomainError | None:
    """Give a window that shows the rows read with ``sqlite3`` its service context (SQLAlchemy);
    the Dutch error when the database cannot be opened after all."""
    if window.ctx is None:
        opened = _open_with_sqlalchemy(db_url, settings, with_rows=False)
        if not isinstance(opened, tuple):
            return opened
        window.set_context(opened[0], reload=False)
    return None


def ask_who_is_working(window, ctx: ServiceContext, settings) -> bool:
    """First start: ask name and role (and offer demo data). False: the user cancelled."""
    from commissie_app.ui.first_start import FirstStartDialog

    dialog = FirstStartDialog(ctx, settings, parent=window)
    window.setProperty("asking_user", True)  # the first frame's work must not ask a second time
    try:
        if dialog.exec() != dialog.DialogCode.Accepted or dialog.actor is None:
            return False
    finally:
        window.setProperty("asking_user", False)
    ctx.actor = dialog.actor
    window.set_context(ctx)  # the name in the status bar, and the demo data if chosen
    _log_rows_shown(window)
    return True


def after_first_frame(window, db_url: str | None, settings) -> None:
    """What the list does not need: the database through SQLAlchemy (if the rows were read without
    it), the start-screen warnings, and the whole file checked in the background (a damaged file is
    told in Dutch, with the latest backup)."""
    from commissie_app.ui.errors import show_error
    from commissie_app.ui.tasks import run_task

    problem = attach_database(window, db_url, settings)
    if problem is not None:  # the file went away, changed or is locked or read-only since its rows were read
        window.hide()  # hidden, not closed: closing the last window would end the app under the dialog
        instead = start_window(OpenProblem(problem, db_url), settings)  # the same choices as before the window
        if instead is not None:
            _started.append(instead)
        window.close()
        return
    if not signed_in(window.ctx) and not window.property("asking_user"):
        # the rows were read for a remembered name that this database does not know (any more)
        if not ask_who_is_working(window, window.ctx, settings):
            window.close()
            return
    elif signed_in(window.ctx):  # on a first start: once the user is known (ask_who_is_working)
        _log_rows_shown(window)
    window.update_warnings()
    ctx = window.ctx
    run_task(window, lambda: startup.check_database(ctx), label=_("De database wordt gecontroleerd…"), quiet=True,
             on_failure=lambda err: show_error(
                 window, err, _("Database beschadigd") if isinstance(err, startup.DatabaseDamagedError) else None))


def _screenshot(opened, settings, path: Path) -> int:
    """The main window with its rows and warnings, rendered offscreen to a PNG (no dialogs)."""
    from PySide6.QtWidgets import QApplication

    from commissie_app.ui.main_window import MainWindow

    if isinstance(opened, OpenProblem):
        print(opened.error, file=sys.stderr)
        return 1
    window = MainWindow(opened.ctx, settings=settings, rows=opened.rows)
    problem = attach_database(window, opened.db_url, settings)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    window.update_warnings()
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path), "PNG")
    window.hide()  # not close(): a screenshot must not overwrite the saved window geometry
    if not ok:
        print(_("Kon de schermafbeelding niet opslaan in {path}.").format(path=path), file=sys.stderr)
        return 1
    print(_("Schermafbeelding opgeslagen in {path}.").format(path=path))
    return 0
