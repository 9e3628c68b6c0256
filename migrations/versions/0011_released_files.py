"""released files, mailed download links, downloads and handovers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00

The information an office releases with a 答复书 (予以公开 or the disclosable part of 部分公开): its files
(stored under generated names in UPLOAD_DIR, named to the applicant by a random public id), the download
links mailed to the applicant (only a hash of each token, with its expiry), each download, and how paper
or a disc was handed over (邮寄/快递 with a tracking number, 自行领取, 当场阅读抄录). New tables only.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'released_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('mime_type', sa.String(length=120), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('public_id'),
        sa.UniqueConstraint('stored_name'),
    )
    with op.batch_alter_table('released_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_released_file_info_request_id'), ['info_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_released_file_letter_id'), ['letter_id'], unique=False)
    op.create_table(
        'release_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('release_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_link_info_request_id'), ['info_request_id'], unique=False)
    op.create_table(
        'release_download',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('released_file_id', sa.Integer(), nullable=False),
        sa.Column('via', sa.String(length=10), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['released_file_id'], ['released_file.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('release_download', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_download_released_file_id'), ['released_file_id'], unique=False)
    op.create_table(
        'release_handover',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('info_request_id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('tracking_number', sa.String(length=40), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('actor', sa.String(length=50), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['info_request_id'], ['info_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('release_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_handover_info_request_id'), ['info_request_id'], unique=False)


def downgrade():
    with op.batch_alter_table('release_handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_handover_info_request_id'))
    op.drop_table('release_handover')
    with op.batch_alter_table('release_download', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_download_released_file_id'))
    op.drop_table('release_download')
    with op.batch_alter_table('release_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_link_info_request_id'))
    op.drop_table('release_link')
    with op.batch_alter_table('released_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_released_file_letter_id'))
        batch_op.drop_index(batch_op.f('ix_released_file_info_request_id'))
    op.drop_table('released_file')
