"""A consistent copy of the whole database in one SQLite file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select

from commissie_app.db import migrate
from commissie_app.db.engine import Database, make_engine, sqlite_path
from commissie_app.db.models import Base
from commissie_app.domain.errors import DomainError
from commissie_app.i18n import _


def backup(db: Database, dest: Path) -> Path:
    """SQLite: the online backup API. Another server: every table copied in one snapshot."""
    dest = Path(dest).resolve()
    src = sqlite_path(db.url)
    if src is not None and src.resolve() == dest:
        raise DomainError(_("Kies een ander bestand dan de database zelf."))
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".part")
        if tmp.exists():
            tmp.unlink()
        if src is not None:
            migrate.backup_sqlite(src, tmp)
        else:
            _copy_to_sqlite(db, tmp)
        tmp.replace(dest)
    except OSError as e:
        raise DomainError(_("De reservekopie kon niet worden geschreven: {err}").format(err=e.strerror or e))
    return dest


def _copy_to_sqlite(db: Database, target: Path) -> None:
    out = make_engine(f"sqlite:///{target}")
    try:
        migrate.upgrade(out, backup=False)
        with db.engine.connect() as src_conn:
            if db.dialect == "postgresql":
                src_conn = src_conn.execution_options(isolation_level="REPEATABLE READ")
            with src_conn.begin(), out.begin() as dst_conn:
                for table in Base.metadata.sorted_tables:
                    rows = [dict(r._mapping) for r in src_conn.execute(select(table))]
                    if rows:
                        dst_conn.execute(insert(table), rows)
    finally:
        out.dispose()
