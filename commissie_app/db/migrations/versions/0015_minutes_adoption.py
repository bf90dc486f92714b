"""a meeting's minutes are adopted at a later meeting; the invitation's calendar sequence

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 (written by hand)

Issue 14 (minutes, agenda and invitation):

* ``meetings.minutes_adopted_on``: the date of the meeting that adopted (vastgesteld) these minutes, NULL
  while they are a draft (concept);
* ``meetings.minutes_adopted_in_id``: that meeting (its standard item "Verslag vorige vergadering");
* ``meetings.calendar_sequence``: the SEQUENCE of the meeting's .ics invitation. It changes only when date,
  time or place change (what calendar programs use it for), no longer with every change of the meeting's
  version. Existing meetings start at the value their invitation had until now (version - 1), so an
  invitation sent before the upgrade is never newer than the next one.

On SQLite ``meetings`` is re-created (batch mode, for the foreign key): foreign keys must be off meanwhile
(``db.migrate`` does that); every trigger whose text names ``meetings`` (those of 0005) is dropped first and
made again afterwards from its own stored text (as in 0013; repeated here so this migration stands alone).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def _meetings_batch(change) -> None:
    """``change(batch_op)`` on ``meetings``; on SQLite around the triggers that name the table."""
    conn = op.get_bind()
    triggers = []
    if conn.dialect.name == 'sqlite':
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("migration minutes_adoption re-creates meetings on SQLite: run it with "
                               "PRAGMA foreign_keys=OFF (commissie_app.db.migrate does)")
        triggers = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%meetings%' ORDER BY name"
        ).all()
        for name, _sql in triggers:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        change(batch_op)
    for _name, sql in triggers:
        op.execute(sql)


def _add_columns(batch_op) -> None:
    batch_op.add_column(sa.Column('minutes_adopted_on', sa.Date(), nullable=True))
    batch_op.add_column(sa.Column('minutes_adopted_in_id', sa.Uuid(), nullable=True))
    batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), nullable=False, server_default='0'))
    batch_op.create_foreign_key(batch_op.f('fk_meetings_minutes_adopted_in_id_meetings'), 'meetings',
                                ['minutes_adopted_in_id'], ['id'])
    batch_op.create_index(batch_op.f('ix_meetings_minutes_adopted_in_id'), ['minutes_adopted_in_id'],
                          unique=False)


def _drop_columns(batch_op) -> None:
    batch_op.drop_index(batch_op.f('ix_meetings_minutes_adopted_in_id'))
    batch_op.drop_constraint(batch_op.f('fk_meetings_minutes_adopted_in_id_meetings'), type_='foreignkey')
    batch_op.drop_column('calendar_sequence')
    batch_op.drop_column('minutes_adopted_in_id')
    batch_op.drop_column('minutes_adopted_on')


def upgrade() -> None:
    _meetings_batch(_add_columns)
    meetings = sa.table('meetings', sa.column('version', sa.Integer()), sa.column('calendar_sequence', sa.Integer()))
    # the closed-meeting trigger refuses only a change of status: closed meetings get their sequence too
    op.get_bind().execute(sa.update(meetings).where(meetings.c.version > 1)
                          .values(calendar_sequence=meetings.c.version - 1))


def downgrade() -> None:
    _meetings_batch(_drop_columns)
