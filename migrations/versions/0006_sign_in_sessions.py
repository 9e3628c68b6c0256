"""revocable sign-in sessions and sign-in throttling

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:50:00

Placeholder in the chain, filled by the change that needs it.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
