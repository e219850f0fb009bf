"""Consent is stamped only when the candidate gives it

Revision ID: 18d5ddc0bf16
Revises: 55080f1c69bf
Create Date: 2026-11-26 09:39:51.077457

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '18d5ddc0bf16'
down_revision = '55080f1c69bf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.alter_column('consent_recorded_at',
               existing_type=sa.DateTime(),
               nullable=True)
    # Candidates who refused were stamped as if they had consented.
    op.execute("UPDATE candidates SET consent_recorded_at = NULL WHERE NOT is_publicly_listed")


def downgrade():
    op.execute("UPDATE candidates SET consent_recorded_at = registered_at "
               "WHERE consent_recorded_at IS NULL")
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.alter_column('consent_recorded_at',
               existing_type=sa.DateTime(),
               nullable=False)
