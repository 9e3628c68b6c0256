"""search index change log

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:50:00

Every change to what is searchable writes a row here in its own transaction; each index folder follows
the log from its own cursor (portal.search.follow).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_change',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('search_change', schema=None) as batch_op:
        batch_op.create_index('ix_search_change_at', ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_change', schema=None) as batch_op:
        batch_op.drop_index('ix_search_change_at')
    op.drop_table('search_change')
