"""users are people with a role, a linked member and an active flag; assessments belong to a user

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 (written by hand)

Until now the role was chosen on each machine and kept in its settings file; the ``users`` table
only echoed it, and an assessment's owner was compared by its display name. Now:

* ``users.member_id`` links a user to the commission member (the seat holder) they are;
  ``users.active`` lets the secretary switch a user off without losing their history;
  ``users.version`` guards against two secretaries editing one user at once;
* the role ``guest`` is now ``observer`` (waarnemer, read only);
* ``assessments.assessor_user_id`` is the owner of a member's assessment. Existing assessments
  get the user of the same name; a name without a user gets one (role ``member``), so that nobody
  loses their own assessment. A user whose name is the name of exactly one member is linked to it.
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_foreign_key(batch_op.f('fk_users_member_id_members'), 'members', ['member_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_users_member_id'), ['member_id'], unique=False)
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assessor_user_id', sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_assessments_assessor_user_id_users'), 'users',
                                    ['assessor_user_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_assessments_assessor_user_id'), ['assessor_user_id'], unique=False)
    _move_data()


def _move_data() -> None:
    bind = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Uuid()), sa.column('name', sa.String()),
                     sa.column('role', sa.String()), sa.column('member_id', sa.Uuid()),
                     sa.column('created_at', sa.DateTime(timezone=True)))
    members = sa.table('members', sa.column('id', sa.Uuid()), sa.column('name', sa.String()))
    assessments = sa.table('assessments', sa.column('assessor', sa.String()), sa.column('kind', sa.String()),
                           sa.column('assessor_user_id', sa.Uuid()))
    bind.execute(users.update().where(users.c.role == 'guest').values(role='observer'))

    known = {name: uid for uid, name in bind.execute(sa.select(users.c.id, users.c.name))}
    names = bind.execute(sa.select(assessments.c.assessor).where(assessments.c.kind == 'member').distinct())
    for (name,) in names:
        if name not in known:
            known[name] = uuid.uuid4()
            bind.execute(users.insert().values(id=known[name], name=name, role='member',
                                               created_at=sa.func.current_timestamp()))
        bind.execute(assessments.update().where(assessments.c.kind == 'member', assessments.c.assessor == name)
                     .values(assessor_user_id=known[name]))

    by_name: dict[str, list] = {}
    for mid, name in bind.execute(sa.select(members.c.id, members.c.name)):
        by_name.setdefault(name, []).append(mid)
    for name, uid in known.items():
        if len(by_name.get(name, ())) == 1:
            bind.execute(users.update().where(users.c.id == uid).values(member_id=by_name[name][0]))


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE users SET role = 'guest' WHERE role = 'observer'"))
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_assessor_user_id'))
        batch_op.drop_constraint(batch_op.f('fk_assessments_assessor_user_id_users'), type_='foreignkey')
        batch_op.drop_column('assessor_user_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_member_id'))
        batch_op.drop_constraint(batch_op.f('fk_users_member_id_members'), type_='foreignkey')
        batch_op.drop_column('version')
        batch_op.drop_column('active')
        batch_op.drop_column('member_id')
