"""Opening the database the way every front door does: resolve, refuse a mistyped file, check the
schema revision with one query, and only when an upgrade is due: check the file, back up, upgrade."""

from __future__ import annotations

import logging

from commissie_app.db import revision
from commissie_app.db.engine import Database, resolve_url, sqlite_path
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _
from commissie_app.paths import default_db_path

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
