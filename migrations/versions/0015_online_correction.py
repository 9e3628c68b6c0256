"""online corrections: the corrected request an applicant sends on the portal, with its files

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 17:00:00

补正 online (条例 Art. 30, 31(三)): the text and the day it was sent (late or not), one per application, and
its files (stored under generated names in UPLOAD_DIR, named to staff by a random public id). The event
itself is a request_event row of kind correction_submitted (no schema change). New tables only.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'online_correction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('late', sa.Boolean(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('info_request_id'),
    )
    op.create_table(
        'correction_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('correction_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('mime_type', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['correction_id'], ['online_correction.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('public_id'),
        sa.UniqueConstraint('stored_name'),
    )
    with op.batch_alter_table('correction_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_file_correction_id'), ['correction_id'], unique=False)


def downgrade():
    with op.batch_alter_table('correction_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_correction_file_correction_id'))
    op.drop_table('correction_file')
    op.drop_table('online_correction')
