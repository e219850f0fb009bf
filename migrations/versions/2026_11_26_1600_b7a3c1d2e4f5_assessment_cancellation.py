"""Assessments can be cancelled: the reason, and the calendar event's sequence

Revision ID: b7a3c1d2e4f5
Revises: 7c196a639eb4
Create Date: 2026-11-26 16:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7a3c1d2e4f5"
down_revision = "7c196a639eb4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("calendar_sequence", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("calendar_sequence")
        batch_op.drop_column("cancel_reason")
