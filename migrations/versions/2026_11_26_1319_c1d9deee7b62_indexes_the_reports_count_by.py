"""Indexes the reports count by: centre and period, or period across every centre

Revision ID: c1d9deee7b62
Revises: 7676e92ce2dd
Create Date: 2026-11-26 13:19:21.829343

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c1d9deee7b62"
down_revision = "7676e92ce2dd"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_centre_signed_off", ["centre_id", "signed_off_at"], unique=False
        )
        batch_op.create_index(
            "ix_assessments_centre_start", ["centre_id", "starts_at"], unique=False
        )
        batch_op.create_index("ix_assessments_signed_off", ["signed_off_at"], unique=False)

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_action_time", ["action", "occurred_at"], unique=False
        )

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_certificates_centre_issued", ["centre_id", "issued_at"], unique=False
        )
        batch_op.create_index("ix_certificates_issued", ["issued_at"], unique=False)


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_issued")
        batch_op.drop_index("ix_certificates_centre_issued")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_action_time")

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_signed_off")
        batch_op.drop_index("ix_assessments_centre_start")
        batch_op.drop_index("ix_assessments_centre_signed_off")
