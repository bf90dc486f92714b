"""A consistent copy of the whole database in one SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, LargeBinary, Table, func, insert, select

from commissie_app.db import integrity, migrate
from commissie_app.db.engine import Database, make_engine, sqlite_path
from commissie_app.db.models import Base
from commissie_app.domain.errors import DomainError
from commissie_app.domain.permissions import Action
from commissie_app.i18n import _
from commissie_app.services.access import require
from commissie_app.services.context import ServiceContext

ROW_BATCH = 2000  # rows read and inserted at a time
BYTES_BATCH = 16 * 1024 * 1024  # at most this much file content at a time (or one larger file)


def backup(ctx: ServiceContext, dest: Path, progress: Callable[[str], None] | None = None) -> Path:
    """SQLite: the online backup API. Another server: every table copied in one snapshot;
    ``progress(table name)`` is called after each table is copied (for a progress display)."""
    require(ctx, Action.MAKE_BACKUP)
    db = ctx.db
    integrity.check(db.engine)  # a damaged file is not copied over a good backup
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
            _copy_to_sqlite(db, tmp, progress)
        tmp.replace(dest)
    except OSError as e:
        raise DomainError(_("De reservekopie kon niet worden geschreven: {err}").format(err=e.strerror or e))
    return dest


def _copy_to_sqlite(db: Database, target: Path, progress: Callable[[str], None] | None = None) -> None:
    """Every table, in batches, inside one snapshot of the source (REPEATABLE READ on PostgreSQL).

    Memory stays bounded whatever the size of the database: rows are read through a server-side
    cursor and inserted batch by batch, file contents a few megabytes at a time.
    """
    out = make_engine(f"sqlite:///{target}")
    try:
        migrate.upgrade(out, backup=False)
        with db.engine.connect() as src_conn:
            if db.dialect == "postgresql":
                src_conn = src_conn.execution_options(isolation_level="REPEATABLE READ")
            with src_conn.begin(), out.begin() as dst_conn:
                # a table may refer to itself (a meeting names the meeting that adopted its minutes), and the
                # source gives its rows in no particular order: the keys are checked at commit, not per row
                dst_conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                for table in Base.metadata.sorted_tables:
                    for rows in _batches(src_conn, table):
                        dst_conn.execute(insert(table), rows)
                        del rows  # freed before the next batch is read, not after
                    if progress is not None:
                        progress(table.name)
    finally:
        out.dispose()


def _batches(conn: Connection, table: Table) -> Iterator[list[dict]]:
    """The rows of ``table`` in lists of at most ROW_BATCH rows and (but for one large row) BYTES_BATCH bytes."""
    binary = [c for c in table.columns if isinstance(c.type, LargeBinary)]
    if not binary:
        result = conn.execution_options(stream_results=True, yield_per=ROW_BATCH).execute(select(table))
        for part in result.mappings().partitions():
            yield [dict(r) for r in part]
        return
    # Tables with file contents: first the keys and sizes (small), then the rows a few megabytes at a time.
    (key,) = table.primary_key.columns
    size = sum((func.coalesce(func.length(c), 0) for c in binary[1:]), func.coalesce(func.length(binary[0]), 0))
    keys = conn.execution_options(stream_results=True, yield_per=ROW_BATCH).execute(
        select(key, size).order_by(key))
    batch: list = []
    batch_bytes = 0
    for row_key, row_bytes in keys:
        if batch and (batch_bytes + row_bytes > BYTES_BATCH or len(batch) >= ROW_BATCH):
            yield _rows(conn, table, key, batch)
            batch, batch_bytes = [], 0
        batch.append(row_key)
        batch_bytes += row_bytes
    if batch:
        yield _rows(conn, table, key, batch)


def _rows(conn: Connection, table: Table, key, keys: list) -> list[dict]:
    return [dict(r) for r in conn.execute(select(table).where(key.in_(keys))).mappings()]
