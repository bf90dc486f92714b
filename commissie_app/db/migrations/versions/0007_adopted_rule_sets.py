"""the commission's rules live in the database, as adopted rule sets

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 (written by hand)

Until now every machine read forms/rules.toml itself, so two machines on one database could disagree
about the quorum. A rule set is now adopted into this table (like a form version); the highest
version is in force everywhere. The table starts empty: the app adopts the rules file it ships the
first time the rules are needed (services/rules.py), not here, so this migration reads no app files.
An adopted set is never changed or deleted (a later version replaces it): the database refuses that
as it refuses a change of the audit log (0005's ``commissie_refuse`` on PostgreSQL).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

REFUSED = "commissie-app: vastgestelde regels kunnen niet worden gewijzigd of verwijderd"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.create_table('rule_sets',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_name', sa.String(length=500), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('adopted_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_sets')),
    sa.UniqueConstraint('version', name=op.f('uq_rule_sets_version'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE TRIGGER trg_rule_sets BEFORE UPDATE OR DELETE ON rule_sets FOR EACH ROW "
                   f"EXECUTE FUNCTION commissie_refuse({_quote(REFUSED)})")
    else:
        for event in ('UPDATE', 'DELETE'):
            op.execute(f"CREATE TRIGGER trg_rule_sets_{event.lower()} BEFORE {event} ON rule_sets FOR EACH ROW "
                       f"BEGIN SELECT RAISE(ABORT, {_quote(REFUSED)}); END")


def downgrade() -> None:  # the table's triggers go with it
    op.drop_table('rule_sets')
