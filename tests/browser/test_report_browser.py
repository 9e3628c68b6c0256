"""The annual report in a real browser: a 经办人 drafts and publishes it, a resident reads it on a phone."""
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.info_requests import outcomes as rl
from portal.models.staff import HANDLER
from tests.browser.helpers import axe_violations, sign_in
from tests.factories.reports import publish_entries, received, replied
from tests.factories.staff import make_user

TITLE = "上海市普陀区石泉路街道办事处2025年政府信息公开工作年度报告"


@pytest.fixture
def year_of_work(calendar):
    """A 经办人 account and a year of applications and entries."""
    make_user("jingban", HANDLER, display_name="赵经办")
    publish_entries(2025, 4)
    replied("citizen", date(2025, 3, 3), date(2025, 3, 10), rl.REFUSED, "属于国家秘密")
    replied("legal", date(2025, 4, 1), date(2025, 4, 8), rl.DISCLOSED)
    received("business", date(2025, 12, 29))



def test_a_handler_publishes_the_report_and_a_resident_reads_it(page, live_server, year_of_work):
    sign_in(page, live_server, "jingban")
    page.get_by_role("link", name="年度报告").first.click()
    expect(page.get_by_label("报告年度")).to_have_value("2025")
    page.get_by_role("button", name="开始编制").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#check")).to_contain_text("核对通过")
    expect(page.get_by_label("一、总体情况", exact=True)).to_contain_text("受理依申请公开3件")
    assert axe_violations(page) == []

    page.get_by_role("link", name="1.属于国家秘密·自然人：1，查看明细").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.属于国家秘密 · 自然人")
    expect(page.locator("main")).to_contain_text("2025-0001")
    page.go_back()

    page.get_by_label("五、存在的主要问题及改进情况", exact=True).fill("依申请公开办理人员较少。将加强业务培训。")
    page.get_by_label("行政许可：本年处理决定数量").fill("4")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".flashes")).to_contain_text("已保存")
    page.get_by_role("button", name="发布年度报告").click()
    expect(page.locator(".flashes")).to_contain_text("2025年度报告已发布")

    page.context.clear_cookies()  # now as a resident, on a phone
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server)
    page.get_by_role("link", name="公开年报").first.click()
    # Wait for the list: the home page also links the new report's catalog entry (newest first).
    expect(page.get_by_role("heading", level=1)).to_have_text("政府信息公开工作年度报告")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("将加强业务培训。")
    s3 = page.get_by_role("table", name="三、收到和处理政府信息公开申请情况")
    expect(s3.get_by_role("row", name="一、本年新收政府信息公开申请数量")).to_contain_text("3")
    region = page.get_by_role("region", name="三、收到和处理政府信息公开申请情况（表格较宽时可左右滑动）")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # the wide table scrolls inside it
    region.focus()
    page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: wait for the keyboard scroll to move rather than read it at once.
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word 文档（.docx）").click()
    assert download.value.suggested_filename == f"{TITLE}.docx"


def test_the_published_report_reads_without_javascript(page_without_js, live_server, year_of_work):
    from portal.reports import lines, services

    services.publish(services.create_draft(2025), today=date(2026, 1, 20))
    page_without_js.goto(f"{live_server}/annual-reports/2025")
    expect(page_without_js.get_by_role("table")).to_have_count(3)
    expect(page_without_js.get_by_role("cell", name=lines.NOTE)).to_be_visible()
