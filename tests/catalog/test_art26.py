"""Art. 26: publish within 20 working days of the 成文日期. Dates below are counted by hand over the
State Council's 2026 schedule (notice of 2025-11-04):
春节 2-15…2-23 off, 2-14 and 2-28 worked; 劳动节 5-1…5-5 off, 5-9 worked; 中秋 9-25…9-27 off;
国庆 10-1…10-7 off, 9-20 and 10-10 worked. 2027 is not loaded, so a count into it is provisional."""
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from portal.calendar.store import load_calendar
from portal.calendar.workdays import calendar_from_chinesecalendar
from portal.catalog import workflow
from portal.catalog.art26 import art26_report, publishing_due
from portal.core.clock import office_today
from portal.extensions import db
from portal.models import EDITOR, HANDLER, REVIEWER, User
from tests.factories.staff import login, make_user

CAL = calendar_from_chinesecalendar(range(2025, 2027))  # 2026 known, 2027 not


@dataclass
class Entry:
    """The two attributes the pure function reads."""

    title: str
    written_date: date | None
    status: str = "draft"


@pytest.mark.parametrize("written, due", [
    # Fri 2-6: 2-9…2-13 (5), Sat 2-14 worked (6), 春节 off to Mon 2-23, 2-24…2-27 (10), Sat 2-28 (11),
    # 3-2…3-6 (16), 3-9…3-12 (20).
    (date(2026, 2, 6), date(2026, 3, 12)),
    # Fri 4-24: 4-27…4-30 (4), 劳动节 5-1…5-5 off, 5-6…5-8 (7), Sat 5-9 (8), 5-11…5-22 (18), 5-25, 5-26 (20).
    (date(2026, 4, 24), date(2026, 5, 26)),
    # Fri 9-18: Sun 9-20 worked (1), 9-21…9-24 (5), 中秋 9-25 off, 9-28…9-30 (8), 国庆 off to 10-7,
    # 10-8, 10-9 (10), Sat 10-10 (11), 10-12…10-16 (16), 10-19…10-22 (20).
    (date(2026, 9, 18), date(2026, 10, 22)),
])
def test_the_last_day_to_publish_is_the_twentieth_working_day_after_the_written_date(written, due):
    result = publishing_due(Entry("x", written), CAL, written)
    assert result.due_date == due and not result.provisional and not result.overdue


def test_a_count_into_an_unloaded_year_is_provisional():
    # Tue 12-15: 12-16…12-31 (12), 2027-01-01 元旦 (estimated), 1-4…1-8 (17), 1-11…1-13 (20).
    result = publishing_due(Entry("x", date(2026, 12, 15)), CAL, date(2026, 12, 20))
    assert result.due_date == date(2027, 1, 13)
    assert result.provisional and result.missing_years == (2027,)
    assert "2027年的节假日安排尚未载入日历" in result.explanation


def test_entries_are_sorted_into_overdue_and_coming_due():
    late = Entry("春节前成文", date(2026, 2, 6))            # due 3-12
    soon = Entry("三月成文", date(2026, 2, 13), "review")    # 2-14 (1), 2-24…2-27 (5), 2-28 (6), 3-2…3-13 (16), 3-16…3-19 (20)
    far = Entry("刚成文", date(2026, 3, 12))
    ignored = [Entry("已发布", date(2026, 1, 5), "published"), Entry("已撤回", date(2026, 1, 5), "withdrawn"),
               Entry("无成文日期", None)]
    report = art26_report([far, soon, late, *ignored], CAL, date(2026, 3, 13))
    assert [d.entry for d in report.overdue] == [late]
    assert report.overdue[0].days_left == -1  # Friday 3-13 is one working day after Thursday 3-12
    assert [d.entry for d in report.coming_due] == [soon]
    assert report.coming_due[0].due_date == date(2026, 3, 19) and report.coming_due[0].days_left == 4
    assert not report.provisional


def test_due_today_is_coming_due_and_the_next_day_is_overdue():
    entry = Entry("x", date(2026, 2, 6))  # due Thu 3-12
    on_the_day = art26_report([entry], CAL, date(2026, 3, 12))
    assert on_the_day.coming_due[0].days_left == 0 and not on_the_day.overdue
    assert art26_report([entry], CAL, date(2026, 3, 13)).overdue


def test_the_weekend_after_the_last_day_is_already_late():
    # Wed 4-22: 4-23, 4-24 (2), 4-27…4-30 (6), 5-6…5-8 (9), Sat 5-9 (10), 5-11…5-15 (15), 5-18…5-22 (20).
    entry = Entry("x", date(2026, 4, 22))
    saturday = publishing_due(entry, CAL, date(2026, 5, 23))
    assert saturday.due_date == date(2026, 5, 22)
    assert saturday.overdue and saturday.days_left == 0  # late, though no working day has passed since


def test_within_sets_how_early_entries_count_as_coming_due():
    entry = Entry("x", date(2026, 2, 6))  # due 3-12; on 3-5 five working days remain (3-6, 3-9…3-12)
    assert art26_report([entry], CAL, date(2026, 3, 5)).coming_due[0].days_left == 5
    assert not art26_report([entry], CAL, date(2026, 3, 5), within=4)
    assert not art26_report([entry], CAL, date(2026, 3, 4))


