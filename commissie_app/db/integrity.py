"""Is the database file whole? SQLite's ``quick_check``, the Dutch message for a damaged file,
and the backup copies kept next to it (``<name>.backup-YYYYmmdd-HHMMSS.sqlite``)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine

# SQLite's primary result codes for a damaged file and for a file that is no database at all.
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


class DatabaseDamagedError(DomainError):
    """The SQLite file is damaged; the message names the file and its latest backup."""

    def __init__(self, path: Path | None, detail: str = ""):
        self.path, self.detail = path, detail
        where = str(path) if path is not None else _("de database")
        message = _("Het databasebestand {path} is beschadigd en kan niet veilig worden gebruikt.").format(path=where)
        backup = self.backup = latest_backup(path) if path is not None else None
        if backup is not None:
            message += " " + _("De laatste reservekopie is {backup}. Sluit de app, zet die kopie op de plaats van "
                               "het beschadigde bestand (bewaar dat apart) en start opnieuw.").format(backup=backup)
        else:
            message += " " + _("Naast het bestand staat geen reservekopie ({pattern}); zet een reservekopie die met "
                               "‘Reservekopie maken’ is gemaakt op de plaats van het bestand, of vraag de "
                               "beheerder om hulp.").format(pattern=backup_pattern(path) if path else "")
        super().__init__(message)


def backup_path(path: Path, when: dt.datetime | None = None) -> Path:
    """Where the copy made before an upgrade goes: next to the file, with the moment in its name."""
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")


def backup_pattern(path: Path) -> str:
    return f"{path.stem}.backup-*{path.suffix}"


def latest_backup(path: Path) -> Path | None:
    """The newest backup copy next to ``path`` (the names sort by their moment), or None."""
    copies = sorted(path.parent.glob(backup_pattern(path))) if path.parent.is_dir() else []
    return copies[-1] if copies else None


def is_damage(err: BaseException) -> bool:
    """True for SQLite's "database disk image is malformed" and "file is not a database"."""
    code = getattr(err, "sqlite_errorcode", None)
    return isinstance(err, sqlite3.DatabaseError) and code is not None and code & 0xFF in _DAMAGE_CODES


def check(engine: Engine) -> None:
    """Read the whole SQLite file (``PRAGMA quick_check``); raise DatabaseDamagedError if it is damaged.

    Nothing to do for other databases: their server keeps its own files whole.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        problems = conn.exec_driver_sql("PRAGMA quick_check").scalars().all()
    if problems != ["ok"]:
        raise DatabaseDamagedError(sqlite_file(engine), "; ".join(map(str, problems[:5])))


def sqlite_file(engine: Engine) -> Path | None:
    name = engine.url.database
    return Path(name) if engine.dialect.name == "sqlite" and name and name != ":memory:" else None


def raise_damage(context) -> None:
    """``handle_error`` hook of a SQLite engine: a damaged file raises DatabaseDamagedError, whatever
    statement found it, so every front door says so in Dutch instead of showing SQLite's English."""
    if is_damage(context.original_exception):
        raise DatabaseDamagedError(sqlite_file(context.engine), str(context.original_exception)) \
            from context.original_exception
