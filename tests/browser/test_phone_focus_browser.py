"""Residents on a phone (390 × 844): the first result on the first screen, the folded 筛选 panel, focus and
announcements after results are swapped in place, and one request per filter change however it is chosen."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations
from tests.factories.catalog import publish

PHONE = {"width": 390, "height": 844}
PAGE_SIZE = 5


@pytest.fixture
def entries(app, ctx):
    """Twelve entries over four years (2021–2024): three pages of five in the catalog."""
    app.config["PAGE_SIZE"] = PAGE_SIZE
    categories = ("财政、金融、审计\\财政", "综合政务\\应急管理", "城乡建设、环境保护\\城乡建设（含住房）")
    return [publish(title=f"石泉路街道{2021 + n % 4}年第{n + 1}号工作通知", category=categories[n % 3],
                    published_date=date(2021 + n % 4, 3, 1 + n), body="街道工作安排。")
            for n in range(12)]


def on_phone(page):
    """The page at a common phone size."""
    page.set_viewport_size(PHONE)
    return page


def in_view(page, selector: str) -> bool:
    """Whether the element's whole box lies inside the viewport as it is now scrolled."""
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth; }""", selector)


def panel_open(page) -> bool:
    """Whether the 筛选 disclosure is open."""
    return page.locator("details.filter-panel").evaluate("el => el.open")


def test_the_first_catalog_result_is_on_the_first_screen_of_a_phone(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    assert page.evaluate("scrollY") == 0
    assert in_view(page, "#results tbody tr"), "the first result needs scrolling on a phone"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_first_search_hit_is_on_the_first_screen_of_a_phone(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/search?q=工作通知")
    assert in_view(page, "#results .hit"), "the first hit needs scrolling on a phone"


def test_the_filter_panel_is_folded_without_a_filter_and_open_with_one(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    assert not panel_open(page)
    expect(page.get_by_label("发布年份")).to_be_hidden()
    page.goto(f"{live_server}/catalog?year=2022")
    assert panel_open(page)
    expect(page.get_by_label("发布年份")).to_have_value("2022")
    assert axe_violations(page) == []


def test_paging_in_place_takes_focus_to_the_results_heading_in_view(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    next_link = page.locator(".pager").get_by_role("link", name="下一页")
    next_link.scroll_into_view_if_needed()
    next_link.click()
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("共 12 条信息，第 2 页（共 3 页）")
    expect(heading).to_be_focused()
    assert in_view(page, "#results-heading")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#results-status")).to_have_text("")  # the focused heading speaks, not both


def test_the_filter_button_takes_focus_to_the_results_heading(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()
    page.get_by_label("发布年份").select_option("2021")
    page.locator("form.filters").get_by_role("button", name="筛选").click()
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("共 3 条符合条件的信息")
    expect(heading).to_be_focused()
    assert in_view(page, "#results-heading")


def test_a_menu_change_keeps_focus_in_the_form_and_the_status_line_says_what_it_found(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()
    year = page.get_by_label("发布年份")
    year.focus()
    year.select_option("2023")
    status = page.locator("#results-status")
    expect(status).to_have_text("已更新：共 3 条符合条件的信息")
    expect(status).to_have_attribute("role", "status")
    expect(year).to_be_focused()  # moving focus away would break choosing with the arrow keys
    expect(page.locator("#results")).to_contain_text("石泉路街道2023年")
    expect(page.locator("#results")).not_to_contain_text("石泉路街道2022年")


def test_arrowing_through_a_closed_menu_sends_one_request_and_adds_one_history_entry(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/catalog?" in r.url else None)
    history_before = page.evaluate("history.length")
    year = page.get_by_label("发布年份")
    year.focus()
    with page.expect_response(re.compile(r"/catalog\?")):
        for _ in range(3):
            page.keyboard.press("ArrowDown")  # 全部 → 2024 → 2023 → 2022, each a change event
    expect(year).to_have_value("2022")
    page.wait_for_timeout(1200)  # twice the debounce: no late requests follow
    assert len(requests) == 1 and "year=2022" in requests[0], requests
    assert page.evaluate("history.length") == history_before + 1
    expect(page).to_have_url(re.compile(r"year=2022"))
    expect(page.locator("#results-heading")).to_have_text("共 3 条符合条件的信息")


def test_the_filter_panel_and_its_button_filter_the_catalog_without_javascript(page_without_js, live_server,
                                                                               entries):
    page = on_phone(page_without_js)
    page.goto(f"{live_server}/catalog")
    assert in_view(page, "#results tbody tr")
    assert page.locator("details.filter-panel").get_attribute("open") is None
    page.locator("summary", has_text="筛选").click()
    page.get_by_label("主题分类").select_option("综合政务\\应急管理")
    page.locator("form.filters").get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"category="))
    expect(page.locator("#results-heading")).to_have_text("共 4 条符合条件的信息")
    expect(page.locator("#results")).not_to_contain_text("第1号工作通知")  # n = 0 is 财政
    assert page.locator("details.filter-panel").get_attribute("open") == ""
    expect(page.get_by_label("主题分类")).to_have_value("综合政务\\应急管理")


def test_live_search_keeps_focus_in_the_box_and_a_facet_takes_it_to_the_results_heading(page, live_server,
                                                                                     entries):
    on_phone(page).goto(f"{live_server}/search")
    box = page.get_by_label("检索政府信息")
    box.press_sequentially("工作通知", delay=30)
    status = page.locator("#results-status")
    expect(status).to_have_text("已更新：“工作通知”共找到 12 条结果，第 1 页（共 2 页）")  # 10 a page
    expect(box).to_be_focused()
    page.locator(".facets").get_by_role("link", name="2022年（3）").click()
    heading = page.locator("#results-heading")
    expect(heading).to_have_text("“工作通知”共找到 3 条结果")
    expect(heading).to_be_focused()
    assert in_view(page, "#results-heading")
    expect(status).to_have_text("")
    box.press("Enter")  # asking again (Enter) is answered like a page load: focus to the heading
    expect(heading).to_be_focused()


def test_pressing_the_filter_button_during_the_pause_sends_one_request_not_two(page, live_server, entries):
    on_phone(page).goto(f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/catalog?" in r.url else None)
    history_before = page.evaluate("history.length")
    page.get_by_label("发布年份").select_option("2021")  # starts the 600 ms pause
    page.locator("form.filters").get_by_role("button", name="筛选").click()  # asks at once
    expect(page.locator("#results-heading")).to_be_focused()
    page.wait_for_timeout(1200)
    assert len(requests) == 1 and page.evaluate("history.length") == history_before + 1, requests
