"""长者模式 and 高对比度 in a real browser: each mode passes axe on the residents' pages, 特大 never scrolls
sideways on a 390 px phone, the switch works without JavaScript and remembers the choice, and the text and
the controls really grow."""
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.core.clock import office_today
from portal.info_requests import services
from portal.models import HANDLER
from tests.browser.helpers import axe_violations, sideways, sign_in
from tests.factories.catalog import publish
from tests.factories.requests import APPLICANT, FIELDS, clerk
from tests.factories.staff import make_user

# The cookies /display sets, as the switch's links would leave them (their HTTP tests: tests/public/).
MODES = {
    "标准": {},
    "大": {"text_size": "large"},
    "特大": {"text_size": "xlarge"},
    "高对比度": {"contrast": "high"},
    "特大+高对比度": {"text_size": "xlarge", "contrast": "high"},
}
PHONE = {"width": 390, "height": 844}
LONG_NUMBER = "石泉路街道党政办公室〔2020〕1234567号"
LONG_URL = "https://www.shpt.gov.cn/shiquan/xxgk-zdgk/2020/11/25/ShiquanRoadSubdistrictNoticeAttachment-0000123.html"


@pytest.fixture
def site(calendar):
    """Two entries (one with a long 文号, an unbroken title and a long address in its text) and an
    application handed in today: the entry and the application's number and query code."""
    long_one = publish(title="关于石泉路街道老旧小区既有多层住宅加装电梯工作实施方案（2020年修订版）的通知",
                       doc_number=LONG_NUMBER, published_date=date(2020, 11, 25),
                       body=f"加装电梯的申请表格见 {LONG_URL} 。", keywords="加装电梯,老旧小区,既有多层住宅")
    publish(title="石泉路街道2024年部门预算", doc_type="报告", published_date=date(2024, 2, 23), body="部门收支预算。")
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=office_today(), user=clerk())
    return {"entry": long_one.id, "number": info_request.tracking_number, "code": code}


def mode_page(browser, live_server, mode: str, **options):
    """A page whose cookies hold the mode, on a 390 × 844 phone for the 特大 modes (where overflow shows)."""
    viewport = PHONE if "特大" in mode else {"width": 1280, "height": 800}
    context = browser.new_context(locale="zh-CN", viewport=viewport, **options)
    context.add_cookies([{"name": k, "value": v, "url": live_server} for k, v in MODES[mode].items()])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def expected_class(mode: str) -> str:
    """The class attribute base.html gives <html> in this mode (without JavaScript's own "js")."""
    size = MODES[mode].get("text_size", "standard")
    return " ".join([f"text-{size}"] + (["elder"] if size != "standard" else [])
                    + (["contrast-high"] if "contrast" in MODES[mode] else []))


@pytest.mark.parametrize("mode", list(MODES), ids=["standard", "large", "xlarge", "high", "xlarge-high"])
def test_every_mode_passes_axe_and_extra_large_never_scrolls_sideways_on_a_phone(browser, live_server, site, mode):
    page = mode_page(browser, live_server, mode)
    paths = ["/", "/catalog", f"/documents/{site['entry']}", "/search?q=电梯", "/apply/", "/apply/form", "/apply/track",
             "/guide"]
    problems = {}
    for path in paths + ["tracking"]:
        if path == "tracking":  # the application's status page, reached as the applicant reaches it
            page.goto(f"{live_server}/apply/track")
            page.get_by_label("申请编号（查询号）").fill(site["number"])
            page.get_by_label("查询码").fill(site["code"])
            page.get_by_role("button", name="查询").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {site['number']} 的办理进度")
        else:
            page.goto(live_server + path)
        if path.startswith("/search"):  # with results: the long 文号 and title are on the page
            expect(page.locator("#results")).to_contain_text(LONG_NUMBER)
        assert page.evaluate("document.documentElement.className").replace(" js", "") == expected_class(mode)
        found = axe_violations(page)
        if "特大" in mode and sideways(page) > 0:
            found.append(f"scrolls sideways by {sideways(page)}px at 390px")
        if found:
            problems[path] = found
    assert problems == {}
    page.context.close()


