"""The calendar screens: a changed day or an imported year re-dates open applications at once, audited."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from portal.admin.dashboard import calendar_banner
from portal.calendar.changes import calendar_changed, import_schedule, set_day
from portal.calendar.store import CalendarImportError, ensure_seeded
from portal.core import audit
from portal.core.clock import OFFICE_TZ
from portal.extensions import db
from portal.info_requests import services
from portal.info_requests.redating import redate_after_calendar_change
from portal.models import CalendarDay, CalendarYear, InfoRequest
from portal.models.staff import ADMIN, HANDLER, AuditEntry
from tests.factories.people import resident_id
from tests.factories.requests import clerk
from tests.factories.staff import login

FIELDS = {"applicant_type": "公民", "org_kind": None, "description": "加装电梯补贴发放名单",
          "provide_forms": "纸质", "obtain_methods": "自行领取/当场阅读抄录"}
APPLICANT = {"name": "张三", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000"}
# Made up for tests (not the official 2027 schedule); lists every statutory holiday on a weekday.
SCHEDULE_2027 = """# 2027年节假日安排（测试用）
2027-01-01~2027-01-04,休,元旦
2027-02-05~2027-02-11,休,春节
2027-02-20,班,春节调休上班
2027-04-05,休,清明节
2027-05-01~2027-05-05,休,劳动节
2027-06-09,休,端午节
2027-09-15,休,中秋节
2027-10-01~2027-10-07,休,国庆节
"""


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    """The deadline engine's "today": fixed, so events in December 2026 are not in the future."""
    from portal.info_requests import records as events

    monkeypatch.setattr(events, "office_today", lambda: date(2026, 12, 15))


def in_person(day: date) -> InfoRequest:
    """An application handed in on `day`."""
    info_request, _ = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=day, user=clerk())
    return info_request


def redated(info_request: InfoRequest) -> list:
    """The application's audit rows written by calendar changes (its registration has one of its own)."""
    return [e for e in audit.history("info_request", info_request.id) if e.action == "request_redated"]


def test_every_app_connects_the_re_dating_of_applications_to_calendar_changes(app):
    """The calendar imports nothing of info_requests: the factory connects the receiver, for the web and the CLI."""
    assert redate_after_calendar_change in calendar_changed.receivers_for(None)


def test_a_new_day_off_re_dates_an_open_application_and_records_it(calendar):
    info_request = in_person(date(2026, 11, 20))
    assert info_request.due_date == date(2026, 12, 18)
    moved = set_day(date(2026, 12, 1), "rest", "临时调整（测试）")
    assert moved == [info_request]
    db.session.expire_all()
    assert db.session.get(InfoRequest, info_request.id).due_date == date(2026, 12, 21)
    day_entry, = audit.history("calendar_day", "2026-12-01")
    assert "由常规改为放假" in day_entry.summary
    moved_entry, = redated(info_request)
    assert moved_entry.action == "request_redated"
    assert "答复期限由 2026-12-18 改为 2026-12-21" in moved_entry.summary
    assert audit.loads(moved_entry.before) == {"due_date": "2026-12-18"}


def test_restoring_the_day_moves_the_date_back(calendar):
    info_request = in_person(date(2026, 11, 20))
    set_day(date(2026, 12, 1), "rest")
    set_day(date(2026, 12, 1), "default")
    assert db.session.get(CalendarDay, date(2026, 12, 1)) is None
    assert db.session.get(InfoRequest, info_request.id).due_date == date(2026, 12, 18)
    assert set_day(date(2026, 12, 1), "default") is None


def test_a_make_up_working_saturday_brings_the_date_forward(calendar):
    info_request = in_person(date(2026, 11, 20))
    set_day(date(2026, 11, 28), "work", "调休上班（测试）")
    assert db.session.get(InfoRequest, info_request.id).due_date == date(2026, 12, 17)


