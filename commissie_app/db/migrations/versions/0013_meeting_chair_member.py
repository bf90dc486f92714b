"""a meeting's chair is a member and its secretary a user, chosen from the database

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 (written by hand)

Until now chair and secretary of a meeting were free text. Now:

* ``meetings.chair_member_id``: the member who chairs the meeting (the app refuses to set the agenda or
  open a meeting whose chair holds no seat on its date); NULL for a meeting planned without one;
* ``meetings.secretary_user_id``: the user who is its secretary (a user with the secretary role; the
  secretary need not hold a seat);
* ``chair_name`` and ``secretary_name`` stay: they are the names as printed in the agenda, the minutes and
  the letters, written from the chosen person whenever the officers are chosen. Nothing printed changes.

Existing meetings get the member whose name is their chair's name (ignoring case and spaces; only when exactly
one member has it) and the user whose name is their secretary's name; a name that matches nobody stays as text.

On SQLite ``meetings`` is re-created (batch mode): foreign keys must be off meanwhile (``db.migrate`` does
that); every trigger whose text names ``meetings`` (those of 0005 on votes, decisions and meetings) is dropped
first and made again afterwards from its own stored text.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _meetings_batch(change) -> None:
    """``change(batch_op)`` on ``meetings``; on SQLite around the triggers that name the table."""
    conn = op.get_bind()
    triggers = []
    if conn.dialect.name == 'sqlite':
        if conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("migration meeting_chair_member re-creates meetings on SQLite: run it with "
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
    batch_op.add_column(sa.Column('chair_member_id', sa.Uuid(), nullable=True))
    batch_op.add_column(sa.Column('secretary_user_id', sa.Uuid(), nullable=True))
    batch_op.create_foreign_key(batch_op.f('fk_meetings_chair_member_id_members'), 'members',
                                ['chair_member_id'], ['id'])
    batch_op.create_foreign_key(batch_op.f('fk_meetings_secretary_user_id_users'), 'users',
                                ['secretary_user_id'], ['id'])
    batch_op.create_index(batch_op.f('ix_meetings_chair_member_id'), ['chair_member_id'], unique=False)
    batch_op.create_index(batch_op.f('ix_meetings_secretary_user_id'), ['secretary_user_id'], unique=False)


def _drop_columns(batch_op) -> None:
    batch_op.drop_index(batch_op.f('ix_meetings_secretary_user_id'))
    batch_op.drop_index(batch_op.f('ix_meetings_chair_member_id'))
    batch_op.drop_constraint(batch_op.f('fk_meetings_secretary_user_id_users'), type_='foreignkey')
    batch_op.drop_constraint(batch_op.f('fk_meetings_chair_member_id_members'), type_='foreignkey')
    batch_op.drop_column('secretary_user_id')
    batch_op.drop_column('chair_member_id')


def _link_names() -> None:
    """Existing meetings: the member and user whose names are the names they printed."""
    conn = op.get_bind()
    meetings = sa.table('meetings', sa.column('id', sa.Uuid()), sa.column('status', sa.String()),
                        sa.column('chair_name', sa.String()), sa.column('secretary_name', sa.String()),
                        sa.column('chair_member_id', sa.Uuid()), sa.column('secretary_user_id', sa.Uuid()))
    members = sa.table('members', sa.column('id', sa.Uuid()), sa.column('name', sa.String()))
    users = sa.table('users', sa.column('id', sa.Uuid()), sa.column('name', sa.String()))
    member_ids: dict[str, list] = {}
    for mid, name in conn.execute(sa.select(members.c.id, members.c.name)):
        member_ids.setdefault(_key(name), []).append(mid)
    user_ids = {_key(name): uid for uid, name in conn.execute(sa.select(users.c.id, users.c.name))}
    for row in conn.execute(sa.select(meetings.c.id, meetings.c.chair_name, meetings.c.secretary_name)).all():
        chair = member_ids.get(_key(row.chair_name), [])
        values = {}
        if len(chair) == 1:
            values['chair_member_id'] = chair[0]
        if _key(row.secretary_name) in user_ids:
            values['secretary_user_id'] = user_ids[_key(row.secretary_name)]
        if values:  # the closed-meeting trigger refuses only a change of status: the names stay as they were
            conn.execute(sa.update(meetings).where(meetings.c.id == row.id).values(**values))


def upgrade() -> None:
    _meetings_batch(_add_columns)
    _link_names()


def downgrade() -> None:
    _meetings_batch(_drop_columns)
