"""A scratch PostgreSQL database for a benchmark: made next to the one in a URL, dropped afterwards."""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError


class ScratchPostgres:
    """``with ScratchPostgres(url, "import_10000") as scratch_url:`` a fresh, empty database of its own."""

    def __init__(self, url: str, label: str):
        base = make_url(url)
        if base.drivername in ("postgresql", "postgres"):
            base = base.set(drivername="postgresql+psycopg")
        self.base, self.name = base, f"{base.database}_bench_{label}_{os.getpid()}"

    def _admin(self, sql: str) -> None:
        admin = create_engine(self.base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(sql))
        admin.dispose()

    def __enter__(self) -> str:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self.base.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc) -> None:
        # Autovacuum may still be working on the freshly loaded tables; it belongs to the superuser,
        # so FORCE cannot end it: wait for it.
        for _attempt in range(60):
            try:
                self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                return
            except ProgrammingError:
                time.sleep(1)
        print(f"warning: scratch database {self.name} could not be dropped", file=sys.stderr)
