"""Whose 操作日志 an entry is in: the office whose pages the action was taken in (or the office a service names);
in a district's portal the sign-ins and the shared pages' actions are district-level entries (no office), which
the 区级管理员 reads on the portal's own log page; a single-office portal's log is every entry, as before."""
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.core import audit
from portal.extensions import db
from portal.models import ADMIN, DISTRICT_ADMIN, HANDLER, AuditEntry, Office, User
from tests.factories.offices import in_office, make_office
from tests.factories.staff import PASSWORD, login, make_user


def entries(action: str) -> list[AuditEntry]:
    """The entries of one action, oldest first."""
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_single_office_portal_logs_sign_ins_in_its_office_and_shows_them(app, staff):
    staff("boss", ADMIN)
    client = app.test_client()
    login(client, "boss")
    with app.app_context():
        assert [e.office_id for e in entries("login")] == [Office.first().id]
    assert "boss 登录" in client.get("/admin/audit?action=login").get_data(as_text=True)


def test_in_a_district_portal_sign_ins_and_district_pages_are_district_level_entries(app):
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI")
        with in_office(b):
            make_user("b-clerk", HANDLER)
        accounts.create_user("district", "区管", [], PASSWORD, actor="测试", district_roles=[DISTRICT_ADMIN])
    login(app.test_client(), "b-clerk")
    client = app.test_client()
    login(client, "district")
    assert client.post("/admin/offices/new", data={
        "name": "丙街道办事处", "short_name": "丙街道", "code": "offc", "number_prefix": "BI",
        "org_code": "123456789", "letter_prefix": "丙信公", "position": "3"}).status_code in (302, 303)
    with app.app_context():
        assert [e.office_id for e in entries("login")] == [None, None]
        assert [e.office_id for e in entries("office_create")][-1] is None


def test_an_office_s_pages_log_in_that_office_and_the_first_office_s_own_pages_at_admin_in_the_first(app):
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI")
        first_id, b_id = Office.first().id, b.id
        with in_office(b):
            make_user("b-admin", ADMIN)
            make_user("b-clerk", HANDLER)
        make_user("a-admin", ADMIN)
        make_user("a-clerk", HANDLER)
    for admin, prefix in (("b-admin", "/o/offb"), ("a-admin", "")):
        client = app.test_client()
        login(client, admin)
        with app.app_context():
            clerk = db.session.scalar(select(User).filter_by(username=admin[0] + "-clerk"))
        assert client.post(f"{prefix}/admin/accounts/{clerk.id}/password", data={
            "password": "new-password-123", "confirm": "new-password-123"}).status_code == 302
    with app.app_context():
        assert [e.office_id for e in entries("user_password")] == [b_id, first_id]


def test_a_service_may_name_the_office_of_the_row_it_acts_on(app):
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI")
        with app.test_request_context("/admin/offices"):
            entry = audit.record("test", "thing", 1, "为乙机关记录", office=b)
            shared = audit.record("test", "thing", 2, "区级页面")
        assert (entry.office_id, shared.office_id) == (b.id, None)


def test_an_office_s_log_shows_its_entries_and_the_district_admin_reads_the_district_level_ones_at_the_root(app):
    with app.app_context():
        b = make_office("offb", "乙街道办事处", prefix="YI")
        with in_office(b):
            make_user("b-admin", ADMIN)
        make_user("a-admin", ADMIN)
        accounts.create_user("district", "区管", [], PASSWORD, actor="测试", district_roles=[DISTRICT_ADMIN])
        with in_office(b):
            audit.record("test", "thing", 1, "乙机关的操作", actor="测试")
        audit.record("test", "thing", 2, "甲机关的操作", actor="测试", office=Office.first())
        with app.test_request_context("/admin/offices"):
            audit.record("test", "thing", 3, "全区的操作", actor="测试")
        db.session.commit()
    shown = {}
    for who, url in (("b-admin", "/o/offb/admin/audit"), ("a-admin", "/admin/audit"),
                     ("district", "/admin/audit")):
        client = app.test_client()
        login(client, who)
        html = client.get(url + "?action=test").get_data(as_text=True)
        shown[who] = {s for s in ("乙机关的操作", "甲机关的操作", "全区的操作") if s in html}
    assert shown == {"b-admin": {"乙机关的操作"}, "a-admin": {"甲机关的操作"}, "district": {"全区的操作"}}
    client = app.test_client()
    login(client, "district")
    answer = client.get("/o/offb/admin/audit")  # not one of B's staff: the district's log instead
    assert answer.status_code == 302 and answer.location.endswith("/admin/audit")
    assert not answer.location.endswith("/o/offb/admin/audit")
