"""The durable engine owns its tables: the old ones' rows move into the engine's, then go.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Runs (their book id becomes the run's free-form subject), steps, events (numbered in the
order they arrived) and waits are copied; a wait's look-back becomes the number of the last
event before it began. Runs in flight when this runs replay against the new workflow code and
fail with a clear "workflow changed" message if their steps no longer fit. Progress event ids
restart (they lived in Redis): a client holding an old id reconnects from the book's state.
"""
import json
from typing import Any, Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = 'e001'


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _copy_rows() -> None:
    bind = op.get_bind()
    meta = sa.MetaData()
    old = {name: sa.Table(name, meta, autoload_with=bind) for name in ("events", "book_jobs", "job_steps", "run_waits")}
    new = {name: sa.Table(name, meta, autoload_with=bind)
           for name in ("engine_events", "engine_runs", "engine_steps", "engine_waits", "engine_wait_shapes")}
    seq_of: dict[str, int] = {}
    received: list[tuple[Any, int]] = []
    for row in bind.execute(sa.select(old["events"]).order_by(old["events"].c.received_at, old["events"].c.id)):
        data = row.data or {}
        subject = data.get("book_id") if isinstance(data, dict) else None
        seq = bind.execute(new["engine_events"].insert().values(
            id=row.id, name=row.name, subject=None if subject is None else str(subject), data=data,
            idempotency_key=row.idempotency_key, received_at=row.received_at, fanned_out_at=row.fanned_out_at,
        ).returning(new["engine_events"].c.seq)).scalar_one()
        seq_of[row.id] = int(seq)
        received.append((row.received_at, int(seq)))
    for row in bind.execute(sa.select(old["book_jobs"])):
        event_name = None
        if row.event_id in seq_of:
            event_name = bind.execute(sa.select(old["events"].c.name).where(old["events"].c.id == row.event_id)).scalar()
        bind.execute(new["engine_runs"].insert().values(
            id=row.id, workflow=row.workflow, status=row.status, subject=row.book_id, event_id=row.event_id,
            event_seq=seq_of.get(row.event_id), event_name=event_name, event_data=row.event_data, stage=row.stage,
            current_page=row.current_page, percent=row.percent, progress=row.progress, attempts=row.attempts,
            generation=row.generation, error=row.error, output=row.output, throttle_key=row.throttle_key,
            not_before=row.not_before, heartbeat_at=row.heartbeat_at, cancel_requested=row.cancel_requested,
            created_at=row.created_at, started_at=row.started_at, claimed_at=row.claimed_at,
            updated_at=row.updated_at, finished_at=row.finished_at,
        ))
    for row in bind.execute(sa.select(old["job_steps"])):
        bind.execute(new["engine_steps"].insert().values(
            id=row.id, run_id=row.run_id, step_key=row.step_id, scope=row.scope, position=row.position,
            kind=row.kind, status=row.status, output=row.output, error=row.error, attempts=row.attempts,
            generation=0, started_at=row.started_at, finished_at=row.finished_at, duration_ms=row.duration_ms,
        ))
    shapes: set[tuple[str, str]] = set()
    for row in bind.execute(sa.select(old["run_waits"])):
        since = max((seq for at, seq in received if at < row.since), default=0)
        match = row.match or None
        bind.execute(new["engine_waits"].insert().values(
            id=row.id, run_id=row.run_id, step_key=row.step_id, event_name=row.event_name, match=match,
            match_key=_canonical(dict(match or {})) if row.event_name else None, since_seq=since,
            timeout_at=row.timeout_at, resolved_at=row.resolved_at, event_seq=seq_of.get(row.event_id),
            suspended=row.suspended,
        ))
        if row.event_name:
            shapes.add((row.event_name, _canonical(sorted(match or {}))))
    for event_name, fields in sorted(shapes):
        bind.execute(new["engine_wait_shapes"].insert().values(event_name=event_name, fields=fields))


def upgrade() -> None:
    _copy_rows()
    op.drop_table('run_waits')
    op.drop_table('job_steps')
    op.drop_table('book_jobs')
    op.drop_table('events')


def downgrade() -> None:
    # The old tables come back empty: what the engine's tables hold stays there.
    op.create_table('events',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fanned_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_fanned_out_at'), ['fanned_out_at'], unique=False)
        batch_op.create_index('ix_events_name_received', ['name', 'received_at'], unique=False)

    op.create_table('book_jobs',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('workflow', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('book_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('event_data', sa.JSON(), nullable=True),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('current_page', sa.Integer(), nullable=True),
    sa.Column('percent', sa.Float(), nullable=True),
    sa.Column('progress', sa.JSON(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
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
    sa.UniqueConstraint('workflow', 'event_id', name='uq_book_jobs_workflow_event')
    )
    with op.batch_alter_table('book_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_book_jobs_book_created', ['book_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_jobs_not_before'), ['not_before'], unique=False)
        batch_op.create_index('ix_book_jobs_status_updated', ['status', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_jobs_workflow'), ['workflow'], unique=False)

    op.create_table('job_steps',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('run_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('step_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('output', sa.JSON(), nullable=True),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_ms', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['book_jobs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'step_id', name='uq_job_steps_run_step')
    )
    with op.batch_alter_table('job_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_steps_run_id'), ['run_id'], unique=False)

    op.create_table('run_waits',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('run_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('step_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('event_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('match_field', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('match_value', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('match', sa.JSON(), nullable=True),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timeout_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['book_jobs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('run_id', 'step_id', name='uq_run_waits_run_step')
    )
    with op.batch_alter_table('run_waits', schema=None) as batch_op:
        batch_op.create_index('ix_run_waits_event_match', ['event_name', 'match_value'], unique=False)
        batch_op.create_index(batch_op.f('ix_run_waits_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_run_waits_timeout_at'), ['timeout_at'], unique=False)
