"""proof of identity, the office's proof and retention settings, removal of personal data

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00

The copies of the 证件 and the 授权委托书 sent with an online application (stored under generated names in
UPLOAD_DIR); the office's settings for asking them (必须提交/可以提交/不要求) and for how many years after an
application ends its applicant's personal data is kept (default 3); the 代理人's name; and the day an
application's personal data was removed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'proof_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('mime_type', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('public_id'),
        sa.UniqueConstraint('stored_name'),
    )
    with op.batch_alter_table('proof_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proof_file_info_request_id'), ['info_request_id'], unique=False)
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_proof', sa.String(length=10), server_default='不要求', nullable=False))
        batch_op.add_column(sa.Column('agent_proof', sa.String(length=10), server_default='不要求', nullable=False))
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), server_default='3', nullable=False))
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agent_name', sa.String(length=50), server_default='', nullable=False))
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('personal_data_removed_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_column('personal_data_removed_on')
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.drop_column('agent_name')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('retention_years')
        batch_op.drop_column('agent_proof')
        batch_op.drop_column('id_proof')
    with op.batch_alter_table('proof_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proof_file_info_request_id'))
    op.drop_table('proof_file')
