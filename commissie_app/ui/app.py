"""Starting the desktop app: logging, error hook, window, database, first start.

The main window is shown first; the database layer (SQLAlchemy, Alembic) is imported and the
database opened, backed up and upgraded right after, and then the list is loaded. See
docs/performance.md for why.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from commissie_app import APP_ID, APP_NAME
from commissie_app.i18n import _, set_language


SCREENSHOT_SIZE = (1280, 760)


def run_gui(db_url: str | None = None, screenshot: Path | None = None) -> int:
    """Run the app; with ``screenshot`` render the main window offscreen to that PNG and return."""
    if screenshot is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from commissie_app.logging_setup import setup_logging
    from commissie_app.settings import LocalSettings
    from commissie_app.ui.errors import install_excepthook
    from commissie_app.ui.icon import app_icon
    from commissie_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # matches packaging/linux/commissie-app.desktop (task bar grouping)
    app.setWindowIcon(app_icon())
    install_excepthook()
    settings = LocalSettings()
    set_language(settings.get("language"))

    window = MainWindow(settings=settings)
    if screenshot is not None:
        setup_logging()
        return _screenshot(window, db_url, settings, Path(screenshot))

    window.restore_geometry()
    window.show()
    app.processEvents()
    setup_logging()  # after the window is on screen: logging.handlers costs a noticeable part of start-up

    def start() -> None:
        if not start_session(window, db_url, settings, first_start=True):
            app.exit(1)

    QTimer.singleShot(0, window.complete)  # the list page and shortcuts, then the rows (start-up time)
    QTimer.singleShot(0, start)
    window.sig_ready.connect(lambda: QTimer.singleShot(0, lambda: _log_rows_shown(window)))

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
    import logging

    from PySide6.QtGui import QGuiApplication

    table = window.applications.table
    first, last = table.rowAt(0), table.rowAt(table.viewport().height() - 1)
    rows = 0 if first < 0 else (last if last >= 0 else table.model().rowCount() - 1) - first + 1
    logging.getLogger(__name__).info("list shown on %s: %d rows in view", QGuiApplication.platformName(), rows)


def start_session(window, db_url: str | None, settings, *, first_start: bool) -> bool:
    """Open the database, ask who is working on first start, load the list. False: stop the app.

    ``first_start=False`` (screenshot mode) never shows a dialog: problems go to stderr.
    """
    ctx = open_context(window if first_start else None, db_url, settings)
    if ctx is None:
        return False
    if first_start and not settings.get("user_name"):
        from commissie_app.ui.first_start import FirstStartDialog

        dialog = FirstStartDialog(ctx, settings, parent=window)
        if dialog.exec() != dialog.DialogCode.Accepted or dialog.actor is None:
            return False
        ctx.actor = dialog.actor
    window.set_context(ctx)
    return True


def open_context(parent, db_url: str | None, settings):
    """The service context for the configured user, or None after telling the user why not.

    Without a parent window the message is printed instead of shown.
    """
    from PySide6.QtWidgets import QMessageBox

    from commissie_app.bootstrap import open_database
    from commissie_app.db.engine import resolve_url
    from commissie_app.domain.codes import Role
    from commissie_app.logging_setup import log_file
    from commissie_app.services.context import SYSTEM, Actor, ServiceContext

    try:
        db = open_database(db_url)
    except Exception as err:  # any driver, file or migration error: the app cannot go on
        import logging  # not on the start path

        logging.getLogger(__name__).exception("cannot open the database")
        try:
            where = resolve_url(db_url)
        except Exception:
            where = db_url or ""
        message = _("De database kon niet worden geopend:\n{where}\n\n{kind}: {msg}\n\nControleer het adres of "
                    "het bestand (--db of COMMISSIE_DB_URL). Details staan in het logbestand:\n{log}").format(
            where=_hide_password(where), kind=type(err).__name__, msg=err, log=log_file())
        if parent is None:
            print(message, file=sys.stderr)
        else:
            from commissie_app.ui.widgets import plain

            QMessageBox.critical(parent, _("Database niet te openen"), plain(message))
        return None
    name = settings.get("user_name")
    if not name:
        return ServiceContext(db, SYSTEM)
    try:
        role = Role(settings.get("user_role"))
    except ValueError:
        role = Role.SECRETARY
    return ServiceContext(db, Actor(name, role))


def _hide_password(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _screenshot(window, db_url: str | None, settings, path: Path) -> int:
    from PySide6.QtWidgets import QApplication

    if not start_session(window, db_url, settings, first_start=False):
        return 1
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
