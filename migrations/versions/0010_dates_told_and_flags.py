"""told 补正 deadlines, estimated and late flags

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 16:30:00

A 补正 request keeps the latest deadline the applicant was told in writing (`request_event.told`: the
补正告知书's date, then any later mail after a calendar change), so 视为放弃 never comes before it. The
application caches, as it caches its due date, the running 补正 deadline, whether that deadline and the
consulted party's limit are estimates (a year the calendar does not hold), and whether the reply came
after the statutory limit. Existing rows: nothing told recorded (the engine then uses the computed
deadline, as before) and no flags; the caches are filled at the application's next step or calendar change.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('told', sa.Date(), nullable=True))
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_due', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('correction_provisional', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('consultation_provisional', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('replied_late', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_info_request_correction_due'), ['correction_due'], unique=False)


def downgrade():
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_correction_due'))
        batch_op.drop_column('replied_late')
        batch_op.drop_column('consultation_provisional')
        batch_op.drop_column('correction_provisional')
        batch_op.drop_column('correction_due')
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.drop_column('told')
