import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from commissie_app.db import migrate, revision
from commissie_app.db.engine import make_engine
from commissie_app.db.models import Base


def _roundtrip(engine):
    migrate.upgrade(engine, backup=False)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) - {"alembic_version"} == set()
    assert migrate.current_revision(engine) is None


def test_sqlite_upgrade_to_head_and_down_to_base(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    _roundtrip(engine)


def test_postgres_upgrade_to_head_and_down_to_base(pg_url):
    engine = make_engine(pg_url)
    migrate.downgrade(engine, "base")
    try:
        _roundtrip(engine)
    finally:
        migrate.upgrade(engine, backup=False)
        engine.dispose()


def test_upgrade_backs_up_an_older_sqlite_file_first(tmp_path):
    path = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001", backup=False)  # a database made by the first release
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO settings(key, value) VALUES ('marker', '1')")
    backup = migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert migrate.upgrade(engine) is None  # already at head: no second copy
    engine.dispose()
    assert backup is not None and backup.parent == tmp_path and backup.name.startswith("old.backup-")
    copy = make_engine(f"sqlite:///{backup}")
    assert migrate.current_revision(copy) == "0001"
    with copy.connect() as conn:
        assert str(conn.exec_driver_sql("SELECT value FROM settings WHERE key='marker'").scalar()) == "1"
    copy.dispose()


def test_upgrade_to_0004_gives_existing_decisions_the_badge_end_their_letters_showed(db):
    """Decisions recorded before the validity became a rule get 24 months (or their deadline)."""
    from commissie_app.domain.voting import DecisionType
    from commissie_app.services import meeting_detail, meeting_planning
    from commissie_app.services.demo import create_demo_data
    from tests.conftest import make_ctx

    ctx = make_ctx(db)
    create_demo_data(ctx)
    def ends():
        return {d.kenmerk: (d.decision_type, d.badge_valid_until)
                for row in meeting_planning.list_meetings(ctx) for i in meeting_detail.get_meeting(ctx, row.id).items
                if (d := i.decision) is not None}
    recorded = ends()
    assert {t for t, _ in recorded.values()} == set(DecisionType)
    assert all((end is not None) == (t in (DecisionType.GRANTED, DecisionType.CONDITIONAL))
               for t, end in recorded.values())
    # Issue 12: a badge capped by the end of its certificate cannot have been recorded before 0004 (which
    # gives every older decision its full validity); the others keep their end
    from commissie_app.services.recognitions import list_register
    capped = {r.kenmerk for r in list_register(ctx) if r.certificate_until == r.valid_until}
    assert len(capped) == 1
    migrate.downgrade(db.engine, "0003")
    assert "badge_valid_until" not in {c["name"] for c in inspect(db.engine).get_columns("decisions")}
    migrate.upgrade(db.engine, backup=False)
    after = ends()
    assert {k: v for k, v in after.items() if k not in capped} == {k: v for k, v in recorded.items() if k not in capped}
    assert all(after[k][1] > recorded[k][1] for k in capped)


def test_upgrade_to_0005_numbers_existing_corrections_in_time_order(db):
    """Issue 9, item 3: corrections made before 0005 get their order in the meeting from their time; after
    the upgrade the database refuses to change them."""
    import datetime as dt
    import uuid

    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    migrate.downgrade(db.engine, "0004")
    meeting = uuid.uuid4()
    times = [dt.datetime(2026, 12, 2, 10, m, tzinfo=dt.timezone.utc) for m in (30, 10, 20)]
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO meetings (id, version, created_at, updated_at, starts_at, duration_minutes, "
                          "place, video_link, status, chair_name, secretary_name, minutes, closed_by) VALUES "
                          "(:id, 1, :t, :t, :t, 120, 'x', '', 'closed', '', '', '', '')"),
                     {"id": meeting.hex if db.dialect == "sqlite" else meeting, "t": times[0]})
        for n, at in enumerate(times):
            conn.execute(text("INSERT INTO corrections (id, meeting_id, entity_type, entity_id, field, reason, at, by) "
                              "VALUES (:id, :m, 'agenda_item', 'x', 'minutes', :r, :at, 'S')"),
                         {"id": uuid.uuid4().hex if db.dialect == "sqlite" else uuid.uuid4(),
                          "m": meeting.hex if db.dialect == "sqlite" else meeting, "r": f"r{n}", "at": at})
    migrate.upgrade(db.engine, backup=False)
    with db.engine.connect() as conn:
        assert [r for r, in conn.execute(text("SELECT reason FROM corrections ORDER BY seq"))] == ["r1", "r2", "r0"]
    with pytest.raises(DBAPIError, match="commissie-app"):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE corrections SET reason = 'vervalst'"))


def test_head_revision_known_without_alembic_is_alembics_head():
    """Issue 8: the app checks the schema with the head it derives from the file names; Alembic agrees,
    and the rules the derivation rests on hold (file named after its revision, numbered in order)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert revision.head_revision() == migrate.alembic_head() == scripts.get_current_head()
    for script in scripts.walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_")
        expected_down = f"{int(script.revision) - 1:04d}" if int(script.revision) > 1 else None
        assert script.down_revision == expected_down


@pytest.mark.parametrize("dialect", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_database_without_a_revision_table_has_no_revision(tmp_path, request, dialect):
    if dialect == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'new.sqlite'}")
        with engine.connect() as conn:
            assert revision.current_revision(conn) is None
    else:
        from sqlalchemy import create_engine

        url = request.getfixturevalue("pg_url")
        admin = make_engine(url)
        with admin.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS empty_for_revision_test")
        admin.dispose()
        # A session whose search path holds only an empty schema: no alembic_version table there.
        engine = create_engine(url, connect_args={"options": "-c search_path=empty_for_revision_test"})
        with engine.connect() as conn:
            assert revision.current_revision(conn) is None
            assert conn.exec_driver_sql("SELECT 1").scalar() == 1  # the connection is usable after the miss
    engine.dispose()


def test_opening_a_current_database_does_not_import_alembic_and_an_old_one_is_upgraded(tmp_path, sqlite_template):
    """Issue 8: Alembic (with Mako and every dialect) is imported only when an upgrade is due."""
    current = tmp_path / "current.sqlite"
    shutil.copy(sqlite_template, current)
    old = tmp_path / "old.sqlite"
    engine = make_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, "0001", backup=False)
    engine.dispose()
    code = ("import sys; from commissie_app.bootstrap import open_database; open_database(sys.argv[1]);"
            " print('alembic' in sys.modules)")
    env = dict(os.environ, COMMISSIE_HOME=str(tmp_path / "home"))
    for path, imported in ((current, "False"), (old, "True")):
        proc = subprocess.run([sys.executable, "-c", code, f"sqlite:///{path}"], env=env, capture_output=True,
                              text=True, timeout=120, cwd=Path(__file__).parents[1])
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.split() == [imported]
    engine = make_engine(f"sqlite:///{old}")
    assert migrate.current_revision(engine) == revision.head_revision()
    engine.dispose()
