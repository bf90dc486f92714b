"""Starting the desktop app: database and list first, then Qt, the window with the rows, the rest.

The order is what the user waits for: the rows. The database is opened (its schema revision read
with one query; Alembic only when an upgrade is due) and the list read with one Core query before
Qt is imported — PySide6 reads the source of every module imported after it, which would make
SQLAlchemy's import dearer. The window is built with those rows and shown; what the list does not
need (the start-screen warnings, the check of the whole file) follows after the first frame.
See docs/performance.md, "Start-up to the rows (issue 8)".
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from commissie_app import APP_ID, APP_NAME
from commissie_app.bootstrap import open_database
from commissie_app.db import integrity
from commissie_app.db.engine import resolve_url
from commissie_app.domain.codes import Role
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _, set_language
from commissie_app.logging_setup import log_file
from commissie_app.services.application_rows import ApplicationRow, list_rows
from commissie_app.services.context import SYSTEM, Actor, ServiceContext
from commissie_app.settings import LocalSettings

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1280, 760)


def run_gui(db_url: str | None = None, screenshot: Path | None = None) -> int:
    """Run the app; with ``screenshot`` render the main window offscreen to that PNG and return."""
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    settings = LocalSettings()
    set_language(settings.get("language"))
    opened = open_context(db_url, settings)  # before Qt: see the module's docstring

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


def start_window(opened: tuple[ServiceContext, list[ApplicationRow]] | str, settings):
    """The main window with the rows, shown; on a first start after asking who is working.
    None (after saying why, where needed): the app stops."""
    from PySide6.QtWidgets import QMessageBox

    from commissie_app.ui.main_window import MainWindow
    from commissie_app.ui.widgets import plain

    if isinstance(opened, str):
        QMessageBox.critical(None, _("Database niet te openen"), plain(opened))
        return None
    ctx, rows = opened
    window = MainWindow(ctx, settings=settings, rows=rows)
    window.restore_geometry()
    window.sig_first_frame.connect(lambda: after_first_frame(window))
    window.show()
    if not settings.get("user_name") and not ask_who_is_working(window, ctx, settings):
        window.close()
        return None
    return window


def open_context(db_url: str | None, settings) -> tuple[ServiceContext, list[ApplicationRow]] | str:
    """The service context for the configured user and the rows of the list; or, when the database
    cannot be used, the Dutch message that says why."""
    try:
        db = open_database(db_url)
        name = settings.get("user_name")
        try:
            role = Role(settings.get("user_role"))
        except ValueError:
            role = Role.SECRETARY
        ctx = ServiceContext(db, Actor(name, role) if name else SYSTEM)
        return ctx, list_rows(ctx)
    except DomainError as err:  # a damaged or missing file: the message says what to do
        log.warning("cannot open the database: %s", err)
        return str(err)
    except Exception as err:  # any driver, file or migration error: the app cannot go on
        log.exception("cannot open the database")
        try:
            where = resolve_url(db_url)
        except Exception:
            where = db_url or ""
        return _("De database kon niet worden geopend:\n{where}\n\n{kind}: {msg}\n\nControleer het adres of "
                 "het bestand (--db of COMMISSIE_DB_URL). Details staan in het logbestand:\n{log}").format(
            where=_hide_password(where), kind=type(err).__name__, msg=err, log=log_file())


def ask_who_is_working(window, ctx: ServiceContext, settings) -> bool:
    """First start: ask name and role (and offer demo data). False: the user cancelled."""
    from commissie_app.ui.first_start import FirstStartDialog

    dialog = FirstStartDialog(ctx, settings, parent=window)
    if dialog.exec() != dialog.DialogCode.Accepted or dialog.actor is None:
        return False
    ctx.actor = dialog.actor
    window.set_context(ctx)  # the name in the status bar, and the demo data if chosen
    _log_rows_shown(window)
    return True


def after_first_frame(window) -> None:
    """What the list does not need: the start-screen warnings, and the whole file checked in the
    background (a damaged file is told in Dutch, with the latest backup)."""
    from commissie_app.ui.errors import show_error
    from commissie_app.ui.tasks import run_task

    if window.ctx.actor != SYSTEM:  # on a first start: once the user is known (ask_who_is_working)
        _log_rows_shown(window)
    window.update_warnings()
    engine = window.ctx.db.engine
    run_task(window, lambda: integrity.check(engine), label=_("De database wordt gecontroleerd…"), quiet=True,
             on_failure=lambda err: show_error(
                 window, err, _("Database beschadigd") if isinstance(err, integrity.DatabaseDamagedError) else None))


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _screenshot(opened, settings, path: Path) -> int:
    """The main window with its rows and warnings, rendered offscreen to a PNG (no dialogs)."""
    from PySide6.QtWidgets import QApplication

    from commissie_app.ui.main_window import MainWindow

    if isinstance(opened, str):
        print(opened, file=sys.stderr)
        return 1
    ctx, rows = opened
    window = MainWindow(ctx, settings=settings, rows=rows)
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
