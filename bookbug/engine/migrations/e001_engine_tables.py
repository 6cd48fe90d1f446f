"""The durable engine's own tables: runs, steps, events, waits, wait shapes, progress channels.

Revision ID: e001
Revises: (the root of the engine's own branch, label "engine")
Create Date: 2026-11-30

The engine owns its schema: these tables live beside Bookbug's, in a migration branch of
their own, and nothing outside bookbug/engine/ touches them.
"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # the generated columns name sqlmodel.sql.sqltypes.AutoString
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = 'e001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ('engine',)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('engine_channels',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.PrimaryKeyConstraint('name')
    )
    with op.batch_alter_table('engine_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engine_channels_subject'), ['subject'], unique=False)

    op.create_table('engine_events',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fanned_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('engine_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engine_events_fanned_out_at'), ['fanned_out_at'], unique=False)
        batch_op.create_index('ix_engine_events_name_seq', ['name', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_engine_events_subject'), ['subject'], unique=False)

    if op.get_bind().dialect.name == "postgresql":  # JSON containment for waits, through GIN
        op.create_index('ix_engine_events_data', 'engine_events', ['data'], unique=False, postgresql_using='gin',
                        postgresql_ops={'data': 'jsonb_path_ops'})

    op.create_table('engine_runs',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('workflow', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('event_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('event_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('event_data', sa.JSON(), nullable=True),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('current_page', sa.Integer(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('progress', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('reruns', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('failure', sa.JSON(), nullable=True),
    sa.Column('output', sa.JSON(), nullable=True),
    sa.Column('throttle_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_requested', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workflow', 'event_id', name='uq_engine_runs_workflow_event')
    )
    with op.batch_alter_table('engine_runs', schema=None) as batch_op:
        batch_op.create_index('ix_engine_runs_finished', ['finished_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_engine_runs_not_before'), ['not_before'], unique=False)
        batch_op.create_index('ix_engine_runs_status_heartbeat', ['status', 'heartbeat_at'], unique=False)
        batch_op.create_index('ix_engine_runs_subject_created', ['subject', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_engine_runs_workflow'), ['workflow'], unique=False)

    op.create_table('engine_wait_shapes',
    sa.Column('event_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('fields', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('event_name', 'fields')
    )
    op.create_table('engine_steps',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('run_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('step_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('fn', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('output', sa.JSON(), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('failure', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_ms', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['engine_runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'step_key', name='uq_engine_steps_run_key')
    )
    with op.batch_alter_table('engine_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engine_steps_run_id'), ['run_id'], unique=False)

    op.create_table('engine_waits',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('run_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('step_key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('event_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('match', sa.JSON(), nullable=True),
    sa.Column('match_key', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('since_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('timeout_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('event_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['engine_runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'event_seq', name='uq_engine_waits_run_event'),
    sa.UniqueConstraint('run_id', 'step_key', name='uq_engine_waits_run_key')
    )
    with op.batch_alter_table('engine_waits', schema=None) as batch_op:
        batch_op.create_index('ix_engine_waits_open', ['event_name', 'match_key', 'resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_engine_waits_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engine_waits_timeout_at'), ['timeout_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('engine_waits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engine_waits_timeout_at'))
        batch_op.drop_index(batch_op.f('ix_engine_waits_run_id'))
        batch_op.drop_index('ix_engine_waits_open')

    op.drop_table('engine_waits')
    with op.batch_alter_table('engine_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engine_steps_run_id'))

    op.drop_table('engine_steps')
    op.drop_table('engine_wait_shapes')
    with op.batch_alter_table('engine_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engine_runs_workflow'))
        batch_op.drop_index('ix_engine_runs_subject_created')
        batch_op.drop_index('ix_engine_runs_status_heartbeat')
        batch_op.drop_index(batch_op.f('ix_engine_runs_not_before'))
        batch_op.drop_index('ix_engine_runs_finished')

    op.drop_table('engine_runs')
    with op.batch_alter_table('engine_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engine_events_subject'))
        batch_op.drop_index('ix_engine_events_name_seq')
        batch_op.drop_index(batch_op.f('ix_engine_events_fanned_out_at'))

    if op.get_bind().dialect.name == "postgresql":
        op.drop_index('ix_engine_events_data', table_name='engine_events')
    op.drop_table('engine_events')
    with op.batch_alter_table('engine_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engine_channels_subject'))

    op.drop_table('engine_channels')
