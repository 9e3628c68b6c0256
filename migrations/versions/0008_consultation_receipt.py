"""consultation receipt dates and limits

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:50:00

A consultation (条例 Art. 32/34) gets the day the consulted party received the 征求意见书 (a new event kind,
no column) and, when closed, the party's opinion and the office's decision on a third party's objection.
The application caches the earliest party limit and the day after which an unconfirmed delivery is
flagged, as it caches its due date. Existing rows: no opinion or decision recorded (''); the cached dates
stay empty until the application's next step re-derives them (no open consultation had a receipt day).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opinion', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('decision', sa.String(length=20), nullable=False, server_default=''))
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivery_check_due', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_info_request_consultation_due'), ['consultation_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_request_delivery_check_due'), ['delivery_check_due'], unique=False)


def downgrade():
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_delivery_check_due'))
        batch_op.drop_index(batch_op.f('ix_info_request_consultation_due'))
        batch_op.drop_column('delivery_check_due')
        batch_op.drop_column('consultation_due')
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.drop_column('decision')
        batch_op.drop_column('opinion')
