"""Issue 10: the audit trail is a hash chain; ``commissie-app audit verify`` finds a direct edit or deletion."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.exc import DBAPIError

from commissie_app.cli import main
from commissie_app.db import migrate, revision
from commissie_app.db.audit_chain import GENESIS, event_hash
from commissie_app.db.engine import Database
from commissie_app.db.models import AuditEvent
from commissie_app.services.applications import register_application
from commissie_app.services.audit_verify import verify_audit_chain
from commissie_app.services.demo import create_demo_data
from commissie_app.services.transfer import import_applications
from commissie_app.services.uow import UnitOfWork
from tests.conftest import make_ctx
from tests.factories import app_data, org_data
from tests.test_import_kill import generate
from tests.test_transfer import write

EVENTS = AuditEvent.__table__


def events(db) -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(EVENTS).order_by(EVENTS.c.seq)).mappings()]


def verify_cli(db, capsys) -> tuple[int, str, str]:
    code = main(["audit", "verify", "--db", db.url])
    out, err = capsys.readouterr()
    return code, out, err


@contextmanager
def as_the_owner(db, statement: str):
    """What the owner of the database can do: switch the append-only trigger off (PostgreSQL) or drop it
    (SQLite), then change rows directly. ``statement`` is "UPDATE" or "DELETE"."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER trg_audit_events")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER trg_audit_events_{statement.lower()}")
        yield conn
        if db.dialect == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_events ENABLE TRIGGER trg_audit_events")


def before_the_chain() -> str:
    """The revision before the chain's migration (migrations are numbered one after another)."""
    chain = next(revision.VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_audit_hash_chain.py"))
    return f"{int(chain.name[:4]) - 1:04d}"


@pytest.fixture
def demo(ctx):
    create_demo_data(ctx)
    return ctx


def test_the_demo_database_verifies_intact(demo, capsys):
    """Issue 10: ``audit verify`` reports an intact chain with the number of events on the demo database."""
    rows = events(demo.db)
    assert len(rows) > 50
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["prev_hash"] == GENESIS and all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:]))

    code, out, err = verify_cli(demo.db, capsys)

    assert code == 0 and err == ""
    assert f"Het logboek is intact: {len(rows)} gebeurtenissen, de keten klopt." in out
    assert rows[-1]["hash"] in out  # the hash to write into the minutes


def test_a_direct_edit_is_named_as_the_first_broken_event(demo, capsys):
    """Issue 10: an owner edits two events in the database, past the trigger; verify names the first of them
    (number, actor, action, entity) and exits 1."""
    rows = events(demo.db)
    target, later = rows[40], rows[60]
    with as_the_owner(demo.db, "UPDATE") as conn:
        for row in (later, target):
            conn.execute(update(EVENTS).where(EVENTS.c.seq == row["seq"]).values(actor="Iemand Anders"))

    code, out, err = verify_cli(demo.db, capsys)

    assert code == 1 and out == ""
    assert (f"Eerste verbroken gebeurtenis: nr. {target['seq']} van " in err
            and f"(Iemand Anders: {target['action']} {target['entity_type']} {target['entity_id']})" in err)
    assert "De inhoud van deze gebeurtenis is gewijzigd nadat ze is vastgelegd." in err
    assert "De 40 gebeurtenissen ervoor zijn in orde." in err


def test_an_edit_with_a_recomputed_hash_breaks_the_link_to_the_next_event(demo):
    """Issue 10: whoever also rewrites the edited event's hash is found at the next event, whose prev_hash no
    longer matches."""
    target = events(demo.db)[20]
    forged = {**target, "new_values": {**(target["new_values"] or {}), "name": "Vervalst"}}
    with as_the_owner(demo.db, "UPDATE") as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.seq == target["seq"]).values(
            new_values=forged["new_values"], hash=event_hash(forged)))

    check = verify_audit_chain(demo)

    assert (check.broken.kind, check.broken.seq, check.count) == ("link", target["seq"] + 1, target["seq"])


def test_a_deleted_event_in_the_middle_is_found(demo, capsys):
    """Issue 10: deleting an event in the middle leaves a gap; verify names the event after it."""
    rows = events(demo.db)
    with as_the_owner(demo.db, "DELETE") as conn:
        conn.execute(EVENTS.delete().where(EVENTS.c.seq == 30))

    code, _out, err = verify_cli(demo.db, capsys)

    assert code == 1
    assert f"nr. 31 van " in err and f"{rows[30]['action']} {rows[30]['entity_type']} {rows[30]['entity_id']})" in err
    assert "Gebeurtenis 30 vlak ervoor ontbreekt: die is verwijderd." in err


