"""remedy texts, 复议机关, local limits and competent offices as office settings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:50:00

The office gets the remedy paragraph of each kind of answer (行政复议法 2023 第二十三条: 复议 first for 不予公开;
a choice of 复议 or a lawsuit otherwise), the Art. 26 publishing limit and the shortest 补正 period, each with
the regulation's value as default; other_office lists the offices named in 非本机关负责公开 answers (Art. 36(五)).
Existing rows get the defaults through server defaults, the same texts as portal.models.office.DEFAULT_OFFICE.
"""
from alembic import op
import sqlalchemy as sa

# The defaults as of this revision (copied, so later edits of the model do not change what this migration does).
REMEDY_REVIEW_FIRST = ("如对本答复中不予公开的决定不服，应当自收到本答复之日起60日内先向{复议机关}申请行政复议；"
                       "对行政复议决定不服的，可以自收到行政复议决定书之日起15日内依法向人民法院提起行政诉讼。")
REMEDY_CHOICE = ("如对本答复不服，可以自收到本答复之日起60日内向{复议机关}申请行政复议，"
                 "也可以自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")
REMEDY_DISCLOSED = ("如认为本机关提供的信息不是您申请的信息，或者告知的获取方式、途径有误，"
                    "可以依法向{复议机关}申请行政复议或者向人民法院提起行政诉讼。")


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('other_office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_other_office')),
    sa.UniqueConstraint('name', name=op.f('uq_other_office_name'))
    )
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remedy_review_first', sa.Text(), nullable=False,
                                      server_default=REMEDY_REVIEW_FIRST))
        batch_op.add_column(sa.Column('remedy_choice', sa.Text(), nullable=False, server_default=REMEDY_CHOICE))
        batch_op.add_column(sa.Column('remedy_disclosed', sa.Text(), nullable=False, server_default=REMEDY_DISCLOSED))
        batch_op.add_column(sa.Column('art26_workdays', sa.Integer(), nullable=False, server_default='20'))
        batch_op.add_column(sa.Column('correction_min_workdays', sa.Integer(), nullable=False, server_default='5'))


def downgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('correction_min_workdays')
        batch_op.drop_column('art26_workdays')
        batch_op.drop_column('remedy_disclosed')
        batch_op.drop_column('remedy_choice')
        batch_op.drop_column('remedy_review_first')
    op.drop_table('other_office')
