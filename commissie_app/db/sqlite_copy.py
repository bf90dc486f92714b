"""A working copy of a SQLite file (a backup), made without changing that file in any way.

The file (and its WAL file, when its last writer left one) is copied byte for byte, only read, so no
journal or lock file appears next to it, as a SQLite connection, even a read-only one, would leave; the
copy is then opened, which takes the WAL into it. A backup is a file nobody writes to. The copy must be a
database of this app (it has Alembic's version table): an empty or foreign SQLite file would otherwise be
turned into a new, empty database of the app.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from commissie_app.db import integrity
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


def make_working_copy(src: Path, folder: Path, when: dt.datetime | None = None) -> Path:
    """Copy ``src`` to ``folder/<name>-kopie-<moment>.sqlite``; the new file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{src.stem}-kopie-{stamp}.sqlite"
    n = 1
    while dest.exists():
        n += 1
        dest = folder / f"{src.stem}-kopie-{stamp}-{n}.sqlite"
    try:
        shutil.copyfile(src, dest)
        wal = src.with_name(src.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, dest.with_name(dest.name + "-wal"))
        with sqlite3.connect(dest) as target:
            is_app_database = target.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        target.close()
    except OSError as err:
        _remove(dest)
        raise DomainError(_("Het bestand {path} kon niet worden gelezen.").format(path=src)) from err
    except sqlite3.Error as err:
        _remove(dest)
        if getattr(err, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_NOTADB:
            raise _not_ours(src) from err
        if integrity.is_damage(err):
            raise integrity.DatabaseDamagedError(src, str(err)) from err
        raise DomainError(_("Het bestand {path} kon niet worden gelezen.").format(path=src)) from err
    if not is_app_database:
        _remove(dest)
        raise _not_ours(src)
    return dest


def _remove(dest: Path) -> None:
    for path in (dest, dest.with_name(dest.name + "-wal"), dest.with_name(dest.name + "-shm")):
        path.unlink(missing_ok=True)


def _not_ours(src: Path) -> DomainError:
    return DomainError(_("Het bestand {path} is geen database of reservekopie van de Commissie-app.").format(path=src))
