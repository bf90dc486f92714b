"""Schema upgrades through Alembic, with a backup copy of a SQLite file first."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from commissie_app.db.engine import sqlite_path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        fn(cfg, revision)


def upgrade(engine: Engine, revision: str = "head", backup: bool = True) -> Path | None:
    """Bring the schema to ``revision``. Returns the backup file made, if any."""
    made = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if backup and path is not None and path.exists() and path.stat().st_size > 0:
        if current_revision(engine) is not None and needs_upgrade(engine):
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            made = backup_sqlite(path, path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}"))
    _run(engine, command.upgrade, revision)
    return made


def downgrade(engine: Engine, revision: str = "base") -> None:
    _run(engine, command.downgrade, revision)
