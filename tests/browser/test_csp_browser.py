"""The Content-Security-Policy in a real browser: every public page, the applicant's journey and the main
staff pages, with their htmx interactions, run under the policy without one violation."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.info_requests import outcomes
from portal.models import ROLES
from portal.reports import services as reports
from tests.browser.helpers import csp_violations, settle, sign_in
from tests.factories.catalog import publish
from tests.factories.people import resident_id
from tests.factories.reports import publish_entries, replied
from tests.factories.requests import clerk, handed_in
from tests.factories.staff import make_user


@pytest.fixture
def watched(page):
    """The page, and the list of CSP violations it logs (securitypolicyviolation events and console errors)."""
    return page, csp_violations(page)


def visit(page, url: str) -> None:
    """Open a page in a full load and check it was sent under the policy."""
    response = page.goto(url)
    assert response.ok, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    settle(page)


def prove_the_listener_hears(page, violations) -> None:
    """A canary: an inline style added by hand must be reported, so silence below means no violation."""
    page.evaluate("() => { const s = document.createElement('style'); s.textContent = 'p { color: red }'; document.head.append(s); }")
    settle(page)
    assert any("style-src" in v for v in violations), violations
    violations.clear()


@pytest.fixture
def site(app, calendar):
    """A small catalog (more entries than one page of 3), a published annual report, every role's account."""
    app.config["PAGE_SIZE"] = 3
    publish_entries(2025, 5)
    publish(title="老旧小区加装电梯工作实施方案", published_date=date(2024, 4, 28), body="既有多层住宅加装电梯。")
    replied("citizen", date(2025, 3, 3), date(2025, 3, 10), outcomes.DISCLOSED)
    reports.publish(reports.create_draft(2025), today=date(2026, 1, 20))
    make_user("all", *ROLES, display_name="全角色")
    return {"open": handed_in(date(2026, 11, 2), clerk()).tracking_number}


def test_public_pages_and_their_htmx_interactions_log_no_csp_violation(watched, live_server, site):
    page, violations = watched
    visit(page, f"{live_server}/")
    prove_the_listener_hears(page, violations)
    for path in ("/catalog", "/catalog?doc_type=通知&year=2025", "/search", "/search?q=加装电梯", "/guide",
                 "/rules", "/apply-info", "/annual-reports", "/annual-reports/2025", "/admin/login"):
        visit(page, live_server + path)
    response = page.goto(f"{live_server}/no-such-page")
    assert response.status == 404 and "content-security-policy" in response.headers
    settle(page)

    visit(page, f"{live_server}/search")
    page.get_by_label("检索政府信息").press_sequentially("电梯", delay=50)  # live search (htmx, indicator)
    expect(page.locator("#results")).to_contain_text("老旧小区加装电梯工作实施方案")
    page.locator("#results").get_by_role("link", name="老旧小区加装电梯工作实施方案").click()  # boosted
    expect(page.get_by_role("heading", level=1)).to_have_text("老旧小区加装电梯工作实施方案")

    visit(page, f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()  # the folded filter panel opens without a request
    page.get_by_label("发布年份").select_option("2025")  # the filter form swaps the results in place
    expect(page).to_have_url(re.compile(r"year=2025"))
    page.locator(".pager").get_by_role("link", name="下一页").click()  # htmx paging
    expect(page.locator(".pager")).to_contain_text("第 2 页")
    page.go_back()
    expect(page.locator(".pager")).to_contain_text("第 1 页")
    page.get_by_role("link", name="公开年报").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("政府信息公开工作年度报告")
    settle(page)
    assert violations == []


def test_the_applicant_journey_logs_no_csp_violation(watched, live_server, site):
    page, violations = watched
    visit(page, f"{live_server}/apply/")
    page.get_by_role("link", name="以公民身份申请").click()
    page.get_by_label("法人或其他组织", exact=True).check()  # the identity block swaps in place
    expect(page.get_by_label("统一社会信用代码")).to_be_visible()
    page.get_by_label("公民", exact=True).check()
    expect(page.get_by_label("统一社会信用代码")).to_have_count(0)  # swapped back before anything is typed
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("所需政府信息的内容描述").press_sequentially("老旧小区加装电梯", delay=20)
    expect(page.locator("#suggestions")).to_contain_text("老旧小区加装电梯工作实施方案")  # Art. 36(一) hints
    page.get_by_role("group", name="信息的提供形式").get_by_label("纸质").check()
    page.get_by_role("group", name="获取信息的方式").get_by_label("自行领取/当场阅读抄录").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的申请已提交")
    page.get_by_role("button", name="打印回执").click()
    assert page.evaluate("() => window.printed === true")
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("的办理进度")
    page.get_by_role("link", name="政府信息公开申请接收回执").click()
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("() => window.printed === true")
    visit(page, f"{live_server}/apply/track")
    settle(page)
    assert violations == []


def test_the_main_staff_pages_log_no_csp_violation(watched, live_server, site):
    page, violations = watched
    sign_in(page, live_server, "all")
    for path in ("/admin/", "/admin/entries", "/admin/entries/new", "/admin/requests/", "/admin/requests/register",
                 "/admin/calendar", "/admin/calendar/import", "/admin/reports", "/admin/reports/2025",
                 "/admin/accounts", "/admin/accounts/new", "/admin/audit", "/admin/settings"):
        visit(page, live_server + path)

    visit(page, f"{live_server}/admin/entries")
    page.locator("#entries-q").press_sequentially("电梯", delay=30)  # the list filters as one types
    expect(page.locator("#results")).not_to_contain_text("2025年测试公开信息1")
    page.locator("#results").get_by_role("link", name="老旧小区加装电梯工作实施方案").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("老旧小区加装电梯工作实施方案")

    visit(page, f"{live_server}/admin/requests/")
    page.get_by_label("状态").select_option(index=1)  # the queue filters in place
    settle(page)
    visit(page, f"{live_server}/admin/requests/")
    page.locator("#queue-results").get_by_role("link", name="答复期限").click()  # sorting swaps in place
    expect(page).to_have_url(re.compile(r"order="))
    page.locator("#queue-results").get_by_role("link", name=site["open"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("申请 ")
    page.get_by_role("button", name="显示完整信息").click()  # reveals the applicant (htmx post)
    expect(page.locator("#applicant")).to_contain_text("已显示完整信息")

    visit(page, f"{live_server}/admin/audit")
    page.get_by_label("关键词").press_sequentially("电梯", delay=30)
    settle(page)
    assert violations == []
