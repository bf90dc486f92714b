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
