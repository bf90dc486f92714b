"""Which schema revision the package needs and which one a database is at, without Alembic.

Opening a database whose schema is current costs one query; Alembic (and with it Mako and
every SQL dialect) is imported only when an upgrade is due (``bootstrap.open_database``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError, ProgrammingError

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


def head_revision() -> str:
    """The revision the package's migrations lead to.

    Migration files are named ``<revision>_<slug>.py`` (``file_template`` in alembic.ini) and the
    revisions are numbered 0001, 0002, …, each revising the one before, so the head is the highest
    number. ``tests/test_migrations.py`` checks both rules and that this equals Alembic's head.
    """
    return max(p.name.partition("_")[0] for p in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the database (one query); None for a database without one (new or empty)."""
    try:
        revisions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except (OperationalError, ProgrammingError):  # "no such table" (SQLite), UndefinedTable (PostgreSQL)
        conn.rollback()
        if conn.dialect.has_table(conn, "alembic_version"):
            raise
        return None
    return revisions[0] if len(revisions) == 1 else None
