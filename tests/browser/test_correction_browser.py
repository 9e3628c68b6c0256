"""The applicant sends a correction (补正) in a real browser: with JavaScript, without it, and by keyboard alone;
axe on each page where it can run."""
import pytest
from playwright.sync_api import expect

from portal.core.clock import office_today
from portal.info_requests import services
from tests.browser.helpers import axe_violations, tab_to
from tests.factories.files import pdf_bytes
from tests.factories.requests import APPLICANT, FIELDS, clerk

LINK = "补正：按补正告知书写明的事项，在线提交补正后的申请"
TEXT = "所需信息为2024年度石泉一村加装电梯补贴的发放名单"


@pytest.fixture
def application(calendar):
    """An application handed in today and asked today to correct within 10 working days: number and code."""
    today = office_today()
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=today, user=clerk())
    services.request_correction(info_request, today, clerk(), points="请写明所需名单的年份\n请写明小区名称", workdays=10)
    return info_request.tracking_number, code


def open_status(page, live_server, number, code) -> None:
    """Look the application up with its number and code, as the applicant does."""
    page.goto(f"{live_server}/apply/track")
    page.get_by_label("申请编号（查询号）").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")


def correct_with_the_mouse(page, live_server, number, code, tmp_path, *, axe: bool) -> None:
    """Status page → correction page → an empty text refused (kept page) → text and a PDF sent → status page."""
    def accessible():
        """No serious or critical axe violation on this page (axe needs JavaScript to run)."""
        return not axe or axe_violations(page) == []

    open_status(page, live_server, number, code)
    expect(page.locator("#correction")).to_contain_text("请写明小区名称")
    assert accessible()
    page.get_by_role("link", name=LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"补正申请 {number}")
    assert accessible()
    page.get_by_role("button", name="提交补正").click()
    expect(page.get_by_role("alert")).to_contain_text("请填写补正后的申请内容")
    assert accessible()
    page.get_by_label("补正后的申请内容").fill(TEXT)
    material = tmp_path / "户口簿.pdf"
    material.write_bytes(pdf_bytes())
    page.get_by_label("补正材料（如需要）").set_input_files(str(material))
    page.get_by_role("button", name="提交补正").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")
    expect(page.locator("#correction")).to_contain_text("在线提交补正")
    expect(page.locator("#correction")).to_contain_text("户口簿.pdf")
    expect(page.locator(".summary")).to_contain_text("等待工作人员确认")
    expect(page.get_by_role("link", name="政府信息公开申请补正接收回执")).to_be_visible()
    assert accessible()


def test_the_applicant_sends_a_correction_with_javascript(page, live_server, application, tmp_path):
    correct_with_the_mouse(page, live_server, *application, tmp_path, axe=True)


def test_the_applicant_sends_a_correction_without_javascript(page_without_js, live_server, application, tmp_path):
    correct_with_the_mouse(page_without_js, live_server, *application, tmp_path, axe=False)


def test_the_applicant_sends_a_correction_by_keyboard_alone(page, live_server, application):
    number, code = application
    open_status(page, live_server, number, code)
    tab_to(page, LINK)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"补正申请 {number}")
    tab_to(page, "")  # the text box (a textarea has no text yet)
    expect(page.get_by_label("补正后的申请内容")).to_be_focused()
    page.keyboard.type(TEXT)
    tab_to(page, "提交补正")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")
    expect(page.locator("#correction")).to_contain_text(TEXT)
    assert axe_violations(page) == []
