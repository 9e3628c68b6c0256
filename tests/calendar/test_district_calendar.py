"""A district's offices share one working-day calendar: only the 区级管理员 changes it (a change re-dates every
office's applications), an office's 管理员 still views it, and each application's re-dating is in its own
office's 操作日志."""
import io
from datetime import date

from sqlalchemy import select

from portal.accounts import services as accounts
from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.models import ADMIN, DISTRICT_ADMIN, HANDLER, AuditEntry, CalendarDay, Office, User
from tests.factories.offices import in_office, make_office
from tests.factories.requests import clerk, handed_in
from tests.factories.staff import PASSWORD, login, make_user

SCHEDULE_2027 = "# 2027年节假日安排（测试用）\n2027-01-01~2027-01-04,休,元旦\n"


def district_portal(app) -> dict:
    """Offices A (the first) and B, each with an application handed in on 2026-03-02, B's 管理员 and a
    区级管理员; returns the offices' ids and the applications' numbers."""
    with app.app_context():
        ensure_seeded()
        a_number = handed_in(date(2026, 3, 2), clerk()).tracking_number
        b = make_office("offb", "乙街道办事处", prefix="YI")
        with in_office(b):
            make_user("b-admin", ADMIN)
            b_clerk = db.session.get(User, make_user("b-clerk", HANDLER).id)
            b_number = handed_in(date(2026, 3, 2), b_clerk).tracking_number
        accounts.create_user("district", "区管", [], PASSWORD, actor="测试", district_roles=[DISTRICT_ADMIN])
        return {"a": Office.first().id, "b": b.id, "a_number": a_number, "b_number": b_number}


def test_in_a_district_portal_an_office_admin_views_but_cannot_change_the_shared_calendar(app):
    district_portal(app)
    client = app.test_client()
    login(client, "b-admin", next_url="/o/offb/admin/")
    page = client.get("/o/offb/admin/calendar/2026").get_data(as_text=True)
    assert "2026年工作日历" in page and "请由区级管理员修改或导入" in page and "保存这一天" not in page
    assert client.post("/o/offb/admin/calendar/2026/day",
                       data={"day": "2026-03-10", "kind": "rest", "note": "误操作"}).status_code == 403
    assert client.get("/o/offb/admin/calendar/import").status_code == 403
    assert client.post("/o/offb/admin/calendar/import", data={
        "file": (io.BytesIO(SCHEDULE_2027.encode()), "2027.txt")}).status_code == 403
    with app.app_context():
        assert db.session.get(CalendarDay, date(2026, 3, 10)) is None


def test_the_district_admin_changes_the_calendar_and_each_re_dating_is_in_its_application_s_office_log(app):
    ids = district_portal(app)
    client = app.test_client()
    login(client, "district")
    assert "保存这一天" in client.get("/admin/calendar/2026").get_data(as_text=True)
    assert client.post("/admin/calendar/2026/day",
                       data={"day": "2026-03-10", "kind": "rest", "note": "测试"}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "request_redated")).all()
        by_number = {number: row.office_id for row in rows for number in (ids["a_number"], ids["b_number"])
                     if f"申请 {number} 重新" in row.summary}
        assert by_number == {ids["a_number"]: ids["a"], ids["b_number"]: ids["b"]}
        change = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "calendar_day"))
        assert change.office_id is None  # the change itself is the district's
    login(b_admin := app.test_client(), "b-admin", next_url="/o/offb/admin/")
    html = b_admin.get("/o/offb/admin/audit?action=request_redated").get_data(as_text=True)
    assert f"申请 {ids['b_number']} 重新" in html and f"申请 {ids['a_number']} 重新" not in html


def test_a_single_office_portal_s_admin_still_changes_the_calendar(app, admin_client):
    with app.app_context():
        ensure_seeded()
    assert "保存这一天" in admin_client.get("/admin/calendar/2026").get_data(as_text=True)
    assert admin_client.post("/admin/calendar/2026/day",
                             data={"day": "2026-03-10", "kind": "rest", "note": "测试"}).status_code == 302
    assert admin_client.get("/admin/calendar/import").status_code == 200
