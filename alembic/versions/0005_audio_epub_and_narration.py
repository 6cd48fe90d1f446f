"""audio: the read-along EPUB's key on books, each page's narration

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 14:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('books') as batch:
        batch.add_column(sa.Column('epub_key', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True))
    with op.batch_alter_table('rendered_pages') as batch:
        batch.add_column(sa.Column('narration', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rendered_pages') as batch:
        batch.drop_column('narration')
    with op.batch_alter_table('books') as batch:
        batch.drop_column('epub_key')
