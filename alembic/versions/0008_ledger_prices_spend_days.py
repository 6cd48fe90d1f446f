"""ledger: one row per paid call, the operators' prices, each day's spending against the caps

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 14:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('spend_ledger',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('model', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('book_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('input_tokens', sa.Integer(), nullable=False),
    sa.Column('output_tokens', sa.Integer(), nullable=False),
    sa.Column('cache_read_tokens', sa.Integer(), nullable=False),
    sa.Column('cache_write_tokens', sa.Integer(), nullable=False),
    sa.Column('images', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('cost_usd', sa.Float(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('spend_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_spend_ledger_at', ['at'], unique=False)
        batch_op.create_index('ix_spend_ledger_book', ['book_id'], unique=False)
        batch_op.create_index('ix_spend_ledger_user_at', ['user_id', 'at'], unique=False)

    op.create_table('prices',
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('model', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('input', sa.Float(), nullable=False),
    sa.Column('output', sa.Float(), nullable=False),
    sa.Column('cache_read', sa.Float(), nullable=False),
    sa.Column('cache_write', sa.Float(), nullable=False),
    sa.Column('image', sa.Float(), nullable=False),
    sa.Column('second', sa.Float(), nullable=False),
    sa.Column('taken_on', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('provider', 'model')
    )
    op.create_table('spend_days',
    sa.Column('day', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('spent_usd', sa.Float(), nullable=False),
    sa.Column('held_usd', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'scope')
    )


def downgrade() -> None:
    op.drop_table('spend_days')
    op.drop_table('prices')
    with op.batch_alter_table('spend_ledger', schema=None) as batch_op:
        batch_op.drop_index('ix_spend_ledger_user_at')
        batch_op.drop_index('ix_spend_ledger_book')
        batch_op.drop_index('ix_spend_ledger_at')
    op.drop_table('spend_ledger')
