"""Which schema revision the package needs and which one a database is at, without Alembic.

Opening a database whose schema is current costs one query; Alembic (and with it Mako and
every SQL dialect) is imported only when an upgrade is due (``bootstrap.open_database``).
No SQLAlchemy import either: the desktop app checks the revision of a SQLite file with ``sqlite3``
before SQLAlchemy is imported (``db/list_query.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from commissie_app.domain.errors import DomainError

if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"

REVISION_SQL = "SELECT version_num FROM alembic_version"


def head_revision() -> str:
    """The revision the package's migrations lead to.

    Migration files are named ``<revision>_<slug>.py`` (``file_template`` in alembic.ini) and the
    revisions are numbered 0001, 0002, …, each revising the one before, so the head is the highest
    number. ``tests/test_migrations.py`` checks both rules and that this equals Alembic's head.
    """
    return max(p.name.partition("_")[0] for p in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


def stamped(revisions: list[str]) -> str | None:
    """The revision in the rows of ``REVISION_SQL``: None unless there is exactly one."""
    return revisions[0] if len(revisions) == 1 else None


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the database (one query); None for a database without one (new or empty)."""
    try:
        revisions = conn.exec_driver_sql(REVISION_SQL).scalars().all()
    except DomainError:  # a damaged file (db/integrity.py): said as it is
        raise
    except Exception:  # "no such table" (SQLite), UndefinedTable (PostgreSQL), or something else
        conn.rollback()
        if conn.dialect.has_table(conn, "alembic_version"):
            raise
        return None
    return stamped(revisions)
