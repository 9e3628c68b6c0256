"""the 收费通知's told payment date, its estimate flag

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-03 10:00:00

A 收费通知 keeps the last day to pay it told the applicant in `request_event.told` (the column of 0010, so far
used by 补正 requests): 逾期未缴费 never comes before it, even when a calendar import moves the period earlier.
The application caches whether its cached last day to pay (`fee_due`) is an estimate (`fee_provisional`), as it
does for its other dates. Existing rows: no told date (the engine then uses the computed one, as before) and the
flag false until the application's next step or calendar change.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_provisional', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_column('fee_provisional')
