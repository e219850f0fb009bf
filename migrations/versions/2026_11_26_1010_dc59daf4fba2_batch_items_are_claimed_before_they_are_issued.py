"""Batch items are claimed before they are issued

A run claims an item (status 'running', claimed_at) with a compare-and-set before issuing it,
so two runs of one batch never issue the same item; a claim older than the lease is abandoned
and may be taken over.

Revision ID: dc59daf4fba2
Revises: d2259a860770
Create Date: 2026-11-26 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dc59daf4fba2'
down_revision = 'd2259a860770'
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('pending', 'issued', 'failed')"
NEW_STATUSES = "status IN ('pending', 'running', 'issued', 'failed')"


def upgrade():
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f('ck_batch_items_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_batch_items_status_known'), NEW_STATUSES)


def downgrade():
    # An item caught running by the downgrade was never finished: it waits for the next run.
    op.execute("UPDATE batch_items SET status = 'pending' WHERE status = 'running'")
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_batch_items_status_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_batch_items_status_known'), OLD_STATUSES)
        batch_op.drop_column('claimed_at')
