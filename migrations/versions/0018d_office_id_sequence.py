"""the office id sequence moves past the first office, saved with the explicit id 1

Revision ID: 0018d
Revises: 0017
Create Date: 2026-12-01 23:30:00

On PostgreSQL a row inserted with an explicit id leaves the table's sequence behind: the first office added by
the 区级管理员 then took id 1 again and was refused (duplicate key). SQLite needs nothing. No schema change.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018d'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('office', 'id'), "
                             "COALESCE((SELECT MAX(id) FROM office), 1))"))


def downgrade():
    pass  # the sequence stays ahead: harmless
