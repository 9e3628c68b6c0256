"""A district's portal of two offices (石泉路, the first; 万镇) in a real browser, at 1280 px and on a 390 px phone
at 特大 text: the home page listing the offices and an office's own home; the shared catalog's 发布机关 filter
chosen by keyboard (with htmx, and without JavaScript by submitting); the search's 按发布机关 facet; applying to
an office chosen on /apply (选择受理机关); and the staff's pages: passing an unconfirmed application to the other
office, the 区级管理员's office list and add-office form, the staff bar's office switch and the 汇总 table.

On every page axe finds nothing serious, the page logs no Content-Security-Policy violation, and on the phone
nothing scrolls sideways. Screenshots of the portal's home and of the 汇总 table go to /tmp/shots/."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.accounts.services import create_user, set_offices
from portal.core.clock import office_today
from portal.info_requests import services
from portal.models import ADMIN, COORDINATOR, DISTRICT_ADMIN, HANDLER, Office
from tests.browser.helpers import axe_violations, csp_violations, settle, sideways, sign_in, tab_on_to, tab_to
from tests.browser.test_apply_browser import fill_common
from tests.factories.catalog import publish
from tests.factories.offices import in_office, make_office
from tests.factories.people import resident_id
from tests.factories.requests import APPLICANT, FIELDS, handed_in, user
from tests.factories.staff import PASSWORD

SHOTS = Path("/tmp/shots")
FIRST = "上海市普陀区石泉路街道办事处"
OTHER = "上海市普陀区万镇街道办事处"
OTHER_SHORT = "万镇街道"
WANZHEN = {"description": "万镇街道辖区的社区事务、城市管理、加装电梯补贴等信息", "search_hint": "万镇 加装电梯 社区"}
REASON = "所申请的加装电梯补贴名单由万镇街道制作并保存（条例第十条）"
# The two ways each page is seen: a desktop window, and a phone with the 特大 text the /display switch sets.
SIZES = {"wide": ({"width": 1280, "height": 800}, {}), "phone-xlarge": ({"width": 390, "height": 844},
                                                                       {"text_size": "xlarge"})}


@pytest.fixture
def district(app, calendar):
    """Two offices with entries of their own (a budget each, so one word finds both), a 经办人 in each, a
    区级管理员 who is 管理员 of 石泉路 and 经办人 of 万镇, a 政务公开办 account, an application handed in at 万镇's
    counter today, and an online application to 石泉路 not yet confirmed: its number."""
    publish(title="石泉路街道2025年部门预算", publisher=FIRST, body="部门收支预算。")
    publish(title="石泉路街道加装电梯通知", publisher=FIRST, body="加装电梯。")
    wanzhen = make_office("wanzhen", OTHER, prefix="WZ", short_name=OTHER_SHORT, **WANZHEN)
    with in_office(wanzhen):
        publish(title="万镇街道2025年部门预算", publisher=OTHER, doc_type="报告", body="部门收支预算。")
        publish(title="万镇街道防汛应急预案", publisher=OTHER, doc_type="公告", body="低洼积水点排查。")
        handed_in(office_today(), user("wan", HANDLER, display_name="万经办"))  # counted in the 汇总 table
    user("shi", HANDLER, display_name="石经办")
    boss = create_user("district", "区管理员", (ADMIN,), PASSWORD, actor="测试")
    set_offices(boss, {Office.first().id: {ADMIN}, wanzhen.id: {HANDLER}}, {DISTRICT_ADMIN}, by=boss)
    create_user("gkb", "区政务公开办", (), PASSWORD, actor="测试", district_roles=(COORDINATOR,))
    info_request, _ = services.submit_online(FIELDS, APPLICANT)
    return {"number": info_request.tracking_number}


def watched_page(request, browser, live_server, *, scripted: bool):
    """A page at the size the test's parameter names (its display cookie set), watching for CSP violations
    when it runs scripts; closed when the test ends."""
    viewport, cookies = SIZES[request.param]
    context = browser.new_context(locale="zh-CN", viewport=viewport, java_script_enabled=scripted)
    request.addfinalizer(context.close)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch(page, live_server, request.param, cookies, scripted=scripted)
    watch.set_display()
    return watch


@pytest.fixture(params=list(SIZES))
def seen(request, browser, live_server):
    """A page with JavaScript at 1280 px, then on a 390 px phone at 特大 (see Watch)."""
    return watched_page(request, browser, live_server, scripted=True)


@pytest.fixture(params=list(SIZES))
def seen_without_js(request, browser, live_server):
    """The same without JavaScript."""
    return watched_page(request, browser, live_server, scripted=False)


class Watch:
    """One browser page of a test and what it found wrong on the pages it checked."""

    def __init__(self, page, live_server: str, size: str, cookies: dict, *, scripted: bool):
        """The page, the server, which size this is, the display cookies that make it, and whether it runs
        scripts (the CSP is watched through a script the page runs)."""
        self.page, self.server, self.size, self.cookies = page, live_server, size, cookies
        self.scripted = scripted
        self.violations: list[str] = csp_violations(page) if scripted else []
        self.problems: dict[str, list[str]] = {}

    def set_display(self) -> None:
        """(Re)set the display mode's cookies: signing in starts a fresh session and clears them."""
        if self.cookies:
            self.page.context.add_cookies([{"name": k, "value": v, "url": self.server}
                                           for k, v in self.cookies.items()])

    def sign_in(self, username: str) -> None:
        """Sign in through the real form, then put the display mode back."""
        sign_in(self.page, self.server, username)
        self.set_display()
        self.page.reload()

    def go(self, path: str) -> None:
        """Open a page of the portal in a full load."""
        response = self.page.goto(self.server + path)
        assert response.ok, path

    def check(self, label: str) -> None:
        """axe, and on the phone the page's width, for the page as it is now; problems are kept by `label`.
        Without JavaScript nothing can be evaluated in the page (Playwright's evaluate waits for ever): the
        same addresses are checked with JavaScript by the other tests."""
        if not self.scripted:
            return
        if self.cookies:
            assert "text-xlarge" in self.page.evaluate("document.documentElement.className"), label
        found = axe_violations(self.page)
        if self.cookies and sideways(self.page) > 0:
            found.append(f"scrolls sideways by {sideways(self.page)}px at 390px 特大")
        if found:
            self.problems[label] = found

    def shot(self, name: str) -> None:
        """A full-page screenshot into /tmp/shots/ for a person to look at. The caret is left alone: hiding it
        leaves an empty style attribute on the focused field, which htmx's next swap would copy onto the new
        page's field of that id, and the CSP refuses that copy (a violation of the test's making)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}-{self.size}.png"), full_page=True, caret="initial")

    def assert_clean(self) -> None:
        """Nothing wrong on any page checked, and no CSP violation logged."""
        if self.scripted:
            settle(self.page)
        assert self.problems == {}
        assert self.violations == [], "\n".join(self.violations)


def test_the_portal_home_lists_the_offices_and_an_office_home_shows_only_its_own(seen, district):
    page = seen.page
    seen.go("/")
    # The portal's name, as in its header: it said the first office's name, as if the district were 石泉路.
    expect(page.get_by_role("heading", level=1)).to_have_text("政府信息公开平台")
    offices = page.get_by_role("region", name="各机关政府信息公开")
    for name in (FIRST, OTHER):
        expect(offices.get_by_role("heading", name=name, level=3)).to_be_visible()
        links = offices.get_by_role("list", name=f"{name}的栏目")
        for label in ("法定主动公开内容", "公开指南", "公开年报"):
            expect(links.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_role("region", name="最新公开信息（全部机关）")).to_contain_text("万镇街道防汛应急预案")
    seen.check("/")
    seen.shot("home")

    offices.get_by_role("link", name=OTHER, exact=True).click()
    expect(page).to_have_url(f"{seen.server}/o/wanzhen/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{OTHER}政府信息公开")
    latest = page.get_by_role("region", name="最新公开信息")
    expect(latest).to_contain_text("万镇街道防汛应急预案")
    expect(latest).not_to_contain_text("石泉路街道加装电梯通知")
    seen.check("/o/wanzhen/")
    page.get_by_role("link", name="查看各机关的政府信息公开").click()
    expect(page).to_have_url(f"{seen.server}/")
    seen.assert_clean()


def test_the_office_filter_is_chosen_by_keyboard_and_htmx_updates_the_results_as_the_other_filters_do(
        seen, district):
    page = seen.page
    seen.go("/catalog")
    expect(page.locator("#results-heading")).to_have_text("共 4 条信息")
    page.locator("summary", has_text="筛选").focus()
    page.keyboard.press("Enter")  # opens the folded panel
    office = page.get_by_label("发布机关")
    tab_on_to(page, office)
    expect(office).to_have_value("")
    with page.expect_response(re.compile(r"/catalog\?")):
        page.keyboard.press("ArrowDown")  # 全部机关 → 石泉路
        page.keyboard.press("ArrowDown")  # → 万镇: one request after the pause
    status = page.locator("#results-status")
    expect(status).to_have_text("已更新：共 2 条符合条件的信息")
    expect(office).to_be_focused()  # a menu being arrowed through keeps the focus
    expect(office).to_have_value("wanzhen")
    expect(page).to_have_url(re.compile(r"office=wanzhen"))
    results = page.locator("#results")
    expect(results).to_contain_text("万镇街道防汛应急预案")
    expect(results).not_to_contain_text("石泉路街道加装电梯通知")
    seen.check("/catalog?office=wanzhen (htmx)")

    tab_to(page, "筛选")  # the explicit ask takes focus to the results heading, which speaks instead
    page.keyboard.press("Enter")
    heading = page.locator("#results-heading")
    expect(heading).to_be_focused()
    expect(heading).to_have_text("共 2 条符合条件的信息")
    expect(status).to_have_text("")
    page.reload()  # the filtered address can be shared
    expect(page.get_by_label("发布机关")).to_have_value("wanzhen")
    expect(page.locator("#results")).not_to_contain_text("石泉路街道加装电梯通知")
    seen.check("/catalog?office=wanzhen")
    seen.assert_clean()


def test_without_javascript_the_office_filter_works_by_submitting_the_form(seen_without_js, district):
    seen = seen_without_js
    page = seen.page
    seen.go("/catalog")
    page.locator("summary", has_text="筛选").focus()
    page.keyboard.press("Enter")
    office = page.get_by_label("发布机关")
    tab_on_to(page, office)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(office).to_have_value("wanzhen")
    expect(page.locator("#results")).to_contain_text("石泉路街道加装电梯通知")  # nothing happens until submitted
    tab_to(page, "筛选")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"office=wanzhen"))
    expect(page.locator("#results-heading")).to_have_text("共 2 条符合条件的信息")
    expect(page.locator("#results")).not_to_contain_text("石泉路街道加装电梯通知")
    expect(page.get_by_label("发布机关")).to_have_value("wanzhen")
    seen.check("/catalog?office=wanzhen (no JavaScript)")
    seen.assert_clean()


def test_the_search_facet_by_office_narrows_the_hits_and_takes_focus_to_the_results_heading(seen, district):
    page = seen.page
    seen.go("/search?q=预算")
    expect(page.locator("#results-heading")).to_have_text("“预算”共找到 2 条结果")
    facets = page.get_by_role("complementary", name="缩小范围")
    expect(facets.get_by_role("heading", name="按发布机关")).to_be_visible()
    seen.check("/search?q=预算")
    facets.get_by_role("link", name=f"{OTHER}（1）").focus()
    page.keyboard.press("Enter")
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("“预算”共找到 1 条结果")
    expect(heading).to_be_focused()
    expect(page.locator("#results")).to_contain_text(f"已限定发布机关：{OTHER}")
    expect(page.locator("#results .hits")).not_to_contain_text("石泉路")
    expect(page).to_have_url(re.compile(r"office=wanzhen"))
    seen.check("/search?q=预算&office=wanzhen")
    seen.assert_clean()


def test_an_applicant_chooses_the_office_by_keyboard_and_the_receipt_has_its_number_prefix(seen, district):
    page = seen.page
    seen.go("/apply/")
    expect(page.get_by_role("heading", level=1)).to_have_text("依申请公开：选择受理机关")
    expect(page.locator(".office-list")).to_contain_text(WANZHEN["search_hint"])
    seen.check("/apply/")
    tab_to(page, f"向{OTHER}提出申请", limit=120)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"依申请公开：{OTHER}")
    expect(page).to_have_url(f"{seen.server}/o/wanzhen/apply/")
    seen.check("/o/wanzhen/apply/")
    tab_to(page, "以公民身份申请", limit=120)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/o/wanzhen/apply/form"))
    seen.check("/o/wanzhen/apply/form")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_label("联系电话").fill("13800138000")
    fill_common(page, "万镇街道2025年加装电梯补贴的发放名单")
    page.get_by_role("button", name="提交申请").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("您的申请已提交")
    year = office_today().year
    expect(page.locator(".receipt-box")).to_contain_text(f"申请编号（查询号）：WZ-{year}-0002")  # after the counter's
    seen.check("/o/wanzhen/apply/receipt")
    seen.assert_clean()


def test_a_handler_passes_an_unconfirmed_application_to_the_other_office_by_keyboard(seen, district):
    page, number = seen.page, district["number"]
    seen.sign_in("shi")
    expect(page.locator(".staff-bar")).to_contain_text("本机关：")
    seen.go(f"/admin/requests/{number}")
    seen.check("/admin/requests/<number>")
    tab_to(page, "转至其他机关…", limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"转至其他机关办理：申请 {number}")
    seen.check("/admin/requests/<number>/pass")
    target = page.get_by_label("接收申请的机关")
    tab_on_to(page, target, limit=80)
    page.keyboard.press("ArrowDown")  # （请选择） → 万镇
    expect(target).to_have_value(re.compile(r"\d+"))
    tab_to(page, "转至所选机关")
    page.keyboard.press("Enter")  # no reason yet: refused, focus to the summary, the office kept
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("请写明转办理由")
    expect(summary).to_be_focused()
    expect(page.get_by_label("接收申请的机关")).not_to_have_value("")
    seen.check("/admin/requests/<number>/pass (refused)")
    tab_on_to(page, page.get_by_label("转办理由"), limit=20)
    page.keyboard.type(REASON)
    tab_to(page, "转至所选机关")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(f"已将申请 {number} 转至{OTHER}办理，已通知申请人。")
    expect(page.locator("#queue-results")).not_to_contain_text(number)  # gone from 石泉路's queue
    seen.check("/admin/requests/ (after passing)")

    seen.sign_in("wan")
    seen.go(f"/o/wanzhen/admin/requests/{number}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    seen.assert_clean()


def test_the_district_admin_lists_and_adds_offices_and_switches_office_from_the_staff_bar(seen, district):
    page = seen.page
    seen.sign_in("district")
    bar = page.locator(".staff-bar")
    expect(bar).to_contain_text(f"本机关：石泉路街道；切换到：{OTHER_SHORT}")
    tab_to(page, "机关管理")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("机关管理")
    table = page.get_by_role("table", name="各机关（按排列顺序）")
    expect(table).to_contain_text(OTHER)
    expect(table).to_contain_text("/o/wanzhen/")
    seen.check("/admin/offices")

    tab_to(page, "新增机关")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("新增机关")
    seen.check("/admin/offices/new")
    typed = {"机关名称": "上海市普陀区万里街道办事处", "简称": "万里街道", "网址代码": "wanzhen",
             "申请编号前缀": "WL", "机构代码": "123456789", "文书编号前缀": "万里信公"}
    for label, value in typed.items():
        tab_on_to(page, page.get_by_label(label, exact=True), limit=80)
        page.keyboard.type(value)
    tab_to(page, "保存")
    page.keyboard.press("Enter")  # the code is 万镇's: refused on its field
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("网址代码“wanzhen”已被另一机关使用")
    expect(summary).to_be_focused()
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    seen.check("/admin/offices/new (refused)")
    code = page.get_by_label("网址代码", exact=True)
    code.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("wanli")
    tab_to(page, "保存")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("机关管理")
    expect(page.get_by_role("table", name="各机关（按排列顺序）")).to_contain_text("/o/wanli/")

    tab_to(page, OTHER_SHORT)  # the staff bar's switch to the other office the account belongs to
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{seen.server}/o/wanzhen/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("工作台")
    expect(bar).to_contain_text(f"本机关：{OTHER_SHORT}")
    expect(bar.get_by_role("link", name=re.compile("石泉路"))).to_be_visible()
    seen.check("/o/wanzhen/admin/")
    seen.assert_clean()


def test_the_district_coordinator_reads_the_summary_table_of_every_office(seen, district):
    page = seen.page
    year = office_today().year
    seen.sign_in("gkb")
    # A member of no office: the staff bar said 本机关：石泉路街道 (the first office) as if it belonged there.
    expect(page.locator(".staff-bar")).not_to_contain_text("本机关")
    seen.go(f"/admin/reports/district/{year}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year}年政府信息公开申请办理情况汇总表")
    table = page.locator("#table-district")
    for name in (FIRST, OTHER):
        expect(table.locator("th.group", has_text=name)).to_be_visible()
    expect(page.locator("#check")).to_contain_text("核对通过")
    district_new = page.locator("#table-district tbody").last.locator("tr", has_text="本年新收").locator("td").first
    expect(district_new).to_have_text("1")  # 万镇's application, handed in by a 自然人, in the district's total
    seen.check(f"/admin/reports/district/{year}")
    seen.shot("district-summary")
    seen.assert_clean()
