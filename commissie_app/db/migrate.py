"""Schema upgrades through Alembic, after a check of the whole file and a backup copy of a SQLite file.

Imported only when an upgrade is due (``bootstrap.open_database``): knowing whether one is due
needs no Alembic (``db/revision.py``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from commissie_app.db import integrity
from commissie_app.db import revision as schema_revision

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def alembic_head() -> str:
    """Alembic's own answer (the package knows it without Alembic: ``revision.head_revision``)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def head_revision() -> str:
    return schema_revision.head_revision()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return schema_revision.current_revision(conn)


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def backup_sqlite(src: Path, dest: Path) -> Path:
    """A consistent copy of a live SQLite database (online backup API)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        dest.unlink()
    with sqlite3.connect(src) as s, sqlite3.connect(dest) as d:
        s.backup(d)
    d.close()
    s.close()
    return dest


def _run(engine: Engine, fn, revision: str) -> None:
    """One transaction. On SQLite with foreign keys off meanwhile (as Alembic's batch mode needs: re-creating
    a table drops it, which would cascade to the rows referring to it), checked before the commit."""
    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # a pragma that only works outside a transaction
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                dangling = _dangling_keys(conn) if sqlite else []
                cfg.attributes["connection"] = conn
                fn(cfg, revision)
                if sqlite and _dangling_keys(conn) != dangling:
                    raise RuntimeError("the schema upgrade left rows whose foreign keys refer to nothing; "
                                       "nothing was changed")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _dangling_keys(conn) -> list:
    return [tuple(row) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")]


def upgrade(engine: Engine, revision: str = "head", backup: bool = True) -> Path | None:
    """Bring the schema to ``revision``. Returns the backup file made, if any.

    A SQLite file with data is checked whole first (a damaged file is neither copied nor upgraded).
    """
    made = None
    path = integrity.sqlite_file(engine)
    if path is not None and path.exists() and path.stat().st_size > 0:
        integrity.check(engine)
        if backup and current_revision(engine) is not None and needs_upgrade(engine):
            made = backup_sqlite(path, integrity.backup_path(path))
    _run(engine, command.upgrade, revision)
    return made


def downgrade(engine: Engine, revision: str = "base") -> None:
    _run(engine, command.downgrade, revision)
