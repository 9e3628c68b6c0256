"""信息处理费: amounts on events, the cached last day to pay, the office's payment instructions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00

A 收费通知 and a payment are events (收费管理办法第六条、第七条): the event row gets the amount in 元, the basis
(按件/按量) and the items or pages it was computed from. The application caches the last day to pay of an unpaid
fee, as it caches its due date. The office gets the text of how to pay (缴纳方式), with the model's default.
Existing rows: no fee (NULL amount, '' basis); no application awaits payment.
"""
from alembic import op
import sqlalchemy as sa

# The default as of this revision (copied, so later edits of the model do not change what this migration does).
FEE_PAYMENT_TEXT = ("请持本通知书到本机关政府信息公开受理窗口缴纳，或按本机关告知的非税收入缴款方式缴纳，"
                    "本机关出具财政票据。缴费后请告知本机关。")

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_basis', sa.String(length=4), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fee_units', sa.Integer(), nullable=True))
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_due', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_info_request_fee_due'), ['fee_due'], unique=False)
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_payment_text', sa.Text(), nullable=False, server_default=FEE_PAYMENT_TEXT))


def downgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_column('fee_payment_text')
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_fee_due'))
        batch_op.drop_column('fee_due')
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.drop_column('fee_units')
        batch_op.drop_column('fee_basis')
        batch_op.drop_column('amount')
