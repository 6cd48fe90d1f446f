"""beyond: hand edits of a page's words (the words before the latest edit, and an edit counter)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 15:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0007'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('rendered_pages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edit_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('text_before_edit', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rendered_pages', schema=None) as batch_op:
        batch_op.drop_column('text_before_edit')
        batch_op.drop_column('edit_count')
