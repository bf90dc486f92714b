"""letters that are not decisions: acknowledgement, information request, expiry reminder (issue 12)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 (written by hand)

``letters``: one row per generated version of such a letter, tied to an application (acknowledgement,
information request) or a recognition (reminder), with ``about_date`` (the date received, the due date of
the information, the badge's end date). As for decision letters (0005), the database refuses an UPDATE or
DELETE of a sent letter on both dialects; marking an unsent letter as sent stays possible.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

KINDS = ('acknowledgement', 'info_request', 'reminder')
SEND_WAYS = ('post', 'email')
LETTER_SENT = "commissie-app: een verzonden brief kan niet worden gewijzigd of verwijderd"
TRIGGERS = (("trg_letters_sent_update", "UPDATE"), ("trg_letters_sent_delete", "DELETE"))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.create_table('letters',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=True),
    sa.Column('recognition_id', sa.Uuid(), nullable=True),
    sa.Column('about_date', sa.Date(), nullable=False),
    sa.Column('kenmerk', sa.String(length=50), nullable=False),
    sa.Column('letter_version', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.String(length=64), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_by', sa.String(length=200), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('sent_via', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'],
                            name=op.f('fk_letters_application_id_applications')),
    sa.ForeignKeyConstraint(['recognition_id'], ['recognitions.id'],
                            name=op.f('fk_letters_recognition_id_recognitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
    sa.CheckConstraint(sa.column('kind').in_(KINDS), name=op.f('ck_letters_kind')),
    sa.CheckConstraint(sa.column('sent_via').in_(SEND_WAYS), name=op.f('ck_letters_sent_via')),
    )
    op.create_index(op.f('ix_letters_application_id'), 'letters', ['application_id'], unique=False)
    op.create_index(op.f('ix_letters_recognition_id'), 'letters', ['recognition_id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        # commissie_refuse() is migration 0005's function: it raises its argument
        for name, event in TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON letters FOR EACH ROW "
                       f"WHEN (OLD.sent_on IS NOT NULL) EXECUTE FUNCTION commissie_refuse({_quote(LETTER_SENT)})")
    else:
        for name, event in TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON letters FOR EACH ROW WHEN OLD.sent_on IS NOT NULL "
                       f"BEGIN SELECT RAISE(ABORT, {_quote(LETTER_SENT)}); END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name, _event in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON letters" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(op.f('ix_letters_recognition_id'), table_name='letters')
    op.drop_index(op.f('ix_letters_application_id'), table_name='letters')
    op.drop_table('letters')
