"""remedy texts, 复议机关, local limits and competent offices as office settings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:50:00

Placeholder in the chain, filled by the change that needs it.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
