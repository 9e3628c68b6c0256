"""What each queue row tells staff, through HTTP: 待确认 first with its wait in working days, 即将到期 in words
within 3 working days, the 补正期限 of a 待补正 row and, once the correction arrived, the new reply deadline.

Dates (2026 calendar, no holiday in November): today is Wed 11-25; 3 working days on are 11-26, 11-27, 11-30.
"""
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.info_requests import services
from portal.models import HANDLER, InfoRequest, User
from tests.factories.requests import APPLICANT, FIELDS, handed_in
from tests.factories.staff import login, make_user

TODAY = date(2026, 11, 25)



@pytest.fixture
def handler(calendar):
    """The 经办人 (inside the calendar's app context)."""
    return db.session.get(User, make_user("handler", HANDLER).id)


@pytest.fixture
def desk(app, handler):
    """The 经办人 signed in."""
    client = app.test_client()
    login(client, "handler")
    return client


def online(day: date, hour: int, minute: int) -> InfoRequest:
    """An application filed on the portal at that office time (the column's default reads the real clock)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("portal.info_requests.services.office_today", lambda: day)
        info_request, _ = services.submit_online(FIELDS, APPLICANT)
    info_request.submitted_at = datetime(day.year, day.month, day.day, hour - 8, minute, tzinfo=timezone.utc)
    db.session.commit()
    return info_request


def rows(page: str) -> dict[str, str]:
    """The queue's body rows by tracking number, in page order."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = {}
    for row in body.split("<tr")[1:]:
        found[re.search(r"\d{4}-\d{4}", row)[0]] = row
    return found


def test_awaiting_confirmation_comes_first_longest_waiting_first_with_its_age_in_working_days(desk, handler, today):
    today(TODAY)
    counter = handed_in(date(2026, 11, 2), handler)  # due 11-30, the earliest due date of the rest
    recent = online(date(2026, 11, 24), 9, 30)      # Tue 11-24 → 11-25: 1 working day
    older = online(date(2026, 11, 20), 14, 5)       # Fri 11-20 → 11-23, 11-24, 11-25: 3 (the weekend not counted)
    page = desk.get("/admin/requests/").get_data(as_text=True)
    shown = rows(page)
    assert list(shown) == [older.tracking_number, recent.tracking_number, counter.tracking_number]
    assert "提交于 2026-11-20 14:05，已 3 个工作日" in shown[older.tracking_number]
    assert "提交于 2026-11-24 09:30，已 1 个工作日" in shown[recent.tracking_number]
    # Sorting by 答复期限 the other way round mirrors it: 待确认 last.
    flipped = rows(desk.get("/admin/requests/?sort=due&order=desc").get_data(as_text=True))
    assert list(flipped) == [counter.tracking_number, recent.tracking_number, older.tracking_number]


def test_a_row_due_within_3_working_days_is_labelled_即将到期_in_words_and_not_at_4(desk, handler, today):
    today(TODAY)
    three = handed_in(date(2026, 11, 2), handler)  # 20th working day after Mon 11-02: Mon 11-30, 3 working days on
    four = handed_in(date(2026, 11, 3), handler)   # after Tue 11-03: Tue 12-01, 4 working days on
    due_today = handed_in(date(2026, 10, 28), handler)  # after Wed 10-28: Wed 11-25, today
    late = handed_in(date(2026, 10, 27), handler)  # after Tue 10-27: Tue 11-24, yesterday
    shown = rows(desk.get("/admin/requests/").get_data(as_text=True))
    assert [three.due_date, four.due_date, due_today.due_date, late.due_date] == [
        date(2026, 11, 30), date(2026, 12, 1), date(2026, 11, 25), date(2026, 11, 24)]
    assert '<strong class="badge">即将到期</strong>' in shown[three.tracking_number]
    assert "即将到期" in shown[due_today.tracking_number] and "今天到期" in shown[due_today.tracking_number]
    assert "即将到期" not in shown[four.tracking_number]
    assert "即将到期" not in shown[late.tracking_number] and "已逾期 1 个工作日" in shown[late.tracking_number]


def test_a_待补正_row_shows_its_补正期限_then_the_new_reply_deadline_once_the_correction_arrived(desk, handler, today):
    today(date(2026, 11, 5))
    info_request = handed_in(date(2026, 11, 2), handler)
    number = info_request.tracking_number
    # 补正告知 Tue 11-03, 5 working days: 11-04, 05, 06, 09, 10 → 补正期限 Tue 11-10.
    services.request_correction(info_request, date(2026, 11, 3), handler, points="请写明年份", workdays=5)
    row = rows(desk.get("/admin/requests/").get_data(as_text=True))[number]
    assert "补正期限 2026-11-10" in row and "等待补正" in row
    today(date(2026, 11, 9))
    response = desk.post(f"/admin/requests/{number}/corrected", data={"corrected-on": "2026-11-09"})
    assert response.status_code == 303
    # The count restarts after Mon 11-09: 11-10…13 (4), 16…20 (9), 23…27 (14), 11-30…12-04 (19), Mon 12-07 (20).
    row = rows(desk.get("/admin/requests/").get_data(as_text=True))[number]
    assert "2026-12-07" in row and "补正期限" not in row
    dates = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    box = dates.split('id="dates-title"', 1)[1].split("期限是怎样计算的", 1)[0]
    assert '<dd id="due-date">2026-12-07' in box and "<dt>补正期限</dt>" not in box and "2026-11-10" not in box
