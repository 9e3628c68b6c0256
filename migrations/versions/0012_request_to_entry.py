"""applications turned into catalog entries (条例第四十四条) and applications marked as the same information

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 10:00:00

Two staff-only link tables: `request_entry` (one per application: the draft catalog entry its disclosed
information became) and `same_information` (applications staff marked as asking for the same information,
grouped by `group_id`). New tables only.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'request_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=50), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('info_request_id'),
    )
    with op.batch_alter_table('request_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_entry_document_id'), ['document_id'], unique=False)
    op.create_table(
        'same_information',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('actor', sa.String(length=50), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('info_request_id'),
    )
    with op.batch_alter_table('same_information', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_same_information_group_id'), ['group_id'], unique=False)


def downgrade():
    with op.batch_alter_table('same_information', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_same_information_group_id'))
    op.drop_table('same_information')
    with op.batch_alter_table('request_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_entry_document_id'))
    op.drop_table('request_entry')
