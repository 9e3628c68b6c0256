"""The schema users get from `flask db upgrade` is exactly the models' schema, on SQLite and PostgreSQL."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from tests.factories.offices import make_office


def _fresh_databases(tmp_path):
    """A new empty SQLite file always; a new empty PostgreSQL database when the suite runs on one."""
    yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        name = f"portal_migrations_{uuid.uuid4().hex[:8]}"
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield str(make_url(url).set(database=name).render_as_string(hide_password=False))
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


@pytest.fixture
def migrated_urls(tmp_path):
    """Each empty database, for one test."""
    return _fresh_databases(tmp_path)


def test_upgrade_to_head_gives_exactly_the_models_schema_and_downgrade_undoes_it(migrated_urls, tmp_path):
    for url in migrated_urls:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "SEARCH_INDEX_DIR": str(tmp_path / "i"), "UPLOAD_DIR": str(tmp_path / "u")})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == [], f"models and migrations differ on {db.engine.dialect.name}: {diff}"
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()


def test_upgrade_seeds_the_working_day_calendar(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "i"), "UPLOAD_DIR": str(tmp_path / "u")})
    with app.app_context():
        upgrade()
        years = db.session.scalars(text("SELECT year FROM calendar_year ORDER BY year")).all()
        assert years[0] == 2004 and years[-1] == 2026
        db.engine.dispose()


def test_replies_stored_before_0010_after_their_due_date_are_flagged_late_by_0014(migrated_urls, tmp_path):
    # Due Mon 2026-03-30: replied 03-31 (after it) → flagged; replied 03-30 (the last day) and an open one → not.
    columns = ("tracking_number, code_hash, applicant_type, channel, description, doc_title, doc_number, "
               "provide_forms, obtain_methods, submitted_at, state, receipt_date, due_date, due_provisional, "
               "replied_on, outcome, ground")
    for url in migrated_urls:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "SEARCH_INDEX_DIR": str(tmp_path / "i"), "UPLOAD_DIR": str(tmp_path / "u")})
        with app.app_context():
            upgrade(revision="0011")
            with db.engine.begin() as conn:
                for number, replied in (("2026-0001", "2026-03-31"), ("2026-0002", "2026-03-30"), ("2026-0003", None)):
                    conn.execute(text(f"INSERT INTO info_request ({columns}) VALUES (:n, 'x', '公民', '当面', 'd', '', '', "
                                      "'纸质', '邮寄', '2026-03-02 09:00:00+00:00', :state, '2026-03-02', '2026-03-30', "
                                      ":f, :replied, '', '')"),
                                 {"n": number, "state": "已答复" if replied else "办理中", "f": False, "replied": replied})
            upgrade()
            with db.engine.connect() as conn:
                flags = dict(conn.execute(text("SELECT tracking_number, replied_late FROM info_request")).all())
            assert {k: bool(v) for k, v in flags.items()} == {"2026-0001": True, "2026-0002": False, "2026-0003": False}
            downgrade(revision="base")
            db.engine.dispose()


def test_0017_gives_an_existing_single_office_database_to_its_office_keeping_roles_and_numbers(migrated_urls, tmp_path):
    """A portal upgraded to several offices: what it held belongs to its one office, its accounts keep their
    roles there (管理员 also become 区级管理员), and its number sequences go on from where they were."""
    columns = ("tracking_number, code_hash, applicant_type, channel, description, doc_title, doc_number, "
               "provide_forms, obtain_methods, submitted_at, state, receipt_date, due_date, due_provisional, "
               "replied_on, outcome, ground")
    for url in migrated_urls:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                          "SEARCH_INDEX_DIR": str(tmp_path / "i"), "UPLOAD_DIR": str(tmp_path / "u")})
        with app.app_context():
            upgrade(revision="0016")
            with db.engine.begin() as conn:  # never saved its office settings: no office row
                conn.execute(text(f"INSERT INTO info_request ({columns}) VALUES ('2026-0007', 'x', '公民', '当面', "
                                  "'d', '', '', '纸质', '邮寄', '2026-03-02 09:00:00+00:00', '办理中', '2026-03-02', "
                                  "'2026-03-30', :f, NULL, '', '')"), {"f": False})
                for username, roles in (("boss", "admin,editor"), ("li", "handler")):
                    conn.execute(text("INSERT INTO staff_user (username, display_name, email, password_hash, roles, "
                                      "active, session_token, created_at) VALUES (:u, :u, '', 'h', :r, :t, 's', "
                                      "'2026-01-01 00:00:00+00:00')"), {"u": username, "r": roles, "t": True})
                conn.execute(text("INSERT INTO counter (name, year, value) VALUES ('request', 2026, 7)"))
            upgrade()
            with db.engine.connect() as conn:
                offices = conn.execute(text("SELECT id, name, code, number_prefix FROM office")).all()
                owner = conn.execute(text("SELECT office_id FROM info_request")).scalar()
                roles = dict(conn.execute(text("SELECT u.username, m.roles FROM office_member m "
                                               "JOIN staff_user u ON u.id = m.user_id")).all())
                district = dict(conn.execute(text("SELECT username, district_roles FROM staff_user")).all())
                counters = conn.execute(text("SELECT name, value FROM counter")).all()
            assert len(offices) == 1 and offices[0].name == "上海市普陀区石泉路街道办事处" and offices[0].number_prefix == ""
            first = offices[0].id
            assert owner == first
            assert roles == {"boss": "admin,editor", "li": "handler"}
            assert district == {"boss": "district_admin", "li": ""}
            assert [tuple(c) for c in counters] == [(f"{first}:request", 7)]  # the next application is 2026-0008
            downgrade(revision="0016")
            with db.engine.connect() as conn:
                assert dict(conn.execute(text("SELECT username, roles FROM staff_user")).all()) == {
                    "boss": "admin,editor", "li": "handler"}
                assert conn.execute(text("SELECT name FROM counter")).scalar() == "request"
            downgrade(revision="base")
            db.engine.dispose()


def test_0017_refuses_to_downgrade_a_portal_of_several_offices(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite3'}",
                      "SEARCH_INDEX_DIR": str(tmp_path / "i"), "UPLOAD_DIR": str(tmp_path / "u")})
    with app.app_context():
        upgrade()
        make_office("wanzhen", "万镇街道办事处")
        db.session.commit()
        with pytest.raises(SystemExit):  # Flask-Migrate logs the RuntimeError's message and exits
            downgrade(revision="0016")
        db.session.remove()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0017"
            assert conn.execute(text("SELECT COUNT(*) FROM office")).scalar() == 2
        db.engine.dispose()
