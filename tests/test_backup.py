"""Backup from PostgreSQL: table by table in batches, in one snapshot (issue 9, item 15)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tracemalloc
import uuid

import pytest
from sqlalchemy import func, insert, select

from commissie_app.db.engine import Database
from commissie_app.db.models import Application, Attachment, Organisation
from commissie_app.services.applications import list_rows, register_application
from commissie_app.services.backup import backup
from commissie_app.services.demo import create_demo_data
from tests.conftest import _pg_db, make_ctx
from tests.factories import app_data, org_data

pytestmark = pytest.mark.postgres

MB = 1024 * 1024


@pytest.fixture
def pg_ctx(pg_url):
    db = _pg_db(pg_url)
    yield make_ctx(db)
    db.dispose()


def add_files(db: Database, count: int, size: int) -> dict[uuid.UUID, str]:
    """``count`` attachments of ``size`` random bytes on the first application; returns id -> SHA-256."""
    with db.engine.begin() as conn:
        app_id = conn.scalar(select(Application.id).limit(1))
        hashes = {}
        for _ in range(count):
            data = os.urandom(size)
            att_id = uuid.uuid4()
            hashes[att_id] = hashlib.sha256(data).hexdigest()
            conn.execute(insert(Attachment), [dict(
                id=att_id, application_id=app_id, criterion=None, filename=f"{att_id}.pdf",
                content_type="application/pdf", size=size, sha256=hashes[att_id], data=data,
                added_at=dt.datetime.now(dt.timezone.utc), added_by="test")])
    return hashes


def test_backup_from_postgresql_holds_file_contents_a_batch_at_a_time(pg_ctx, tmp_path):
    """Issue 9, item 15: a PostgreSQL backup of 64 MB of attachments never holds them all in memory
    (it held all rows of a table at once: about 3.5 times the data), and copies every byte."""
    create_demo_data(pg_ctx)
    hashes = add_files(pg_ctx.db, 64, MB)

    tracemalloc.start()
    try:
        dest = backup(pg_ctx, tmp_path / "kopie.sqlite")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 32 * MB, f"peak {peak / MB:.1f} MB"
    copy = Database(f"sqlite:///{dest}")
    try:
        with copy.engine.connect() as conn:
            copied = {r.id: hashlib.sha256(r.data).hexdigest() for r in conn.execute(
                select(Attachment.id, Attachment.data).where(Attachment.id.in_(list(hashes))))}
        assert copied == hashes
        assert sorted(r.kvk for r in list_rows(make_ctx(copy))) == sorted(r.kvk for r in list_rows(pg_ctx))
    finally:
        copy.dispose()


def test_backup_from_postgresql_is_one_snapshot_while_others_write(pg_ctx, tmp_path):
    """Issue 9, item 15: copying table by table keeps one snapshot: what another user commits
    halfway through the backup is not in it, and every copied row has its parents."""
    create_demo_data(pg_ctx)
    add_files(pg_ctx.db, 3, 1000)
    with pg_ctx.db.session() as s:
        before = (s.scalar(select(func.count()).select_from(Organisation)),
                  s.scalar(select(func.count()).select_from(Application)))
    written = []

    def write_halfway(table: str) -> None:
        if table == "organisations":  # copied; applications not yet
            other = Database(pg_ctx.db.url)
            try:
                written.append(register_application(make_ctx(other), org_data(kvk="99999999"), app_data()))
            finally:
                other.dispose()

    dest = backup(pg_ctx, tmp_path / "kopie.sqlite", progress=write_halfway)

    assert written  # the other user's write did happen during the backup
    copy = Database(f"sqlite:///{dest}")
    try:
        with copy.session() as s:
            assert (s.scalar(select(func.count()).select_from(Organisation)),
                    s.scalar(select(func.count()).select_from(Application))) == before
            assert s.scalar(select(func.count()).select_from(Attachment)) == 3
            assert s.scalar(select(Organisation.id).where(Organisation.kvk == "99999999")) is None
    finally:
        copy.dispose()
    with pg_ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Application)) == before[1] + 1


def test_backup_from_postgresql_keeps_a_meeting_that_refers_to_another(pg_ctx, tmp_path):
    """Issue 14: the demo's meetings refer to each other (the second adopted the first's minutes); the backup of a
    PostgreSQL database copies them whatever order the server gives the rows in, and keeps the link."""
    from sqlalchemy import create_engine

    from commissie_app.db.models import Meeting

    create_demo_data(pg_ctx)
    with pg_ctx.db.engine.connect() as conn:
        links = dict(conn.execute(select(Meeting.id, Meeting.minutes_adopted_in_id)).all())
    assert any(links.values()), "the demo adopts the first meeting's minutes at the next one"
    dest = backup(pg_ctx, tmp_path / "kopie.sqlite")
    copy = create_engine(f"sqlite:///{dest}")
    try:
        with copy.connect() as conn:
            assert dict(conn.execute(select(Meeting.id, Meeting.minutes_adopted_in_id)).all()) == links
    finally:
        copy.dispose()
