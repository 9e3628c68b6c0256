"""the 收费通知's told payment date, its estimate flag, replied_late for replies stored before 0010

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:00:00

A 收费通知 keeps the last day to pay it told the applicant in `request_event.told` (the column of 0010, so far
used by 补正 requests): 逾期未缴费 never comes before it, even when a calendar import moves the period earlier.
The application caches whether its cached last day to pay (`fee_due`) is an estimate (`fee_provisional`), as it
does for its other dates. Existing rows: no told date (the engine then uses the computed one, as before) and the
flag false until the application's next step or calendar change.

Replies stored before 0010 got `replied_late` false by its server default, so a late one was never flagged
逾期答复. The engine cannot run in a migration (it needs the events replayed on the calendar), so they are
backfilled with the comparison the engine made before 0010: a reply after the cached due date
(`replied_on > due_date`). Only to true: the engine's verdict now judges against the statutory limit, never
later than the cached due date, so a reply after the due date is late by either rule and no verdict the engine
wrote since 0010 is contradicted; a reply late only by the newer rule (after a late extension) stays unflagged
until the application is recomputed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_provisional', sa.Boolean(), nullable=False, server_default=sa.false()))
    info_request = sa.table('info_request', sa.column('replied_on', sa.Date()), sa.column('due_date', sa.Date()),
                            sa.column('replied_late', sa.Boolean()))
    op.execute(info_request.update()
               .where(info_request.c.replied_on > info_request.c.due_date, info_request.c.replied_late.is_(sa.false()))
               .values(replied_late=True))


def downgrade():
    # replied_late stays as backfilled: it is what the engine says of those replies too.
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_column('fee_provisional')
