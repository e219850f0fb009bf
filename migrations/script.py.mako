<%!
    import re

    def without_alembic_markers(commands):
        """Drop autogenerate's '# ### commands auto generated ... ###' / '# ### end ... ###' lines."""
        kept = [
            line
            for line in commands.splitlines()
            if not re.fullmatch(r"\s*# ### .* ###\s*", line)
        ]
        return "\n".join(kept).strip() or "pass"
%>\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${without_alembic_markers(upgrades) if upgrades else "pass"}


def downgrade():
    ${without_alembic_markers(downgrades) if downgrades else "pass"}
