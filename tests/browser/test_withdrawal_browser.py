"""The applicant withdraws in a real browser: with JavaScript, without it, and by keyboard alone; axe on each page."""
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.info_requests import services
from tests.browser.helpers import axe_violations, tab_to
from tests.factories.requests import APPLICANT, FIELDS, clerk


@pytest.fixture
def application(calendar):
    """An application handed in on 2026-11-02 (办理中): its tracking number and query code."""
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2), user=clerk())
    return info_request.tracking_number, code


def open_status(page, live_server, number, code) -> None:
    """Look the application up with its number and code, as the applicant does."""
    page.goto(f"{live_server}/apply/track")
    page.get_by_label("申请编号（查询号）").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")


def withdraw_with_the_mouse(page, live_server, number, code, *, axe: bool) -> None:
    """Status page → reason → confirmation → withdrawn; axe on every page on the way when it can run (JavaScript)."""
    def accessible():
        """No serious or critical axe violation on this page (axe needs JavaScript to run)."""
        return not axe or axe_violations(page) == []

    open_status(page, live_server, number, code)
    expect(page.locator(".summary")).to_contain_text("办理中：本机关将于")
    assert accessible()
    page.get_by_role("link", name="撤回：不再需要这些信息的，可以在线撤回申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"撤回申请 {number}")
    assert accessible()
    page.get_by_label("撤回理由").fill("已从其他渠道获得")
    page.get_by_role("button", name="下一步：确认撤回").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"确认撤回申请 {number}")
    expect(page.locator("main")).to_contain_text("已从其他渠道获得")
    assert accessible()
    page.get_by_role("button", name="确认撤回").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")
    expect(page.locator(".summary")).to_contain_text("已撤回：您于")
    expect(page.get_by_role("link", name="政府信息公开申请撤回确认书")).to_be_visible()
    assert accessible()


def test_the_applicant_withdraws_with_javascript(page, live_server, application):
    withdraw_with_the_mouse(page, live_server, *application, axe=True)


def test_the_applicant_withdraws_without_javascript(page_without_js, live_server, application):
    withdraw_with_the_mouse(page_without_js, live_server, *application, axe=False)


def test_the_applicant_withdraws_by_keyboard_alone_and_can_go_back_first(page, live_server, application):
    number, code = application
    open_status(page, live_server, number, code)
    tab_to(page, "撤回：不再需要这些信息的，可以在线撤回申请")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"撤回申请 {number}")
    tab_to(page, "")  # the reason box (a textarea has no text yet)
    expect(page.get_by_label("撤回理由")).to_be_focused()
    page.keyboard.type("不再需要")
    tab_to(page, "下一步：确认撤回")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"确认撤回申请 {number}")
    tab_to(page, "返回修改")
    page.keyboard.press("Enter")
    expect(page.get_by_label("撤回理由")).to_have_value("不再需要")  # back keeps what was typed
    tab_to(page, "下一步：确认撤回")
    page.keyboard.press("Enter")
    tab_to(page, "确认撤回")
    page.keyboard.press("Enter")
    expect(page.locator(".summary")).to_contain_text("已撤回：您于")