def test_the_switch_works_without_javascript_and_the_next_page_keeps_the_choice(page_without_js, live_server, site):
    page = page_without_js
    page.goto(f"{live_server}/catalog?doc_type=%E6%8A%A5%E5%91%8A")
    switch = page.get_by_role("navigation", name="字号与对比度")
    expect(switch.get_by_role("link", name="标准字号")).to_have_attribute("aria-current", "true")
    switch.get_by_role("link", name="特大字号").click()
    expect(page).to_have_url(f"{live_server}/catalog?doc_type=%E6%8A%A5%E5%91%8A")  # the same page
    expect(page.locator("html")).to_have_class("text-xlarge elder")
    expect(switch.get_by_role("link", name="特大字号")).to_have_attribute("aria-current", "true")
    expect(switch.get_by_role("link", name="标准字号")).not_to_have_attribute("aria-current", "true")
    switch.get_by_role("link", name="高对比度").click()
    expect(page.locator("html")).to_have_class("text-xlarge elder contrast-high")
    page.get_by_role("navigation", name="政府信息公开栏目").get_by_role("link", name="公开指南").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("指南")
    expect(page.locator("html")).to_have_class("text-xlarge elder contrast-high")  # remembered on the next page
    switch.get_by_role("link", name="标准字号").click()
    expect(page.locator("html")).to_have_class("text-standard contrast-high")


def test_with_javascript_the_switch_loads_the_whole_page_so_html_gets_the_class(page, live_server, site):
    # The body is hx-boost'ed, and htmx swaps only the body: the switch's links must not be boosted.
    page.goto(f"{live_server}/guide")
    page.get_by_role("link", name="大字号", exact=True).click()
    expect(page.locator("html")).to_have_class("text-large elder js")
    expect(page).to_have_url(f"{live_server}/guide")


def sizes(page) -> dict[str, float]:
    """Computed font sizes (px) of the root, a paragraph of body text, the search button and the search box."""
    return page.evaluate("""() => {
        const px = (el) => parseFloat(getComputedStyle(el).fontSize);
        return {root: px(document.documentElement), text: px(document.querySelector('main p')),
                button: px(document.querySelector('.search-row button')),
                input: px(document.querySelector('.search-row input')),
                button_height: document.querySelector('.search-row button').getBoundingClientRect().height};
    }""")


def test_the_text_and_the_controls_grow_from_standard_to_large_to_extra_large(browser, live_server, site):
    measured = {}
    for mode in ("标准", "大", "特大"):
        page = mode_page(browser, live_server, mode)
        page.goto(f"{live_server}/")
        measured[mode] = sizes(page)
        page.context.close()
    assert measured["标准"]["root"] == 18  # 112.5 % of the browser's 16 px
    assert measured["大"]["root"] == 22 and measured["特大"]["root"] == 26
    for what in ("text", "button", "input", "button_height"):
        assert measured["标准"][what] < measured["大"][what] < measured["特大"][what], what


@pytest.mark.parametrize("mode", ["特大", "特大+高对比度"], ids=["xlarge", "xlarge-high"])
def test_the_staff_queue_and_an_application_page_never_scroll_sideways_on_a_phone_in_extra_large(
        browser, live_server, site, mode):
    # Long 期限 filter options and the reply form's file input were wider than a 390 px screen at 特大.
    make_user("li", HANDLER, display_name="李经办")
    page = mode_page(browser, live_server, mode)
    sign_in(page, live_server, "li")  # starts from a fresh session: its cookies go, the mode's with them
    page.context.add_cookies([{"name": k, "value": v, "url": live_server} for k, v in MODES[mode].items()])
    wide = {}
    for path in ("/admin/", "/admin/requests/", f"/admin/requests/{site['number']}", "/admin/requests/register"):
        page.goto(live_server + path)
        assert "text-xlarge" in page.evaluate("document.documentElement.className")
        if sideways(page) > 0:
            wide[path] = sideways(page)
    assert wide == {}
    page.context.close()
