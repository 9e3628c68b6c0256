"""The Art. 26 publishing limit is the office's setting (20 working days by the regulation; some cities set 15
or 10). Counted by hand on the 2026 notice (春节 2-15…2-23 off, 2-14 and 2-28 worked), from Fri 2-6:
2-9…2-13 (5), Sat 2-14 (6), 2-24…2-27 (10), Sat 2-28 (11), 3-2…3-5 (15), 3-6 (16), 3-9…3-12 (20)."""
from dataclasses import dataclass
from datetime import date

import pytest

from portal.admin.settings import update_office
from portal.calendar.workdays import calendar_from_chinesecalendar
from portal.catalog import workflow
from portal.catalog.art26 import art26_report, publishing_due
from portal.extensions import db
from portal.models import EDITOR, User
from tests.factories.staff import login, make_user

CAL = calendar_from_chinesecalendar(range(2025, 2027))


@dataclass
class Entry:
    """The two attributes the pure function reads."""

    title: str
    written_date: date | None
    status: str = "draft"


@pytest.mark.parametrize("workdays, due", [(20, date(2026, 3, 12)), (15, date(2026, 3, 5)), (10, date(2026, 2, 27))])
def test_the_last_day_to_publish_follows_the_limit(workdays, due):
    result = publishing_due(Entry("x", date(2026, 2, 6)), CAL, date(2026, 2, 6), workdays=workdays)
    assert result.due_date == due
    assert f"后第 {workdays} 个工作日为 {due.isoformat()}" in result.explanation


def test_a_shorter_limit_makes_an_entry_overdue_sooner():
    entry = Entry("x", date(2026, 2, 6))
    assert not art26_report([entry], CAL, date(2026, 3, 2))  # 20 days: 3-12, 8 working days left
    report = art26_report([entry], CAL, date(2026, 3, 2), workdays=10)
    assert [d.due_date for d in report.overdue] == [date(2026, 2, 27)] and report.workdays == 10


def test_the_entries_page_counts_with_the_offices_limit(app, calendar, monkeypatch):
    monkeypatch.setattr("portal.catalog.staff.entries.office_today", lambda: date(2026, 3, 2))  # a Monday
    user = db.session.get(User, make_user("editor1", EDITOR).id)
    workflow.save_draft({"publisher": "石泉路街道", "category": "综合政务\\政务公开", "doc_type": "通知",
                         "title": "春节前成文的通知", "written_date": date(2026, 2, 6)}, [], user)
    update_office({"art26_workdays": 10})  # as the settings page saves it
    client = app.test_client()
    login(client, "editor1")
    page = client.get("/admin/entries").get_data(as_text=True)
    panel = page.split('id="art26-title"')[1].split("</section>")[0]
    assert "自成文之日起 10 个工作日内公开" in panel
    assert "逾期未公开（1 条）" in panel and "后第 10 个工作日为 2026-02-27" in panel


def test_the_entry_forms_hint_states_the_offices_limit(app, calendar):
    make_user("editor1", EDITOR)
    update_office({"art26_workdays": 15})
    client = app.test_client()
    login(client, "editor1")
    page = client.get("/admin/entries/new").get_data(as_text=True)
    assert "应自成文之日起 15 个工作日内公开" in page and "20 个工作日内公开" not in page


def test_the_guide_states_the_offices_limit(client, ctx):
    update_office({"art26_workdays": 10})
    html = client.get("/guide").get_data(as_text=True)
    assert "自形成或者变更之日起 10 个工作日内予以公开（条例规定为 20 个工作日，本机关执行更短的期限）" in html
