from sqlalchemy import inspect

from commissie_app.db import migrate
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
    from commissie_app.services import meetings
    from commissie_app.services.demo import create_demo_data
    from tests.conftest import make_ctx

    ctx = make_ctx(db)
    create_demo_data(ctx)
    def ends():
        return {d.kenmerk: (d.decision_type, d.badge_valid_until)
                for row in meetings.list_meetings(ctx) for i in meetings.get_meeting(ctx, row.id).items
                if (d := i.decision) is not None}
    recorded = ends()
    assert {t for t, _ in recorded.values()} == set(DecisionType)
    assert all((end is not None) == (t in (DecisionType.GRANTED, DecisionType.CONDITIONAL))
               for t, end in recorded.values())
    migrate.downgrade(db.engine, "0003")
    assert "badge_valid_until" not in {c["name"] for c in inspect(db.engine).get_columns("decisions")}
    migrate.upgrade(db.engine, backup=False)
    assert ends() == recorded


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