def written_days_ago_with_at_most_two_days_left(office_calendar, today: date) -> date:
    """A 成文日期 whose Art. 26 date falls within the next two working days."""
    for k in range(1, 60):
        written = today - timedelta(days=k)
        due = office_calendar.add_workdays(written, 20).date
        if 0 <= office_calendar.workdays_between(today, due).count <= 2:
            return written
    raise AssertionError("no such date")


def test_the_entries_page_shows_overdue_and_coming_due_drafts(app, calendar):
    today = office_today()
    user = db.session.get(User, make_user("editor1", EDITOR).id)
    base = {"publisher": "石泉路街道", "category": "综合政务\\政务公开", "doc_type": "通知"}
    workflow.save_draft(base | {"title": "早已成文的通知", "written_date": today - timedelta(days=90)}, [], user)
    soon = written_days_ago_with_at_most_two_days_left(load_calendar(), today)
    workflow.save_draft(base | {"title": "快到期的通知", "written_date": soon}, [], user)
    workflow.save_draft(base | {"title": "今天成文的通知", "written_date": today}, [], user)
    client = app.test_client()
    login(client, "editor1")
    page = client.get("/admin/entries").get_data(as_text=True)
    panel = page.split('id="art26-title"')[1].split("</section>")[0]
    assert "逾期未公开（1 条）" in panel and "早已成文的通知" in panel
    assert "即将到期（1 条）" in panel and "快到期的通知" in panel
    assert "今天成文的通知" not in panel


def draft(title: str, written: date) -> None:
    """A draft by editor1 with this 成文日期 (inside an app context)."""
    user = db.session.scalar(db.select(User).filter_by(username="editor1"))
    workflow.save_draft({"publisher": "石泉路街道", "category": "综合政务\\政务公开", "doc_type": "通知",
                         "title": title, "written_date": written}, [], user)


def dashboard_panel(app, username: str) -> str | None:
    """The Art. 26 panel of this user's 工作台, or None when it is not shown."""
    client = app.test_client()
    login(client, username)
    page = client.get("/admin/").get_data(as_text=True)
    if 'id="art26-dashboard-title"' not in page:
        return None
    return page.split('id="art26-dashboard-title"')[1].split("</section>")[0]


def test_the_dashboard_shows_editors_and_reviewers_the_most_urgent_entries(app, calendar, monkeypatch):
    monkeypatch.setattr("portal.catalog.staff.entries.office_today", lambda: date(2026, 3, 13))  # a Friday
    make_user("editor1", EDITOR)
    make_user("reviewer1", REVIEWER)
    draft("早已成文的通知", date(2026, 2, 6))   # due Thu 3-12 (counted above): one working day late
    draft("快到期的通知", date(2026, 2, 13))  # due Thu 3-19 (counted above): 3-16…3-19 left
    draft("刚成文的通知", date(2026, 3, 12))
    for username in ("editor1", "reviewer1"):
        panel = dashboard_panel(app, username)
        assert '<span class="count">1</span><span class="count-label">逾期未公开</span>' in panel
        assert '<span class="count">1</span><span class="count-label">即将到期</span>' in panel
        overdue, soon = panel.split("<tbody>")[1].split("</tr>")[:2]
        assert "早已成文的通知" in overdue and "（草稿）" in overdue and "/admin/entries/" in overdue
        assert ">2026-02-06</time>" in overdue and ">2026-03-12</time>" in overdue and "已逾期 1 个工作日" in overdue
        assert "快到期的通知" in soon and ">2026-03-19</time>" in soon and "还剩 4 个工作日" in soon
        assert "刚成文的通知" not in panel and "暂定" not in panel
        assert 'href="/admin/entries#art26-title"' in panel


def test_a_date_in_a_year_not_loaded_is_marked_provisional_on_the_dashboard(app, calendar, monkeypatch):
    monkeypatch.setattr("portal.catalog.staff.entries.office_today", lambda: date(2027, 1, 12))
    make_user("editor1", EDITOR)
    draft("年底成文的通知", date(2026, 12, 15))  # due 2027-01-13 (counted above), 2027 not loaded
    panel = dashboard_panel(app, "editor1")
    assert ">2027-01-13</time>" in panel and ">暂定</span>" in panel and "还剩 1 个工作日" in panel


def test_staff_who_do_not_publish_entries_see_no_art26_panel(app, calendar, monkeypatch):
    monkeypatch.setattr("portal.catalog.staff.entries.office_today", lambda: date(2026, 3, 13))
    make_user("editor1", EDITOR)
    make_user("handler1", HANDLER)
    draft("早已成文的通知", date(2026, 2, 6))
    page = app.test_client()
    login(page, "handler1")
    text = page.get("/admin/").get_data(as_text=True)
    assert "依申请公开办理" in text
    assert "art26-dashboard-title" not in text and "早已成文的通知" not in text
