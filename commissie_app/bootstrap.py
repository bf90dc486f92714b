"""Opening the database the way every front door does: resolve, back up, upgrade."""

from __future__ import annotations

import logging

from commissie_app.db import migrate
from commissie_app.db.engine import Database, resolve_url

log = logging.getLogger(__name__)


def open_database(url: str | None = None, *, upgrade: bool = True) -> Database:
    db = Database(resolve_url(url))
    if upgrade:
        backup = migrate.upgrade(db.engine)
        if backup:
            log.info("database backed up to %s before upgrading", backup)
    return db
