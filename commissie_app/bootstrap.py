"""Opening the database the way every front door does: resolve, refuse a mistyped file, check the
schema revision with one query, and only when an upgrade is due: check the file, back up, upgrade."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.engine import make_url

from commissie_app.db import revision
from commissie_app.db.engine import Database, resolve_url, sqlite_path
from commissie_app.db.sqlite_copy import make_working_copy
from commissie_app.db.connect_errors import sqlite_open_error
from commissie_app.domain.errors import DatabaseOpenError, DomainError
from commissie_app.domain.server_errors import ServerConnectError
from commissie_app.i18n import _
from commissie_app.paths import data_dir, default_db_path
from commissie_app.services.application_rows import list_rows
from commissie_app.services.context import ServiceContext
from commissie_app.services.users import UnknownUserError, sign_in

log = logging.getLogger(__name__)


def open_database(url: str | None = None, *, create: bool = False) -> Database:
    """The database, at the package's schema revision.

    A SQLite file that does not exist is created only where the app keeps its own database (the
    first start) or with ``create=True`` (``commissie-app db upgrade``): a mistyped ``--db`` path
    must not silently become a new, empty database.
    """
    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    if path is not None and not create and not path.exists() and path.resolve() != default_db_path().resolve():
        raise DomainError(_("Het databasebestand {path} bestaat niet. Controleer de naam bij --db of "
                            "COMMISSIE_DB_URL. Een nieuwe, lege database maakt u met: commissie-app db upgrade "
                            "--db {url}").format(path=path, url=resolved))
    db = Database(resolved)
    try:
        with db.engine.connect() as conn:
            current = revision.current_revision(conn)
        if current != revision.head_revision():
            from commissie_app.db import migrate  # Alembic: only when an upgrade is due

            backup = migrate.upgrade(db.engine)
            if backup:
                log.info("database backed up to %s before upgrading", backup)
    except BaseException:
        db.dispose()
        raise
    return db


def open_for_app(db_url: str | None, settings, *, with_rows: bool):
    """The desktop app's service context for the configured user (and, with ``with_rows``, the rows of
    the list); or, when the database cannot be used, the Dutch ``DomainError`` that says why (a
    ``ServerConnectError`` for a server, a ``DatabaseDamagedError`` or ``DatabaseOpenError`` for a file; the
    driver's text, if any, is its ``__cause__``): the app then offers choices (``ui/unreachable_dialog.py``)."""
    try:
        db = open_database(db_url)
        ctx = ServiceContext(db)
        name = settings.get("user_name")
        if name:
            try:
                sign_in(ctx, name)  # the role is the database's, not this machine's
            except UnknownUserError as err:  # another database, or switched off: the app asks who it is
                log.warning("the remembered user cannot sign in: %s", err)
        return ctx, (list_rows(ctx) if with_rows else None)
    except ServerConnectError as err:  # logged with the driver's text by db/connect_errors.py
        return err
    except DomainError as err:  # a damaged or missing file: the message says what to do
        log.warning("cannot open the database: %s", err)
        return err
    except Exception as err:  # any driver, file or migration error: the app cannot go on
        log.exception("cannot open the database")
        return _open_error(err, db_url)


def _open_error(err: Exception, db_url: str | None) -> DatabaseOpenError:
    """A driver, file or migration error at start-up in Dutch; the driver's (English) text is its cause."""
    try:
        url = resolve_url(db_url)
        path = sqlite_path(url)
        where = make_url(url).render_as_string(hide_password=True)
    except Exception:
        path, where = None, db_url or ""
    problem = (sqlite_open_error(err, path) if path is not None else None) or DatabaseOpenError.other(where)
    problem.__cause__ = err
    return problem


def working_copies_dir() -> Path:
    return data_dir() / "werkkopieen"


def local_database_url(path: Path) -> tuple[str, Path | None]:
    """The URL to open for a SQLite file chosen while the shared server cannot be reached, and the working
    copy made for it (None: the file itself is opened).

    The app's own local database and earlier working copies are opened as they are. Any other file (a
    backup: ``commissie-app backup``, "Reservekopie maken", or a copy made before an upgrade) is copied
    first, read-only, into the working-copies folder: opening a database may upgrade it and the app writes
    to it (the user's sign-in, the rules), and a backup must stay exactly as it was made.
    """
    path = Path(path).resolve()
    if path == default_db_path().resolve() or path.parent == working_copies_dir().resolve():
        return f"sqlite:///{path}", None
    copy = make_working_copy(path, working_copies_dir())
    log.info("working copy %s made of %s", copy, path)
    return f"sqlite:///{copy}", copy


def recent_backups(db_url: str | None, limit: int = 10):
    """The newest backups on this computer for the database at ``db_url`` (``db/sqlite_restore.Backup``):
    those next to its file and in the data folder, newest first."""
    from commissie_app.db.sqlite_restore import recent_backups as find

    path = sqlite_path(resolve_url(db_url))
    folders = [data_dir()] + ([path.resolve().parent] if path is not None else [])
    return find(folders, path, limit)


def restore_backup(db_url: str | None, backup: Path) -> tuple[str, Path | None, Path | None]:
    """Open ``backup`` instead of the database at ``db_url``: for a SQLite file the backup is put in the
    file's place (the file that was there kept under a new name); for a server, a working copy of the
    backup is opened (the server's database is not touched). (URL to open, file kept, working copy)."""
    from commissie_app.db.sqlite_restore import restore_backup as restore

    url = resolve_url(db_url)
    path = sqlite_path(url)
    if path is None:
        copy_url, copy = local_database_url(backup)
        return copy_url, None, copy
    return url, restore(path, Path(backup)), None