def test_refused_day_changes_change_nothing(calendar):
    with pytest.raises(ValueError, match="本来就是工作日"):
        set_day(date(2026, 12, 2), "work")
    with pytest.raises(ValueError, match="2031年的节假日安排尚未载入"):
        set_day(date(2031, 3, 3), "rest")
    assert db.session.scalar(select(AuditEntry)) is None


def test_importing_next_year_fixes_provisional_dates_and_records_them(calendar):
    info_request = in_person(date(2026, 12, 10))
    assert info_request.due_provisional and info_request.due_date == date(2027, 1, 8)
    summary, moved = import_schedule(SCHEDULE_2027.encode("utf-8-sig"))
    assert (summary.year, summary.replaced) == (2027, False) and moved == [info_request]
    row = db.session.get(InfoRequest, info_request.id)
    assert row.due_date == date(2027, 1, 11) and not row.due_provisional
    entry, = redated(info_request)
    assert "答复期限由 2027-01-08 改为 2027-01-11" in entry.summary
    year_entry, = audit.history("calendar_year", 2027)
    assert year_entry.before is None and "2027-02-20 班 春节调休上班" in year_entry.after


def test_an_import_with_errors_lists_them_by_line_and_stores_nothing(calendar):
    with pytest.raises(CalendarImportError) as caught:
        import_schedule("2027-01-01,休,元旦\n2027-02-30,休,春节\n2027-01-05,班,周二\n".encode())
    assert any(e.startswith("第2行") for e in caught.value.errors)
    assert any(e.startswith("第3行") and "本来就是工作日" in e for e in caught.value.errors)
    assert db.session.get(CalendarYear, 2027) is None and db.session.scalar(select(AuditEntry)) is None


def test_a_loaded_year_is_replaced_only_when_asked(calendar):
    import_schedule(SCHEDULE_2027.encode())
    with pytest.raises(CalendarImportError, match="已载入"):
        import_schedule(SCHEDULE_2027.encode())
    summary, _ = import_schedule(SCHEDULE_2027.replace("2027-01-01~2027-01-04", "2027-01-01").encode(), replace=True)
    assert summary.replaced and db.session.get(CalendarDay, date(2027, 1, 4)) is None


def test_year_page_lists_days_off_and_make_up_days_in_a_table(admin_client, calendar):
    html = admin_client.get("/admin/calendar/2026").get_data(as_text=True)
    assert "<caption>2026年的放假和调休上班日" in html
    assert "2026-10-01" in html and "国庆节" in html and "调休上班" in html
    assert "全年工作日共" in html


def test_year_page_for_an_unloaded_year_shows_the_estimate(admin_client, calendar):
    html = admin_client.get("/admin/calendar/2027").get_data(as_text=True)
    assert "2027年的节假日安排尚未载入" in html and "估算" in html and "春节" in html


