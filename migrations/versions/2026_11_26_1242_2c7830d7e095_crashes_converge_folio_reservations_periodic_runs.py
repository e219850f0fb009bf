"""Crashes converge: folio reservations, periodic runs, batches queued again

folio_reservations: a folio number taken in its own transaction and not yet issued or voided,
with the time it was taken; the convergence job voids those older than the grace period.
periodic_runs: one row per periodic task and period, so a period runs once however many
workers schedule it. issuance_batches.requeued_at: when the job last queued a stalled batch.

Revision ID: 2c7830d7e095
Revises: 7676e92ce2dd
Create Date: 2026-11-26 12:42:15.005881

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2c7830d7e095'
down_revision = '7676e92ce2dd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('folio_reservations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=60), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_folio_reservations')),
    sa.UniqueConstraint('scope', 'number', name='uq_folio_reservations_scope_number')
    )
    with op.batch_alter_table('folio_reservations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_folio_reservations_taken_at'), ['taken_at'], unique=False)

    op.create_table('periodic_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=100), nullable=False),
    sa.Column('period_start', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_periodic_runs')),
    sa.UniqueConstraint('task', 'period_start', name='uq_periodic_runs_task_period')
    )
    with op.batch_alter_table('issuance_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requeued_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('issuance_batches', schema=None) as batch_op:
        batch_op.drop_column('requeued_at')

    op.drop_table('periodic_runs')
    with op.batch_alter_table('folio_reservations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_folio_reservations_taken_at'))

    op.drop_table('folio_reservations')
