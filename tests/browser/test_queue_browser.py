"""The queue and a staff action in a real browser: 即将到期 is a visible label, and a refused action brings
focus to its error summary with JavaScript, the summary being there without it too.

Dates (2026 calendar): today is Wed 11-25; handed in Mon 11-02, the reply is due the 20th working day after,
Mon 11-30, 3 working days on (11-26, 11-27, 11-30).
"""
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.models import HANDLER, User
from tests.browser.helpers import axe_violations, sign_in
from tests.factories.people import resident_id
from tests.factories.requests import handed_in
from tests.factories.staff import make_user

TODAY = date(2026, 11, 25)
CLOCKS = ("portal.info_requests.records", "portal.info_requests.services", "portal.info_requests.staff.views",
          "portal.info_requests.staff.queue", "portal.info_requests.staff.correction_page",
          "portal.info_requests.staff.fee_page", "portal.info_requests.staff.release_page")


@pytest.fixture
def number(app, monkeypatch):
    """A 经办人 li and an application handed in on 11-02, seen on 11-25; its tracking number."""
    for module in CLOCKS:
        monkeypatch.setattr(f"{module}.office_today", lambda: TODAY)
    with app.app_context():
        ensure_seeded()
        handler = db.session.get(User, make_user("li", HANDLER, display_name="李经办").id)
        return handed_in(date(2026, 11, 2), handler).tracking_number


def test_a_row_due_within_3_working_days_shows_a_visible_即将到期_label(page, live_server, number):
    sign_in(page, live_server, "li")
    page.goto(f"{live_server}/admin/requests/")
    row = page.get_by_role("row").filter(has_text=number)
    expect(row.get_by_text("即将到期", exact=True)).to_be_visible()
    expect(row).to_contain_text("3 个工作日")
    assert axe_violations(page) == []


def refuse_correction(page, live_server: str, number: str) -> None:
    """Ask for 补正 dated after today: the engine refuses it."""
    page.goto(f"{live_server}/admin/requests/{number}")
    action = page.locator("#action-correction")
    action.get_by_label("告知日期").fill("2026-12-31")
    action.get_by_label("需要补正的事项").fill("请写明所需文件的年份")
    action.get_by_role("button", name="发出补正告知书").click()


def test_a_refused_staff_action_with_javascript_focuses_the_error_summary_at_its_form(page, live_server, number):
    sign_in(page, live_server, "li")
    refuse_correction(page, live_server, number)
    summary = page.locator("#action-correction [data-error-summary]")
    expect(summary).to_contain_text("未能办理")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.closest('form').action").endswith(f"/{number}/correction#action-correction")
    # … and is on the screen: a focused summary far below the top of the page would leave a sighted user
    # looking at an unchanged screen (a boosted swap scrolls to the top of the page after settling).
    page.wait_for_timeout(300)
    box = summary.bounding_box()
    assert box is not None and -2 < box["y"] < page.viewport_size["height"]
    # What was typed is kept beside the summary.
    expect(page.locator("#action-correction").get_by_label("需要补正的事项")).to_have_value("请写明所需文件的年份")
    assert axe_violations(page) == []


def test_without_javascript_the_refused_action_lands_at_the_same_summary(page_without_js, live_server, number):
    sign_in(page_without_js, live_server, "li")
    refuse_correction(page_without_js, live_server, number)
    assert page_without_js.url.endswith("#action-correction")
    expect(page_without_js.locator("#action-correction [data-error-summary]")).to_contain_text("未能办理")


def test_a_late_paper_registration_is_confirmed_with_the_typed_data_kept(page, live_server, number):
    # Received Tue 10-27: the 20th working day after is Tue 11-24, the day before today.
    sign_in(page, live_server, "li")
    page.goto(f"{live_server}/admin/requests/register")
    page.get_by_label("收到日期").fill("2026-10-27")
    page.get_by_label("姓名", exact=True).fill("李四")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的内容描述").fill("石泉路街道2025年预算执行情况")
    page.get_by_role("group", name="信息的提供形式").get_by_label("纸质").check()
    page.get_by_role("group", name="获取信息的方式").get_by_label("自行领取/当场阅读抄录").check()
    page.get_by_role("button", name="登记", exact=True).click()
    box = page.locator("#late-entry")
    expect(box).to_contain_text("已逾期")
    expect(box).to_be_focused()
    expect(page.get_by_label("所需政府信息的内容描述")).to_have_value("石泉路街道2025年预算执行情况")
    assert axe_violations(page) == []
    box.get_by_role("button", name="收到日期无误，确认登记").click()
    expect(page.locator(".receipt-box")).to_contain_text("查询码（只显示这一次）")
    expect(page.locator("main")).to_contain_text("2026-10-27")
