"""Indexes the reports count by: centre and period, or period across every centre

Across every centre, PostgreSQL reads the counted columns from the index alone (INCLUDE),
without visiting the table's rows. SQLite ignores postgresql_include.

Revision ID: c1d9deee7b62
Revises: 11d4531d7019
Create Date: 2026-11-26 13:19:21.829343

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c1d9deee7b62"
down_revision = "11d4531d7019"
branch_labels = None
depends_on = None

REPORTED_COLUMNS = ["centre_id", "standard_id", "evaluator_id", "status", "judgement"]


def upgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_centre_signed_off", ["centre_id", "signed_off_at"])
        batch_op.create_index("ix_assessments_centre_start", ["centre_id", "starts_at"])
        batch_op.create_index(
            "ix_assessments_signed_off", ["signed_off_at"], postgresql_include=REPORTED_COLUMNS
        )
        batch_op.create_index(
            "ix_assessments_start", ["starts_at"], postgresql_include=REPORTED_COLUMNS
        )

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_action_time", ["action", "occurred_at"])

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index("ix_certificates_centre_issued", ["centre_id", "issued_at"])
        batch_op.create_index(
            "ix_certificates_issued",
            ["issued_at"],
            postgresql_include=["centre_id", "status", "judged_on"],
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_issued")
        batch_op.drop_index("ix_certificates_centre_issued")

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_action_time")

    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_start")
        batch_op.drop_index("ix_assessments_signed_off")
        batch_op.drop_index("ix_assessments_centre_start")
        batch_op.drop_index("ix_assessments_centre_signed_off")
