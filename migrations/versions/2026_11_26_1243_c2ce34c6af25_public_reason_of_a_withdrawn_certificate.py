"""Public reason of a withdrawn certificate

A suspension or revocation now has a public reason chosen from a short list (and an optional
public note): the only reason the public pages show. The detailed reason (status_reason) stays
with the staff. Certificates already suspended or revoked get "body_decision" (decision of the
certifying body), true of every withdrawal and saying nothing about the person.

Revision ID: c2ce34c6af25
Revises: 2c7830d7e095
Create Date: 2026-11-26 12:43:30.171902

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2ce34c6af25'
down_revision = '2c7830d7e095'
branch_labels = None
depends_on = None

PUBLIC_REASONS = "'data_error', 'body_decision', 'holder_request', 'under_review'"


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column('public_note', sa.Text(), nullable=False, server_default=sa.text("''"))
        )
    op.execute(
        "UPDATE certificates SET public_reason = 'body_decision' "
        "WHERE status IN ('revoked', 'suspended')"
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('public_note', server_default=None)
        batch_op.create_check_constraint(
            op.f('ck_certificates_public_reason_known'),
            f"public_reason IS NULL OR public_reason IN ({PUBLIC_REASONS})",
        )
        batch_op.create_check_constraint(
            op.f('ck_certificates_withdrawal_has_public_reason'),
            "status NOT IN ('revoked', 'suspended') OR public_reason IS NOT NULL",
        )


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('ck_certificates_withdrawal_has_public_reason'), type_='check'
        )
        batch_op.drop_constraint(op.f('ck_certificates_public_reason_known'), type_='check')
        batch_op.drop_column('public_note')
        batch_op.drop_column('public_reason')
