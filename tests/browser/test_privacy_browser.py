"""Personal data does not outlive its page: no htmx history snapshot, no browser cache."""
import re

from playwright.sync_api import expect

from tests.factories.people import resident_id


def test_back_after_the_receipt_does_not_bring_the_query_code_back_from_a_snapshot(page, live_server, calendar):
    page.goto(f"{live_server}/apply/form?applicant_type=公民")
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("所需政府信息的内容描述").fill("石泉路街道2024年加装电梯补贴名单")
    page.get_by_role("group", name="信息的提供形式").get_by_label("纸质").check()
    page.get_by_role("group", name="获取信息的方式").get_by_label("自行领取/当场阅读抄录").check()
    page.get_by_role("button", name="提交申请").click()
    code = re.search(r"查询码：\s*([A-Z0-9]{4}-[A-Z0-9]{4})", page.locator(".receipt-box").inner_text())[1]
    page.get_by_role("link", name="法定主动公开内容").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("法定主动公开内容")
    snapshots = page.evaluate("JSON.stringify(sessionStorage)")
    assert code not in snapshots and "张三" not in snapshots
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的申请已提交")
    assert code not in page.content()  # fetched again from the server, which shows the code only once

