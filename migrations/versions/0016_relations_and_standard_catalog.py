"""relations between entries, the 基层政务公开标准目录, and the 投诉举报 office of the guide

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 20:00:00

document_relation links two 主动公开 entries (解读, 废止, 相关; one link per pair); standard_catalog_item
holds the rows of the office's 标准目录; office gains the 条例第五十一条 complaint office and its contact
(existing rows: their 复议机关, no contact). New tables and two columns with defaults only.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None



def upgrade():
    op.create_table(
        'document_relation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('source_id <> target_id', name='ck_document_relation_not_self'),
        sa.ForeignKeyConstraint(['source_id'], ['document.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['target_id'], ['document.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('source_id', 'target_id', name='uq_document_relation_pair'),
    )
    with op.batch_alter_table('document_relation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_relation_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_relation_target_id'), ['target_id'], unique=False)
    op.create_table(
        'standard_catalog_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('matter', sa.String(length=200), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('basis', sa.Text(), nullable=False),
        sa.Column('time_limit', sa.String(length=200), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=300), nullable=False),
        sa.Column('audience', sa.String(length=100), nullable=False),
        sa.Column('method', sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('standard_catalog_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_catalog_item_position'), ['position'], unique=False)
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complaint_authority', sa.String(length=100), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('complaint_contact', sa.String(length=200), nullable=False,
                                      server_default=''))
    # An office already running names no complaint office yet. Its 复议机关 is normally the 上一级行政机关,
    # one of the two Art. 51 names; no contact is invented (the guide leaves it out when empty).
    op.execute("UPDATE office SET complaint_authority = review_authority")


def downgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('complaint_contact')
        batch_op.drop_column('complaint_authority')
    with op.batch_alter_table('standard_catalog_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_catalog_item_position'))
    op.drop_table('standard_catalog_item')
    with op.batch_alter_table('document_relation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_relation_target_id'))
        batch_op.drop_index(batch_op.f('ix_document_relation_source_id'))
    op.drop_table('document_relation')
