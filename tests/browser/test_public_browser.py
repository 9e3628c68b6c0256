"""Residents in a real browser: live search, in-place filtering with shareable URLs, no-JS, keyboard, axe."""
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations
from tests.factories.catalog import publish


@pytest.fixture
def entries(ctx):
    """A small catalog."""
    return [
        publish(title="老旧小区加装电梯工作实施方案", category="城乡建设、环境保护\\城乡建设（含住房）",
                published_date=date(2020, 4, 28), body="既有多层住宅加装电梯。", doc_number="石办〔2020〕15号"),
        publish(title="石泉路街道2024年部门预算", category="财政、金融、审计\\财政", doc_type="报告",
                published_date=date(2024, 2, 23), body="部门收支预算。"),
        publish(title="防汛防台应急预案", category="综合政务\\应急管理", published_date=date(2022, 5, 20),
                body="低洼积水点排查。"),
    ]


def test_typing_in_the_search_box_updates_results_live_and_the_url_follows(page, live_server, entries):
    page.goto(f"{live_server}/search")
    page.get_by_label("检索政府信息").press_sequentially("预算", delay=50)
    expect(page.locator("#results")).to_contain_text("石泉路街道2024年部门预算")
    expect(page).to_have_url(f"{live_server}/search?q=%E9%A2%84%E7%AE%97")
    page.reload()
    expect(page.locator("#results")).to_contain_text("石泉路街道2024年部门预算")


def test_catalog_filter_updates_in_place_and_the_filtered_url_can_be_shared(page, live_server, entries):
    page.goto(f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()  # folded until something in it is chosen
    page.get_by_label("公文种类").select_option("报告")
    expect(page.locator("#results")).not_to_contain_text("防汛防台应急预案")
    expect(page.locator("#results")).to_contain_text("部门预算")
    assert "doc_type=" in page.url
    other = page.context.new_page()
    other.goto(page.url)
    expect(other.locator("#results")).to_contain_text("部门预算")
    expect(other.locator("#results")).not_to_contain_text("防汛防台应急预案")
    expect(other.get_by_label("公文种类")).to_have_value("报告")


def test_search_and_filters_work_without_javascript(page_without_js, live_server, entries):
    page = page_without_js
    page.goto(f"{live_server}/")
    page.get_by_label("检索政府信息").fill("电梯")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#results")).to_contain_text("老旧小区加装电梯工作实施方案")
    page.goto(f"{live_server}/catalog")
    page.locator("summary", has_text="筛选").click()
    page.get_by_label("发布年份").select_option("2022")
    page.locator("form.filters").get_by_role("button", name="筛选").click()
    expect(page.locator("#results")).to_contain_text("防汛防台应急预案")
    expect(page.locator("#results")).not_to_contain_text("部门预算")
    page.get_by_role("link", name="防汛防台应急预案").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("防汛防台应急预案")


def test_keyboard_user_reaches_the_skip_link_first_and_can_search(page, live_server, entries):
    page.goto(f"{live_server}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("检索政府信息").focus()
    page.keyboard.type("应急")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("防汛防台应急预案")


@pytest.mark.parametrize("path", ["/", "/catalog", "/search?q=预算", "/guide", "/search?q=火星"])
def test_public_pages_have_no_serious_accessibility_violations(page, live_server, entries, path):
    page.goto(live_server + path)
    assert axe_violations(page) == []


def test_entry_page_has_no_serious_accessibility_violations(page, live_server, entries):
    page.goto(f"{live_server}/documents/{entries[0].id}")
    assert axe_violations(page) == []


def test_pages_stay_usable_at_large_text_on_a_phone(browser, live_server, entries):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server}/catalog")
    # Through the CSSOM, which the Content-Security-Policy allows (a <style> tag it refuses).
    page.evaluate("document.documentElement.style.setProperty('font-size', '200%', 'important')")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"page scrolls sideways by {overflow}px at large text"
    context.close()



def test_chinese_text_is_drawn_with_a_cjk_font_not_as_boxes(page, live_server):
    # Without a CJK font chromium draws every 汉字 as the same empty box, so 「一」 and 「鑫」 come out as identical
    # pixels; with fonts-noto-cjk (installed by `make chromium`) they are their own glyphs, and the screenshots
    # the browser tests take show Chinese.
    page.goto(f"{live_server}/")
    inked = page.evaluate("""() => ['一', '鑫'].map(text => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 48;
        const c = canvas.getContext('2d');
        c.font = '40px sans-serif';
        c.fillText(text, 4, 40);
        return Array.from(c.getImageData(0, 0, 48, 48).data).filter((v, i) => i % 4 === 3 && v > 128).length;
    })""")
    one, xin = inked
    assert 0 < one < xin / 2  # 「一」 is one stroke, 「鑫」 is twenty-four
