"""Damaged SQLite files for the tests of issue 9, item 13 (a real file, garbage written into it)."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

from commissie_app.db.engine import Database
from commissie_app.services.demo import create_demo_data
from tests.conftest import make_ctx

BACKUPS = ("commissie.backup-20261001-090000.sqlite", "commissie.backup-20261115-143000.sqlite")


def demo_file(folder: Path, sqlite_template: Path, backups: bool = True) -> Path:
    """A migrated database with the demo data, and two backup copies next to it (the newest last)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "commissie.sqlite"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    create_demo_data(make_ctx(db))
    db.dispose()  # the last connection checkpoints the WAL into the file
    if backups:
        for name in BACKUPS:
            shutil.copy(path, folder / name)
    return path


def overwrite_pages(path: Path, pages: list[int], seed: int = 13) -> None:
    """Write garbage over whole pages (numbered from 1) of a SQLite file."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    rnd = random.Random(seed)
    with open(path, "r+b") as f:
        for page in pages:
            f.seek((page - 1) * size)
            f.write(rnd.randbytes(size))


def root_page(path: Path, name: str) -> int:
    """The first page of a table or index (for an index the list never reads: only a check sees it)."""
    with sqlite3.connect(path) as conn:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    conn.close()
    return page


def page_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        n = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    return n
