"""Applicants in a real browser: apply as 公民 and as 法人 (fixing one error on the way), then track."""
import re

from playwright.sync_api import expect

from tests.factories.people import resident_id, uscc


def read_receipt(page) -> tuple[str, str]:
    """The tracking number and the once-shown query code from the receipt page."""
    text = page.locator(".receipt-box").inner_text()
    number = re.search(r"申请编号（查询号）：\s*(\d{4}-\d{4})", text)[1]
    code = re.search(r"查询码：\s*([A-Z0-9]{4}-[A-Z0-9]{4})", text)[1]
    return number, code


def fill_common(page, description: str) -> None:
    """Contact details, the description and the ways to provide and obtain."""
    page.get_by_label("所需政府信息的内容描述").fill(description)
    page.get_by_role("group", name="信息的提供形式").get_by_label("纸质").check()
    page.get_by_role("group", name="获取信息的方式").get_by_label("邮寄").check()
    page.get_by_label("通信地址").fill("上海市普陀区石泉路1号")
    page.get_by_label("邮政编码").fill("200061")


def track(page, live_server, number, code) -> None:
    """Open the tracking form in a fresh visit and look the application up."""
    page.context.clear_cookies()
    page.goto(f"{live_server}/apply/track")
    page.get_by_label("申请编号（查询号）").fill(number)
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")


def test_citizen_applies_fixes_a_wrong_id_number_and_tracks_the_application(page, live_server, calendar):
    page.goto(f"{live_server}/apply/")
    page.get_by_role("link", name="以公民身份申请").click()
    page.get_by_label("姓名").fill("张三")
    wrong = resident_id()[:17] + ("1" if resident_id()[-1] != "1" else "2")
    page.get_by_label("证件号码").fill(wrong)
    page.get_by_label("联系电话").fill("13800138000")
    fill_common(page, "2024年石泉路街道老旧小区加装电梯补贴的发放名单")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#error-summary")).to_contain_text("证件号码")
    expect(page.get_by_label("所需政府信息的内容描述")).to_have_value("2024年石泉路街道老旧小区加装电梯补贴的发放名单")
    expect(page.get_by_label("联系电话")).to_have_value("13800138000")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的申请已提交")
    number, code = read_receipt(page)
    track(page, live_server, number, code)
    expect(page.locator("main")).to_contain_text("待确认")
    page.get_by_role("link", name="政府信息公开申请接收回执").click()
    expect(page.locator("article.letter")).to_contain_text(number)


def test_organisation_switches_type_in_place_and_applies(page, live_server, calendar):
    page.goto(f"{live_server}/apply/form?applicant_type=公民")
    page.get_by_label("联系电话").fill("021-62541234")
    page.get_by_label("法人或其他组织").check()
    expect(page.get_by_label("统一社会信用代码")).to_be_visible()
    expect(page.get_by_label("联系电话")).to_have_value("021-62541234")  # only the identity block was swapped
    page.get_by_label("名称", exact=True).fill("上海某某律师事务所")
    page.get_by_label("统一社会信用代码").fill(uscc())
    page.get_by_label("法律服务机构").check()
    page.get_by_label("法定代表人").fill("李四")
    page.get_by_label("联系人姓名").fill("王五")
    fill_common(page, "石泉路街道2023年房屋征收补偿方案及其批复文件")
    page.get_by_role("button", name="提交申请").click()
    number, code = read_receipt(page)
    track(page, live_server, number, code)
    expect(page.locator("main")).to_contain_text("上海某某律师事务所")


def test_application_form_works_without_javascript(page_without_js, live_server, calendar):
    page = page_without_js
    page.goto(f"{live_server}/apply/form")
    page.get_by_label("法人或其他组织").check()
    page.get_by_role("button", name="按所选类型显示填写项").click()
    expect(page.get_by_label("统一社会信用代码")).to_be_visible()
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#error-summary")).to_contain_text("请填写名称")


def test_application_pages_have_no_serious_accessibility_violations(page, live_server, calendar):
    from tests.browser.helpers import axe_violations

    for path in ("/apply/", "/apply/form", "/apply/track"):
        page.goto(live_server + path)
        assert axe_violations(page) == [], path
    page.goto(f"{live_server}/apply/form")
    page.get_by_role("button", name="提交申请").click()
    assert axe_violations(page) == [], "form with errors"
