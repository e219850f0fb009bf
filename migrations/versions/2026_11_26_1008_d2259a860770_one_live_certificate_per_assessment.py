"""One live certificate per assessment

A partial unique index: every certificate of an assessment but the superseded ones counts, so
two workers issuing the same approved judgement at once cannot both succeed.

Revision ID: d2259a860770
Revises: 89a767e61a75
Create Date: 2026-11-26 10:08:48.112539

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2259a860770'
down_revision = '89a767e61a75'
branch_labels = None
depends_on = None

LIVE = sa.text("status <> 'superseded'")


def upgrade():
    # Issued twice before this index existed: say which, rather than fail on the index alone.
    # Which one stands is the centre's decision: the others become superseded by it (status
    # 'superseded', superseded_by_id = the one kept), as a reissue would have left them.
    doubles = op.get_bind().execute(sa.text(
        "SELECT assessment_id FROM certificates WHERE status <> 'superseded' "
        "GROUP BY assessment_id HAVING COUNT(*) > 1"
    )).scalars().all()
    if doubles:
        raise RuntimeError(
            "These assessments have more than one certificate that is not superseded; mark all "
            f"but one superseded by the one kept, then upgrade again: {sorted(doubles)}"
        )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('uq_certificates_live_assessment', ['assessment_id'], unique=True,
                              sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_live_assessment')
