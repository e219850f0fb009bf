"""Recertification requests can be withdrawn

The holder may withdraw a request the centre has not scheduled yet: status 'withdrawn' with
withdrawn_at. Only requested and scheduled requests are open now (at most one per certificate),
so a holder who withdrew may ask again.

Revision ID: a4c9e2f17b3d
Revises: 903bf6a8b3d2
Create Date: 2026-11-26 23:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c9e2f17b3d'
down_revision = '903bf6a8b3d2'
branch_labels = None
depends_on = None

OPEN_INDEX = 'uq_recertification_requests_open_certificate'
OLD_OPEN = sa.text("status <> 'completed'")
NEW_OPEN = sa.text("status IN ('requested', 'scheduled')")
OLD_STATUSES = "status IN ('requested', 'scheduled', 'completed')"
NEW_STATUSES = "status IN ('requested', 'scheduled', 'completed', 'withdrawn')"
OLD_ASSESSMENT = "status = 'requested' OR assessment_id IS NOT NULL"
NEW_ASSESSMENT = "status IN ('requested', 'withdrawn') OR assessment_id IS NOT NULL"


def upgrade():
    with op.batch_alter_table('recertification_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f('ck_recertification_requests_status_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_recertification_requests_status_known'), NEW_STATUSES
        )
        batch_op.drop_constraint(
            op.f('ck_recertification_requests_scheduled_has_assessment'), type_='check'
        )
        batch_op.create_check_constraint(
            op.f('ck_recertification_requests_scheduled_has_assessment'), NEW_ASSESSMENT
        )
        batch_op.drop_index(OPEN_INDEX, sqlite_where=OLD_OPEN, postgresql_where=OLD_OPEN)
        batch_op.create_index(
            OPEN_INDEX,
            ['certificate_id'],
            unique=True,
            sqlite_where=NEW_OPEN,
            postgresql_where=NEW_OPEN,
        )


def downgrade():
    # Withdrawn requests have no place in the old statuses; the audit trail keeps each one.
    op.execute("DELETE FROM recertification_requests WHERE status = 'withdrawn'")
    with op.batch_alter_table('recertification_requests', schema=None) as batch_op:
        batch_op.drop_index(OPEN_INDEX, sqlite_where=NEW_OPEN, postgresql_where=NEW_OPEN)
        batch_op.create_index(
            OPEN_INDEX,
            ['certificate_id'],
            unique=True,
            sqlite_where=OLD_OPEN,
            postgresql_where=OLD_OPEN,
        )
        batch_op.drop_constraint(
            op.f('ck_recertification_requests_scheduled_has_assessment'), type_='check'
        )
        batch_op.create_check_constraint(
            op.f('ck_recertification_requests_scheduled_has_assessment'), OLD_ASSESSMENT
        )
        batch_op.drop_constraint(op.f('ck_recertification_requests_status_known'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_recertification_requests_status_known'), OLD_STATUSES
        )
        batch_op.drop_column('withdrawn_at')
