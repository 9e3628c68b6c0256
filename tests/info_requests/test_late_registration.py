"""Registering a paper application whose receipt day lies more than 5 working days back: a second, confirming
submit, the form kept, and 已逾期 said when the reply deadline counted from that day has passed.

Dates (2026 calendar, no holiday from late October on): today is Wed 11-25.
- Tue 11-17: 11-18, 19, 20, 23, 24, 25 = 6 working days back → asked; due the 20th working day after, Tue 12-15.
- Wed 11-18: 5 working days back → registered at once.
- Tue 10-27: due 10-28…30 (3), 11-02…06 (8), 09…13 (13), 16…20 (18), 23, 24 (20) = Tue 11-24 → 已逾期.
- Wed 10-28: due Wed 11-25, today → 今天到期.
"""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.calendar.store import load_calendar
from portal.extensions import db
from portal.info_requests.late_entry import late_entry
from portal.models import HANDLER, InfoRequest
from tests.factories.people import resident_id
from tests.factories.staff import login, make_user

TODAY = date(2026, 11, 25)
DESCRIPTION = "石泉路街道2025年老旧小区加装电梯补贴的发放名单"


@pytest.fixture
def desk(app, calendar, monkeypatch):
    """The 经办人 signed in, on Wed 2026-11-25."""
    for module in ("portal.info_requests.records", "portal.info_requests.staff.views"):
        monkeypatch.setattr(f"{module}.office_today", lambda: TODAY)
    make_user("handler", HANDLER)
    client = app.test_client()
    login(client, "handler")
    return client


def paper(received_on: str, channel: str = "当面", **extra) -> dict:
    """The register form as a browser posts it."""
    return {"channel": channel, "received_on": received_on, "applicant_type": "公民", "name": "李四",
            "id_type": "居民身份证", "id_number": resident_id(), "phone": "13912345678",
            "description": DESCRIPTION, "provide_forms": "纸质", "obtain_methods": "自行领取/当场阅读抄录"} | extra


def registered() -> int:
    """How many applications exist."""
    return db.session.scalar(select(func.count()).select_from(InfoRequest))


def late_for(page: str) -> str:
    """The receipt day the confirmation on the page is for (its hidden field)."""
    return re.search(r'name="late_for" type="hidden" value="([^"]*)"', page)[1]


def test_a_receipt_day_more_than_5_working_days_back_asks_for_confirmation_and_keeps_the_form(desk):
    response = desk.post("/admin/requests/register", data=paper("2026-11-17"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and registered() == 0
    assert "距今已 6 个工作日" in page and "答复期限为 2026-12-15" in page and "已逾期" not in page
    assert DESCRIPTION in page and 'value="李四"' in page and 'value="13912345678"' in page
    assert 'value="2026-11-17"' in page and "收到日期无误，确认登记" in page and "data-error-summary" in page
    confirmed = desk.post("/admin/requests/register",
                          data=paper("2026-11-17", confirm_late="y", late_for=late_for(page)))
    assert confirmed.status_code == 303 and registered() == 1
    assert db.session.scalar(select(InfoRequest)).receipt_date == date(2026, 11, 17)


def test_5_working_days_back_registers_at_once(desk):
    response = desk.post("/admin/requests/register", data=paper("2026-11-18"))
    assert response.status_code == 303 and registered() == 1


def test_a_late_receipt_day_says_the_reply_is_already_overdue(desk):
    page = desk.post("/admin/requests/register", data=paper("2026-10-27")).get_data(as_text=True)
    assert "请确认收到日期：已逾期" in page and "答复期限 2026-11-24 已过" in page and registered() == 0
    today = desk.post("/admin/requests/register", data=paper("2026-10-28")).get_data(as_text=True)
    assert "请确认收到日期：今天到期" in today and "答复期限就是今天（2026-11-25）" in today


def test_a_confirmation_given_for_another_day_is_asked_again(desk):
    # Confirmed for 11-17, then the date changed to 10-27 before submitting: 10-27 was never confirmed.
    response = desk.post("/admin/requests/register", data=paper("2026-10-27", confirm_late="y", late_for="2026-11-17"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and registered() == 0 and "已逾期" in page
    assert late_for(page) == "2026-10-27"


def test_a_plain_letter_from_long_ago_is_asked_about_without_a_deadline(desk):
    page = desk.post("/admin/requests/register", data=paper("2026-11-17", channel="平常信函")).get_data(as_text=True)
    assert "距今已 6 个工作日" in page and "确认之日为收到申请之日" in page and "答复期限" not in page.split(
        'id="late-entry"', 1)[1].split("</div>", 1)[0]


def test_past_the_seven_working_days_for_a_correction_notice_the_warning_says_so(desk):
    # Today Wed 11-25. Received Tue 11-17: 11-18 … 11-25 is 6 working days, inside the 7 of 条例第三十条.
    # Received Mon 11-16: 7 working days ago, the 7th (11-25) is today, still inside. Fri 11-13: 8 ago, past it.
    inside = desk.post("/admin/requests/register", data=paper("2026-11-16")).get_data(as_text=True)
    assert "请确认收到日期" in inside and "7个工作日内一次性告知" not in inside
    past = desk.post("/admin/requests/register", data=paper("2026-11-13")).get_data(as_text=True)
    assert "7个工作日内一次性告知（条例第三十条），此期限已过" in past



def test_the_correction_window_counts_working_days_also_when_staff_register_on_a_rest_day(calendar):
    # Received Wed 11-18: the 7th working day after is Fri 11-27 (19, 20, 23, 24, 25, 26, 27). Registered on
    # Sat 11-28, a rest day: 7 working days lie between, yet the window closed the day before.
    late = late_entry("当面", date(2026, 11, 18), load_calendar(), date(2026, 11, 28))
    assert late.correction_notice_by == date(2026, 11, 27) and late.correction_window_closed
    # Received Thu 11-19: the 7th working day is Mon 11-30, still to come.
    assert not late_entry("当面", date(2026, 11, 19), load_calendar(), date(2026, 11, 28)).correction_window_closed
