"""advice register, advice memos and the developments log (issue 15)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 (written by hand)

* ``advice``: an advice to the Coördinatieteam, asked (by whom, when) or unasked; its text; the meeting and
  agenda item where the commission adopted it (and that meeting's date); when it was sent; the response and
  its date. The status is derived from these dates, not stored.
* ``advice_memos``: every generated memo (PDF with its SHA-256 and template version, who and when); the
  database refuses UPDATE and DELETE of a memo on both dialects (a new version is a new row).
* ``developments``: the log "Ontwikkelingen Impact Ondernemen" (date, topic, source link, note, who recorded).

Only new tables: no table of migration 0005 is re-created, so its triggers stay as they are.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

MEMO_FIXED = "commissie-app: een gearchiveerd adviesmemo kan niet worden gewijzigd of verwijderd"
TRIGGERS = (("trg_advice_memos_update", "UPDATE"), ("trg_advice_memos_delete", "DELETE"))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.create_table('advice',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('asked', sa.Boolean(), nullable=False),
    sa.Column('asked_by', sa.String(length=200), nullable=False),
    sa.Column('asked_on', sa.Date(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=True),
    sa.Column('agenda_item_id', sa.Uuid(), nullable=True),
    sa.Column('adopted_on', sa.Date(), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('response_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_advice_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='SET NULL',
                            name=op.f('fk_advice_agenda_item_id_agenda_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice')),
    )
    op.create_index(op.f('ix_advice_meeting_id'), 'advice', ['meeting_id'], unique=False)
    op.create_index(op.f('ix_advice_agenda_item_id'), 'advice', ['agenda_item_id'], unique=False)

    op.create_table('advice_memos',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('advice_id', sa.Uuid(), nullable=False),
    sa.Column('memo_version', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.String(length=64), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['advice_id'], ['advice.id'], name=op.f('fk_advice_memos_advice_id_advice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advice_memos')),
    sa.UniqueConstraint('advice_id', 'memo_version', name='uq_advice_memos_advice_version'),
    )
    op.create_index(op.f('ix_advice_memos_advice_id'), 'advice_memos', ['advice_id'], unique=False)

    op.create_table('developments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('source_link', sa.String(length=500), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_developments')),
    )
    op.create_index(op.f('ix_developments_happened_on'), 'developments', ['happened_on'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        # commissie_refuse() is migration 0005's function: it raises its argument
        for name, event in TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON advice_memos FOR EACH ROW "
                       f"EXECUTE FUNCTION commissie_refuse({_quote(MEMO_FIXED)})")
    else:
        for name, event in TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} BEFORE {event} ON advice_memos FOR EACH ROW "
                       f"BEGIN SELECT RAISE(ABORT, {_quote(MEMO_FIXED)}); END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == 'postgresql'
    for name, _event in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON advice_memos" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index(op.f('ix_developments_happened_on'), table_name='developments')
    op.drop_table('developments')
    op.drop_index(op.f('ix_advice_memos_advice_id'), table_name='advice_memos')
    op.drop_table('advice_memos')
    op.drop_index(op.f('ix_advice_agenda_item_id'), table_name='advice')
    op.drop_index(op.f('ix_advice_meeting_id'), table_name='advice')
    op.drop_table('advice')
