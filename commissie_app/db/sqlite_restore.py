"""Backups of a SQLite database found on this computer, and putting one back in the database's place.

A backup is a file made before an upgrade (``<name>.backup-YYYYmmdd-HHMMSS.sqlite`` next to the database,
``db/integrity.py``) or with "Reservekopie maken" (``commissie-reservekopie-*.sqlite``, in the data folder
by default). Restoring never destroys anything: the backup is copied (and checked to be a database of this
app) next to the database, the file that was there is kept under a name of its own, and only then does the
copy take the database's name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from commissie_app.db import integrity
from commissie_app.db.sqlite_copy import make_working_copy
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _

MADE_BY_APP = "commissie-reservekopie-*.sqlite"  # the name "Reservekopie maken" suggests


class Backup(NamedTuple):
    path: Path
    made_at: dt.datetime  # the file's modification time, local
    size: int


def recent_backups(folders: list[Path], database: Path | None, limit: int = 10) -> list[Backup]:
    """The newest backups in ``folders`` (those of ``database`` and those "Reservekopie maken" made), newest
    first, at most ``limit``."""
    patterns = [MADE_BY_APP] + ([integrity.backup_pattern(database)] if database is not None else [])
    found: dict[Path, Backup] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for pattern in patterns:
            for path in folder.glob(pattern):
                stat = path.stat()
                found[path.resolve()] = Backup(path, dt.datetime.fromtimestamp(stat.st_mtime), stat.st_size)
    return sorted(found.values(), key=lambda b: (b.made_at, b.path.name), reverse=True)[:limit]


def restore_backup(database: Path, backup: Path, when: dt.datetime | None = None) -> Path | None:
    """Put a copy of ``backup`` in the place of ``database``; the name under which the file that was there
    is kept (None: there was none). Nothing changes when the backup is no sound database of this app."""
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    copy = make_working_copy(backup, database.parent)  # checks it; the copy is next to the database
    kept = database.with_name(f"{database.stem}.vervangen-{stamp}{database.suffix}") if database.exists() else None
    try:
        for suffix in ("", "-wal", "-shm"):
            old = database.with_name(database.name + suffix)
            if old.exists() and kept is not None:
                old.replace(kept.with_name(kept.name + suffix))
        copy.replace(database)
    except OSError as err:
        raise DomainError(_("De reservekopie kon niet op de plaats van {path} worden gezet: {reason}").format(
            path=database, reason=err.strerror or err)) from err
    return kept
