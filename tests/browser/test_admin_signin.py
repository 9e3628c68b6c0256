"""Staff sign-in in a real browser: keyboard only, without JavaScript, and axe on the pages."""
import pytest
from playwright.sync_api import expect

from portal.models.staff import ADMIN, HANDLER
from tests.browser.helpers import axe_violations, tab_to
from tests.factories.staff import PASSWORD


@pytest.fixture
def accounts(staff):
    """A 管理员 who also handles applications."""
    return staff("boss", ADMIN, HANDLER, display_name="王主任")


def test_sign_in_and_out_with_the_keyboard_only(page, live_server, accounts):
    page.goto(f"{live_server}/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("用户名")).to_be_focused()
    page.keyboard.type("boss")
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type("wrong-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="用户名或密码不正确")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("boss")
    page.get_by_label("密码").focus()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect(page.locator("main")).to_contain_text("管理员、经办人")
    expect(page.get_by_role("link", name="工作日历").first).to_be_visible()
    tab_to(page, "退出登录")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")
    expect(page.get_by_role("status")).to_contain_text("您已退出登录")
    page.goto(f"{live_server}/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")


def test_sign_in_works_without_javascript(page_without_js, live_server, accounts):
    page = page_without_js
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作人员登录")


def test_sign_in_page_and_dashboard_have_no_serious_accessibility_problems(page, live_server, accounts):
    page.goto(f"{live_server}/admin/login")
    assert axe_violations(page) == []
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").filter(has_text="用户名或密码不正确")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    assert axe_violations(page) == []
    for path in ("/admin/accounts", "/admin/accounts/new", "/admin/settings", "/admin/calendar/2026",
                 "/admin/calendar/import", "/admin/audit"):
        page.goto(f"{live_server}{path}")
        assert axe_violations(page) == [], path
