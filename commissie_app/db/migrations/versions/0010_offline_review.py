"""offline review: review packages, imported returns, members' notes, laptop keys, a database id

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 (written by hand)

* ``users.review_key``: the public key of a member's laptop, registered by the secretary;
* ``review_packages``: each package made for a meeting (for whom, expiry, revocation);
* ``review_returns``: each imported return package (so a replay or an older return is refused);
* ``member_notes``: a member's own notes on an application;
* ``review_identity``: one row with the database's own random id (a package carries it, so that a return
  made for another database is refused) and the commission's key pair for review packages. The row is
  made by services/review_keys.py when first needed, not here (a migration makes no keys).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('users', sa.Column('review_key', sa.Text(), nullable=False, server_default=''))
    op.create_table('review_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('database_id', sa.Uuid(), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('secret', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_identity'))
    )
    op.create_table('review_packages',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('user_ids', sa.JSON(), nullable=False),
    sa.Column('passphrase', sa.Boolean(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=200), nullable=False),
    sa.Column('revoke_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_review_packages_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_packages'))
    )
    op.create_index(op.f('ix_review_packages_meeting_id'), 'review_packages', ['meeting_id'], unique=False)
    op.create_table('review_returns',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('package_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['review_packages.id'],
                            name=op.f('fk_review_returns_package_id_review_packages')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_returns_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_returns')),
    sa.UniqueConstraint('package_id', 'user_id', 'sequence', name='uq_review_returns_package_user_sequence'),
    sa.UniqueConstraint('sha256', name=op.f('uq_review_returns_sha256'))
    )
    op.create_index(op.f('ix_review_returns_package_id'), 'review_returns', ['package_id'], unique=False)
    op.create_index(op.f('ix_review_returns_user_id'), 'review_returns', ['user_id'], unique=False)
    op.create_table('member_notes',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_member_notes_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_notes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_notes')),
    sa.UniqueConstraint('application_id', 'user_id', name='uq_member_notes_application_user')
    )
    op.create_index(op.f('ix_member_notes_application_id'), 'member_notes', ['application_id'], unique=False)
    op.create_index(op.f('ix_member_notes_user_id'), 'member_notes', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('member_notes')
    op.drop_table('review_returns')
    op.drop_table('review_packages')
    op.drop_table('review_identity')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('review_key')