def test_changing_a_day_through_the_page(admin_client, calendar):
    info_request = in_person(date(2026, 11, 20))
    response = admin_client.post("/admin/calendar/2026/day", data={"day": "2026-12-01", "kind": "rest", "note": "测试"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar/2026")
    html = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已修改 2026-12-01（周二）" in html and info_request.tracking_number in html
    assert audit.history("calendar_day", "2026-12-01")[0].actor_name == "王主任"


def test_a_refused_day_change_shows_the_reason_and_keeps_the_input(admin_client, calendar):
    html = admin_client.post("/admin/calendar/2026/day", data={"day": "2026-12-02", "kind": "work", "note": "我的说明"}
                             ).get_data(as_text=True)
    assert "本来就是工作日" in html and 'value="2026-12-02"' in html and 'value="我的说明"' in html
    bad = admin_client.post("/admin/calendar/2026/day", data={"day": "2026-13-40", "kind": "rest"}).get_data(as_text=True)
    assert "日期无效" in bad


def test_uploading_a_schedule(admin_client, calendar):
    response = admin_client.post("/admin/calendar/import", data={
        "file": (io.BytesIO(SCHEDULE_2027.encode("utf-8-sig")), "2027.txt")}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar/2027")
    assert "已导入2027年的安排" in admin_client.get(response.headers["Location"]).get_data(as_text=True)


def test_uploading_a_bad_schedule_lists_errors_with_line_numbers(admin_client, calendar):
    html = admin_client.post("/admin/calendar/import", data={
        "file": (io.BytesIO("# 注释\n2027-01-01,休,元旦\n2027-02-30,休,春节\n".encode()), "2027.txt")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "没有导入任何内容" in html and "第3行" in html and "缺少法定节假日" in html
    with admin_client.application.app_context():
        assert db.session.get(CalendarYear, 2027) is None


@pytest.mark.parametrize("line", ["9999-12-31,休,元旦", "0001-01-01,休,元旦", "2027-12-31~9999-12-31,休,假期"])
def test_a_schedule_with_a_year_the_calendar_cannot_hold_is_refused_with_the_line(admin_client, calendar, line):
    # 9999-12-31 used to overflow (OverflowError, 500) when the import stepped to the day after it.
    response = admin_client.post("/admin/calendar/import", data={
        "file": (io.BytesIO(f"# 注释\n{line}\n".encode()), "bad.txt")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "第2行" in html and "超出工作日历可载入的年份（2004—2100年）" in html


def test_uploading_nothing_asks_for_a_file(admin_client, calendar):
    html = admin_client.post("/admin/calendar/import", data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "请选择要导入的文件" in html


def test_a_re_dating_shows_in_the_staff_timeline_and_to_the_applicant_without_staff_names(app, staff):
    # No shared app context here: each request gets its own, so each client is signed in as itself.
    staff("boss", ADMIN, HANDLER, display_name="王主任")
    with app.app_context():
        ensure_seeded()
        info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 20),
                                               user=clerk())
        request_id, number = info_request.id, info_request.tracking_number
    boss = app.test_client()
    login(boss, "boss")
    boss.post("/admin/calendar/2026/day", data={"day": "2026-12-01", "kind": "rest", "note": "测试"})
    with app.app_context():
        assert [e.kind for e in db.session.get(InfoRequest, request_id).events] == ["received"]  # no event added
        moved_on = audit.history("info_request", request_id)[-1].at.astimezone(OFFICE_TZ).date().isoformat()

    timeline = boss.get(f"/admin/requests/{number}").get_data(as_text=True).split('id="timeline-title"')[1]
    assert timeline.index("收到申请") < timeline.index("因节假日安排调整重新计算")
    row = timeline.split("因节假日安排调整重新计算")[1].split("</tr>")[0]
    assert "答复期限由 2026-12-18 改为 2026-12-21" in row and "王主任" in row

    public = app.test_client()
    public.post("/apply/track", data={"number": number, "code": code})
    page = public.get(f"/apply/track/{number}").get_data(as_text=True)
    assert f"因节假日安排调整，答复期限于 {moved_on} 由 2026-12-18 调整为 2026-12-21" in page
    assert "王主任" not in page and "boss" not in page


@pytest.mark.parametrize("today, loaded, shown", [
    (date(2026, 10, 31), {2026}, None),
    (date(2026, 11, 1), {2026}, "明年（2027年）的节假日安排尚未载入"),
    (date(2026, 12, 31), {2026}, "明年（2027年）"),
    (date(2026, 11, 1), {2026, 2027}, None),
    (date(2027, 1, 4), {2026}, "今年（2027年）的节假日安排尚未载入"),
])
def test_dashboard_banner_from_1_november_while_next_year_is_missing(today, loaded, shown):
    banner = calendar_banner(today, loaded)
    assert (banner is None) if shown is None else (shown in banner)


def test_dashboard_shows_the_banner_with_a_link_for_the_admin(admin_client, calendar, monkeypatch):
    from portal.admin import dashboard as views

    monkeypatch.setattr(views, "office_today", lambda: date(2026, 11, 25))
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert "明年（2027年）的节假日安排尚未载入" in html and "/admin/calendar/import" in html
