"""Review by sampling: why each judgement went to the reviewer or not; the candidate's
acknowledgement of their cédula de evaluación, once per assessment

Revision ID: 358c584f00f6
Revises: 372f57d2ae8b
Create Date: 2026-11-26 15:52:56.514627

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "358c584f00f6"
down_revision = "372f57d2ae8b"
branch_labels = None
depends_on = None

SELECTIONS = "'not_yet_competent', 'early_judgement', 'resubmitted', 'sampled', 'not_sampled'"


def upgrade():
    op.create_table(
        "record_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("record_sha256", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_record_acknowledgements_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_record_acknowledgements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_acknowledgements")),
        sa.UniqueConstraint("assessment_id", name="record_acknowledged_once"),
    )
    # Judgements signed off before this revision were all reviewed (or wait for review): NULL.
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_selection", sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_assessments_review_selection_known"),
            f"review_selection IS NULL OR review_selection IN ({SELECTIONS})",
        )


def downgrade():
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_assessments_review_selection_known"), type_="check")
        batch_op.drop_column("review_selection")

    op.drop_table("record_acknowledgements")
