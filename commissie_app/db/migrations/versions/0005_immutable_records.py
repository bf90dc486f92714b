"""the database itself refuses changes to what is final; votes and attendance get a version

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 (written by hand)

Until now sent letters were protected only by the ORM, so one bulk ``update()`` could replace a
sent letter. Triggers (SQLite and PostgreSQL) now refuse, whatever code runs:

* UPDATE or DELETE of a sent letter (``sent_on`` set); marking an unsent letter as sent stays possible
  (the ORM guard in ``services/letter_archive.py`` also keeps an unsent letter's archived PDF unchanged; the
  stored hash is checked when a letter is read);
* UPDATE or DELETE of a vote or a decision of a closed meeting (a correction is a new row in
  ``corrections``), re-opening or deleting a closed meeting;
* UPDATE or DELETE of an audit event or a correction (both are append-only).

TRUNCATE and DROP TABLE are not row changes and stay possible for the owner of the database.
A later migration that re-creates one of these tables on SQLite (batch mode copies the table) drops
its triggers with it and must create them again (``_sqlite_triggers`` below lists them).

Votes and attendance rows get a ``version`` counter (optimistic locking per row): a vote no longer
bumps the meeting's version, so two members voting at the same moment do not collide, while two
edits of the same vote still do. Corrections get ``seq``, their order within the meeting (the record
as it stands applies them in that order; the clocks of different machines may disagree), numbered
for existing rows by their time.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

PREFIX = "commissie-app: "
LETTER_SENT = PREFIX + "een verzonden besluitbrief kan niet worden gewijzigd of verwijderd"
CLOSED_VOTE = PREFIX + "een stem van een gesloten vergadering kan niet worden gewijzigd of verwijderd"
CLOSED_DECISION = PREFIX + "een besluit van een gesloten vergadering kan niet worden gewijzigd of verwijderd"
CLOSED_MEETING = PREFIX + "een gesloten vergadering kan niet worden heropend of verwijderd"
AUDIT = PREFIX + "het logboek kan niet worden gewijzigd of verwijderd"
CORRECTION = PREFIX + "een correctie kan niet worden gewijzigd of verwijderd"

CLOSED_ITEM = ("(SELECT m.status FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id "
               "WHERE a.id = OLD.agenda_item_id) = 'closed'")


def _sqlite_triggers() -> list[tuple[str, str, str, str, str]]:
    """(name, BEFORE event, table, WHEN condition, message)."""
    return [
        ("trg_decision_letters_sent_update", "UPDATE", "decision_letters", "OLD.sent_on IS NOT NULL", LETTER_SENT),
        ("trg_decision_letters_sent_delete", "DELETE", "decision_letters", "OLD.sent_on IS NOT NULL", LETTER_SENT),
        ("trg_votes_closed_update", "UPDATE", "votes", CLOSED_ITEM, CLOSED_VOTE),
        ("trg_votes_closed_delete", "DELETE", "votes", CLOSED_ITEM, CLOSED_VOTE),
        ("trg_decisions_closed_update", "UPDATE", "decisions", CLOSED_ITEM, CLOSED_DECISION),
        ("trg_decisions_closed_delete", "DELETE", "decisions", CLOSED_ITEM, CLOSED_DECISION),
        ("trg_meetings_closed_update", "UPDATE", "meetings", "OLD.status = 'closed' AND NEW.status IS NOT 'closed'",
         CLOSED_MEETING),
        ("trg_meetings_closed_delete", "DELETE", "meetings", "OLD.status = 'closed'", CLOSED_MEETING),
        ("trg_audit_events_update", "UPDATE", "audit_events", "1", AUDIT),
        ("trg_audit_events_delete", "DELETE", "audit_events", "1", AUDIT),
        ("trg_corrections_update", "UPDATE", "corrections", "1", CORRECTION),
        ("trg_corrections_delete", "DELETE", "corrections", "1", CORRECTION),
    ]


# PostgreSQL: a trigger's WHEN cannot hold a subquery, so the closed-meeting check is a function.
PG_FUNCTIONS = {
    "commissie_refuse": """
        CREATE FUNCTION commissie_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
        END $$""",
    "commissie_refuse_if_closed": """
        CREATE FUNCTION commissie_refuse_if_closed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
                       WHERE a.id = OLD.agenda_item_id AND m.status = 'closed') THEN
                RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN COALESCE(NEW, OLD);
        END $$""",
}


def _pg_triggers() -> list[tuple[str, str, str, str | None, str, str]]:
    """(name, events, table, WHEN condition or None, function, message)."""
    return [
        ("trg_decision_letters_sent_update", "UPDATE", "decision_letters", "OLD.sent_on IS NOT NULL",
         "commissie_refuse", LETTER_SENT),
        ("trg_decision_letters_sent_delete", "DELETE", "decision_letters", "OLD.sent_on IS NOT NULL",
         "commissie_refuse", LETTER_SENT),
        ("trg_votes_closed", "UPDATE OR DELETE", "votes", None, "commissie_refuse_if_closed", CLOSED_VOTE),
        ("trg_decisions_closed", "UPDATE OR DELETE", "decisions", None, "commissie_refuse_if_closed",
         CLOSED_DECISION),
        ("trg_meetings_closed_update", "UPDATE", "meetings",
         "OLD.status = 'closed' AND NEW.status IS DISTINCT FROM 'closed'", "commissie_refuse", CLOSED_MEETING),
        ("trg_meetings_closed_delete", "DELETE", "meetings", "OLD.status = 'closed'", "commissie_refuse",
         CLOSED_MEETING),
        ("trg_audit_events", "UPDATE OR DELETE", "audit_events", None, "commissie_refuse", AUDIT),
        ("trg_corrections", "UPDATE OR DELETE", "corrections", None, "commissie_refuse", CORRECTION),
    ]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _number_corrections() -> None:
    """Existing corrections get their order within the meeting (by time, as they were made)."""
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
    corrections = sa.table('corrections', sa.column('id', sa.Uuid()), sa.column('meeting_id', sa.Uuid()),
                           sa.column('at', sa.DateTime(timezone=True)), sa.column('seq', sa.Integer()))
    conn = op.get_bind()
    numbers: dict = {}
    for row in conn.execute(sa.select(corrections.c.id, corrections.c.meeting_id)
                            .order_by(corrections.c.meeting_id, corrections.c.at, corrections.c.id)):
        numbers[row.meeting_id] = numbers.get(row.meeting_id, 0) + 1
        conn.execute(sa.update(corrections).where(corrections.c.id == row.id).values(seq=numbers[row.meeting_id]))
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_corrections_meeting_seq'), ['meeting_id', 'seq'])


def upgrade() -> None:
    for table in ('votes', 'attendance'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    _number_corrections()  # before the triggers: they refuse any update of a correction
    if op.get_bind().dialect.name == 'postgresql':
        for sql in PG_FUNCTIONS.values():
            op.execute(sql)
        for name, events, table, when, function, message in _pg_triggers():
            condition = f" WHEN ({when})" if when else ""
            op.execute(f"CREATE TRIGGER {name} BEFORE {events} ON {table} FOR EACH ROW{condition} "
                       f"EXECUTE FUNCTION {function}({_quote(message)})")
    else:
        for name, event, table, when, message in _sqlite_triggers():
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN {when} "
                       f"BEGIN SELECT RAISE(ABORT, {_quote(message)}); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name, _events, table, *_rest in _pg_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for name, *_rest in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('corrections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_corrections_meeting_seq'), type_='unique')
        batch_op.drop_column('seq')
    for table in ('attendance', 'votes'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