def test_the_last_events_deleted_or_rewritten_are_found_through_the_head(demo, capsys):
    """Issue 10: the chain's head remembers the last event: removing the newest events, or rewriting the last
    one with a fresh hash, is found too (as long as the head row was not rewritten as well)."""
    rows = events(demo.db)
    last = rows[-1]
    with as_the_owner(demo.db, "DELETE") as conn:
        conn.execute(EVENTS.delete().where(EVENTS.c.seq > last["seq"] - 3))

    code, _out, err = verify_cli(demo.db, capsys)

    assert code == 1 and f"nr. {last['seq'] - 3} van " in err
    assert f"de kop van de keten noemt gebeurtenis {last['seq']}" in err


def test_the_chain_is_read_in_batches(demo):
    """Issue 10: verify reads the events ``batch`` at a time (a 100,000-event log is never in memory at once),
    and finds the same first break whatever the batch size."""
    with as_the_owner(demo.db, "UPDATE") as conn:
        conn.execute(update(EVENTS).where(EVENTS.c.seq == 45).values(entity_id="x"))
    reads: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        if "FROM audit_events" in statement:
            reads.append(statement)
    event.listen(demo.db.engine, "after_cursor_execute", record)
    try:
        small = verify_audit_chain(demo, batch=7)
    finally:
        event.remove(demo.db.engine, "after_cursor_execute", record)
    whole = verify_audit_chain(demo)

    assert (small.broken.seq, small.count) == (whole.broken.seq, whole.count) == (45, 44)
    assert len(reads) == 7 and all("LIMIT" in r for r in reads)  # events 1-7, 8-14, ..., 43-49


def test_the_import_bulk_events_are_chained_between_other_events(ctx, tmp_path):
    """Issue 10: the import writes its audit events with Core inserts in batches; they are chained like every
    other event, as is its update of an existing organisation."""
    register_application(ctx, org_data(kvk="12345678"), app_data())
    import_applications(ctx, generate(tmp_path / "many.csv", 1_100))  # two write batches
    import_applications(ctx, write(tmp_path / "update.csv", [
        "naam;kvk;rechtsvorm;gemeente;email;criteria;ontvangen",
        "Nieuwe Naam BV;12345678;bv;Haarlem;nieuw@example.nl;BCORP;15-11-2026"]))
    register_application(ctx, org_data(kvk="87654321"), app_data())

    rows = events(ctx.db)
    check = verify_audit_chain(ctx)

    assert check.intact and check.count == len(rows) == 2 + 2 * 1_100 + 2 + 2
    assert [r["action"] for r in rows[-4:]] == ["update", "create", "create", "create"]
    assert rows[-4]["new_values"]["name"] == "Nieuwe Naam BV"


def test_a_second_machine_waits_for_the_first_and_continues_its_chain(db):
    """Issue 10: while one machine's transaction has appended an event, another machine's append waits for it
    (the chain's head is locked) and then continues the chain after it, on SQLite and PostgreSQL."""
    first = UnitOfWork(make_ctx(db, "Eerste Machine"))
    other = Database(db.url)  # its own engine and connections, as a second computer has
    errors: list[BaseException] = []

    def second_machine() -> None:
        try:
            register_application(make_ctx(other, "Tweede Machine"), org_data(), app_data())
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    with first:
        first.session.add(AuditEvent(actor="Eerste Machine", action="test", entity_type="setting", entity_id="x"))
        first.session.flush()
        thread = threading.Thread(target=second_machine)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive()  # waiting for the first machine
        first.commit()
    thread.join(30)
    other.dispose()

    assert errors == [] and not thread.is_alive()
    rows = events(db)
    assert [(r["seq"], r["actor"]) for r in rows] == [(1, "Eerste Machine"), (2, "Tweede Machine"),
                                                       (3, "Tweede Machine")]
    assert verify_audit_chain(make_ctx(db)).intact


