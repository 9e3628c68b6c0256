"""several offices in one portal: office rows with a URL code, owned rows, memberships with roles per office

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 23:40:00

office gains its URL code, tracking-number prefix, description and search hint for 选择受理机关, and a list
position. document, info_request, annual_report, review_case, standard_catalog_item and other_office get
office_id, backfilled with the first office (a database that holds rows but never saved its office gets the
default office row, from portal.models.office.DEFAULT_OFFICE as it is when this runs); audit_entry gets a
nullable office_id, also backfilled. annual_report.year and other_office.name are unique per office.
staff_user.roles moves into office_member rows of the first office; accounts that were 管理员 become
区级管理员 too (they ran the whole installation). Counter names gain the office ("request" → "1:request").
"""
from alembic import op
import sqlalchemy as sa

from portal.models.office import DEFAULT_OFFICE, advance_office_ids


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OWNED = ('document', 'info_request', 'annual_report', 'review_case', 'standard_catalog_item', 'other_office')
HELD = OWNED + ('audit_entry', 'staff_user', 'counter')


def _first_office(conn) -> int | None:
    """The first office's id; the default office is saved first when rows need an office and none exists."""
    office_id = conn.execute(sa.text("SELECT id FROM office ORDER BY id LIMIT 1")).scalar()
    if office_id is not None:
        return office_id
    if not any(conn.execute(sa.text(f"SELECT 1 FROM {t} LIMIT 1")).first() for t in HELD):
        return None
    values = {k: v for k, v in DEFAULT_OFFICE.items() if k not in ('code', 'number_prefix', 'description',
                                                                    'search_hint', 'position')}
    columns = ", ".join(values)
    conn.execute(sa.text(f"INSERT INTO office (id, {columns}) VALUES (1, {', '.join(':' + k for k in values)})"),
                 values)
    return 1


def upgrade():
    conn = op.get_bind()
    first = _first_office(conn)
    advance_office_ids(conn)  # the first office was saved as id 1 (here or by the settings record before)
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('number_prefix', sa.String(length=6), server_default='', nullable=False))
        batch_op.add_column(sa.Column('description', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('search_hint', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('position', sa.Integer(), server_default='0', nullable=False))
    conn.execute(sa.text("UPDATE office SET code = 'office' || CAST(id AS VARCHAR(10))"))
    conn.execute(sa.text("UPDATE office SET number_prefix = 'O' || CAST(id AS VARCHAR(5)) WHERE id <> :first"),
                 {"first": first or 0})
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.alter_column('code', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_office_code'), ['code'])
        batch_op.create_unique_constraint(batch_op.f('uq_office_number_prefix'), ['number_prefix'])

    for table in OWNED + ('audit_entry',):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        if first is not None:
            conn.execute(sa.text(f"UPDATE {table} SET office_id = :first"), {"first": first})
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table != 'audit_entry':
                batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_office_id'), ['office_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_office_id_office'), 'office', ['office_id'], ['id'])
            if table == 'annual_report':
                batch_op.drop_constraint('uq_annual_report_year', type_='unique')
                batch_op.create_unique_constraint(batch_op.f('uq_annual_report_office_id'), ['office_id', 'year'])
            if table == 'other_office':
                batch_op.drop_constraint('uq_other_office_name', type_='unique')
                batch_op.create_unique_constraint(batch_op.f('uq_other_office_office_id'), ['office_id', 'name'])

    op.create_table(
        'office_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('roles', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_office_member_office_id_office')),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_office_member_user_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_member')),
        sa.UniqueConstraint('user_id', 'office_id', name=op.f('uq_office_member_user_id')),
    )
    with op.batch_alter_table('office_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_member_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_member_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('district_roles', sa.String(length=100), server_default='', nullable=False))
    if first is not None:
        conn.execute(sa.text("INSERT INTO office_member (user_id, office_id, roles) "
                             "SELECT id, :first, roles FROM staff_user"), {"first": first})
        conn.execute(sa.text("UPDATE staff_user SET district_roles = 'district_admin' WHERE roles LIKE '%admin%'"))
        conn.execute(sa.text("UPDATE counter SET name = CAST(:first AS VARCHAR(10)) || ':' || name"),
                     {"first": first})
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('roles')


def downgrade():
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT COUNT(*) FROM office")).scalar() > 1:
        raise RuntimeError("本门户服务多个机关，降级到 0016 会把各机关的数据并入一个机关：请先只保留一个机关的数据")
    first = conn.execute(sa.text("SELECT id FROM office ORDER BY id LIMIT 1")).scalar()
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roles', sa.String(length=100), server_default='', nullable=False))
    conn.execute(sa.text("UPDATE staff_user SET roles = COALESCE((SELECT roles FROM office_member m "
                         "WHERE m.user_id = staff_user.id AND m.office_id = :first), '')"), {"first": first or 0})
    conn.execute(sa.text("UPDATE counter SET name = SUBSTR(name, LENGTH(CAST(:first AS VARCHAR(10))) + 2) "
                         "WHERE name LIKE CAST(:first AS VARCHAR(10)) || ':%'"), {"first": first or 0})
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('district_roles')
    with op.batch_alter_table('office_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_office_member_office_id'))
    op.drop_table('office_member')
    for table in reversed(OWNED + ('audit_entry',)):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'annual_report':
                batch_op.drop_constraint(batch_op.f('uq_annual_report_office_id'), type_='unique')
                batch_op.create_unique_constraint('uq_annual_report_year', ['year'])
            if table == 'other_office':
                batch_op.drop_constraint(batch_op.f('uq_other_office_office_id'), type_='unique')
                batch_op.create_unique_constraint('uq_other_office_name', ['name'])
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_office_id_office'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_office_id'))
            batch_op.drop_column('office_id')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_office_number_prefix'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_office_code'), type_='unique')
        batch_op.drop_column('position')
        batch_op.drop_column('search_hint')
        batch_op.drop_column('description')
        batch_op.drop_column('number_prefix')
        batch_op.drop_column('code')
