"""In a real browser: the 打印 button on entry and letter pages (revealed by portal.js, reachable by Tab, not
printed; a Ctrl+P hint without JavaScript), links between entries, and the 标准目录 at phone width."""
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.catalog import relations, standard
from portal.core.db import transaction
from portal.models import HANDLER
from tests.browser.helpers import axe_violations, sign_in, tab_to
from tests.factories.catalog import publish
from tests.factories.requests import clerk, handed_in
from tests.factories.staff import make_user

# headless chromium: record the print instead of opening a dialog
STUB_PRINT = "window.print = () => { window.printed = true; };"


@pytest.fixture
def linked(ctx):
    """An original notice and its 政策解读, linked as staff would; their ids."""
    original = publish(title="关于加装电梯补贴的通知", doc_number="石办〔2024〕6号", body="补贴标准。")
    reading = publish(title="加装电梯补贴政策解读", doc_type="其他", body="一问一答。")
    with transaction():
        relations.add_link(reading, original, "interprets", "测试数据")
    return {"original": original.id, "reading": reading.id}


def test_the_print_button_shows_with_javascript_is_reached_by_tab_and_prints(page, live_server, linked):
    page.add_init_script(STUB_PRINT)
    page.goto(f"{live_server}/documents/{linked['original']}")
    button = page.get_by_role("button", name="打印")
    expect(button).to_be_visible()
    expect(page.get_by_text("可使用浏览器的打印功能（Ctrl+P）")).to_be_hidden()
    tab_to(page, "打印")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.printed === true")
    page.emulate_media(media="print")
    expect(button).to_be_hidden()  # the button is not on the paper


def test_without_javascript_the_button_stays_hidden_and_the_page_says_how_to_print(page_without_js, live_server,
                                                                                   linked):
    page = page_without_js
    page.goto(f"{live_server}/documents/{linked['original']}")
    expect(page.get_by_role("button", name="打印")).to_have_count(0)  # hidden: not in the accessibility tree
    expect(page.get_by_text("可使用浏览器的打印功能（Ctrl+P）打印本页。")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_text("可使用浏览器的打印功能（Ctrl+P）打印本页。")).to_be_hidden()


def test_the_print_button_appears_after_boosted_navigation_too(page, live_server, linked):
    page.goto(f"{live_server}/catalog")
    page.get_by_role("link", name="关于加装电梯补贴的通知").first.click()  # hx-boost swaps the body
    expect(page.get_by_role("heading", level=1)).to_have_text("关于加装电梯补贴的通知")
    expect(page.get_by_role("button", name="打印")).to_be_visible()


def test_a_link_between_entries_takes_the_reader_to_the_other_one_and_back(page, live_server, linked):
    page.goto(f"{live_server}/documents/{linked['original']}")
    section = page.get_by_role("region", name="关联信息")
    expect(section).to_contain_text("本文件的解读：")
    section.get_by_role("link", name="《加装电梯补贴政策解读》").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("加装电梯补贴政策解读")
    expect(page.get_by_role("region", name="关联信息")).to_contain_text("解读的原文：")
    page.get_by_role("link", name="《关于加装电梯补贴的通知》").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("关于加装电梯补贴的通知")


def test_an_entry_with_links_has_no_serious_accessibility_violations(page, live_server, linked):
    page.goto(f"{live_server}/documents/{linked['reading']}")
    assert axe_violations(page) == []


def test_a_staff_letter_page_has_a_print_button_reached_by_tab(page, live_server, ctx):
    info_request = handed_in(date(2026, 11, 2), clerk())
    make_user("handler", HANDLER)
    letter = info_request.letters[0]
    url = f"{live_server}/admin/requests/{info_request.tracking_number}/letters/{letter.id}"
    page.add_init_script(STUB_PRINT)
    sign_in(page, live_server, "handler")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(letter.title)
    tab_to(page, f"打印{letter.title}")
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.printed === true")
    assert axe_violations(page) == []


@pytest.fixture
def standard_rows(ctx):
    """The demo rows of the 标准目录."""
    standard.load_demo_rows()


def test_the_standard_catalog_scrolls_inside_its_frame_on_a_phone_and_has_no_violations(browser, live_server,
                                                                                       standard_rows):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/standard-catalog")
        expect(page.get_by_role("table")).to_contain_text("社会救助")
        # the page itself does not scroll sideways; the table's region does, and a keyboard can reach it
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        region = page.get_by_role("region", name="基层政务公开标准目录（共 3 项；表格较宽时可左右滑动）")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        assert page.get_by_role("columnheader").all_inner_texts() == [
            "事项", "公开内容", "依据", "时限", "主体", "渠道", "对象", "方式"]
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_empty_standard_catalog_explains_itself_without_violations(page, live_server):
    page.goto(f"{live_server}/standard-catalog")
    expect(page.get_by_text("本机关尚未发布基层政务公开标准目录")).to_be_visible()
    assert axe_violations(page) == []