def test_two_machines_writing_at_once_keep_one_chain(db):
    """Issue 10: two machines (each its own engine) register applications at the same time; every event is in
    one unbroken chain."""
    rounds = 8
    barrier = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def machine(n: int) -> None:
        database = Database(db.url)
        try:
            ctx = make_ctx(database, f"Machine {n}")
            barrier.wait()
            for i in range(rounds):
                register_application(ctx, org_data(kvk=f"{n}{i:07d}", name=f"Bedrijf {n}-{i}"), app_data())
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            database.dispose()

    threads = [threading.Thread(target=machine, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert errors == []
    check = verify_audit_chain(make_ctx(db))
    assert check.intact and check.count == 2 * rounds * 2


def test_an_older_database_is_chained_by_the_upgrade(demo):
    """Issue 10: a database from before the chain gets its events numbered by time (then id) and chained by the
    migration, verifies intact, and its events stay append-only."""
    migrate.downgrade(demo.db.engine, before_the_chain())
    with demo.db.engine.connect() as conn:
        before = conn.execute(text("SELECT id, at FROM audit_events")).all()
    with pytest.raises(DBAPIError, match="commissie-app: het logboek"):  # the downgrade kept 0005's triggers
        with demo.db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET actor = 'Niemand'"))
    migrate.upgrade(demo.db.engine, backup=False)

    rows = events(demo.db)
    check = verify_audit_chain(demo)

    assert check.intact and check.count == len(before) == len(rows) > 50
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert [(r["at"], r["id"]) for r in rows] == sorted((r["at"], r["id"]) for r in rows)
    with pytest.raises(DBAPIError, match="commissie-app: het logboek"):
        with demo.db.engine.begin() as conn:
            conn.execute(update(EVENTS).values(actor="Niemand"))
    with pytest.raises(DBAPIError, match="commissie-app: het logboek"):
        with demo.db.engine.begin() as conn:
            conn.execute(EVENTS.delete())
    register_application(demo, org_data(kvk="99999999"), app_data())
    after = verify_audit_chain(demo)
    assert after.intact and after.count == len(rows) + 2
    with demo.db.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(EVENTS)).scalar() == len(rows) + 2


def test_a_backup_verifies_like_its_source(demo, tmp_path, capsys):
    """Issue 10: the hash does not depend on the database: a backup (PostgreSQL copied into SQLite, too) is
    intact, with the same last hash, and an edit in the backup is found there."""
    from commissie_app.services.backup import backup

    source = verify_audit_chain(demo)
    copy = Database(f"sqlite:///{backup(demo, tmp_path / 'kopie.sqlite')}")
    try:
        copied = verify_audit_chain(make_ctx(copy))
        with as_the_owner(copy, "UPDATE") as conn:
            conn.execute(update(EVENTS).where(EVENTS.c.seq == 3).values(action="delete"))
        code, _out, err = verify_cli(copy, capsys)
    finally:
        copy.dispose()

    assert source.intact and (copied.intact, copied.count, copied.last_hash) == (True, source.count, source.last_hash)
    assert code == 1 and "nr. 3 van " in err


def test_a_rewritten_tail_is_found_only_against_an_anchor(demo, capsys):
    """Issue 10: the limit of the chain, and its anchor. An owner who edits an event and recomputes every later
    hash and the head is not found by the chain alone; ``--anker NR:HASH`` with the hash written in the minutes
    earlier finds it."""
    code, out, _err = verify_cli(demo.db, capsys)
    line = next(x for x in out.splitlines() if x.startswith("Hash van gebeurtenis"))
    anchor = f"{line.split()[3]}:{line.split()[-1]}"  # "Hash van gebeurtenis 109 (...): <hash>"
    assert main(["audit", "verify", "--db", demo.db.url, "--anker", anchor]) == 0
    rows = events(demo.db)
    with as_the_owner(demo.db, "UPDATE") as conn:
        prev = rows[9]["prev_hash"]
        for row in rows[9:]:
            row = {**row, "actor": "Iemand Anders" if row["seq"] == 10 else row["actor"], "prev_hash": prev}
            prev = event_hash(row)
            conn.execute(update(EVENTS).where(EVENTS.c.seq == row["seq"]).values(
                actor=row["actor"], prev_hash=row["prev_hash"], hash=prev))
        conn.execute(text("UPDATE audit_chain_head SET hash = :h"), {"h": prev})

    assert verify_cli(demo.db, capsys)[0] == 0  # the chain alone cannot tell
    code = main(["audit", "verify", "--db", demo.db.url, "--anker", anchor])
    err = capsys.readouterr().err

    assert code == 1 and f"nr. {len(rows)} van " in err
    assert "heeft niet de hash van het anker" in err
    assert main(["audit", "verify", "--db", demo.db.url, "--anker", "12:abc"]) == 1
    assert "Een anker is een gebeurtenisnummer en de volledige hash" in capsys.readouterr().err


def test_an_event_added_by_another_flush_hook_is_chained_too(ctx):
    """Issue 10: audit events may come from changes collected at flush time (a unit of work that writes them in
    one place); one added by a ``before_flush`` hook that runs after the chain's own is chained as well."""
    from sqlalchemy.orm import Session

    def late_hook(session, _context, _instances):
        if not any(isinstance(o, AuditEvent) and o.action == "later" for o in session.new):
            session.add(AuditEvent(actor="Sanne Secretaris", action="later", entity_type="setting", entity_id="x"))

    event.listen(Session, "before_flush", late_hook)
    try:
        register_application(ctx, org_data(), app_data())
    finally:
        event.remove(Session, "before_flush", late_hook)

    rows = events(ctx.db)
    assert sorted(r["action"] for r in rows) == ["create", "create", "later"]
    assert verify_audit_chain(ctx).intact
