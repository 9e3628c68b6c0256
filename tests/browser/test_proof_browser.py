"""An applicant whose office requires a copy of the 证件, by keyboard only: the form refuses to go without the
file, keeps what was typed, and takes the application once the file is chosen."""
import re

from playwright.sync_api import expect

from portal.admin.settings import update_office
from tests.factories.files import png_bytes
from tests.factories.people import resident_id
from tests.browser.helpers import axe_violations


def test_a_required_id_copy_is_asked_for_and_sent_by_keyboard(page, live_server, app, calendar, tmp_path):
    with app.app_context():
        update_office({"id_proof": "必须提交"})
    photo = tmp_path / "身份证正面.png"
    photo.write_bytes(png_bytes())
    page.goto(f"{live_server}/apply/form?applicant_type=公民")
    page.get_by_label("姓名").focus()
    page.keyboard.type("张三")
    page.keyboard.press("Tab")  # 证件类型 (居民身份证 stays)
    page.keyboard.press("Tab")
    page.keyboard.type(resident_id())
    page.keyboard.press("Tab")
    expect(page.get_by_label("身份证件复印件")).to_be_focused()  # the upload follows the identity fields
    page.get_by_label("联系电话").focus()
    page.keyboard.type("13800138000")
    page.get_by_label("所需政府信息的内容描述").focus()
    page.keyboard.type("2024年石泉路街道老旧小区加装电梯补贴的发放名单")
    for group, choice in (("信息的提供形式", "纸质"), ("获取信息的方式", "自行领取/当场阅读抄录")):
        page.get_by_role("group", name=group).get_by_label(choice).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="提交申请").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#error-summary")).to_contain_text("本机关要求提交身份证件复印件")
    expect(page.get_by_label("所需政府信息的内容描述")).to_have_value("2024年石泉路街道老旧小区加装电梯补贴的发放名单")
    expect(page.get_by_label("姓名")).to_have_value("张三")
    assert axe_violations(page) == []
    page.locator("#error-summary a", has_text="身份证件复印件").focus()
    page.keyboard.press("Enter")  # the summary's link takes focus to the field
    expect(page.get_by_label("身份证件复印件")).to_be_focused()
    # The system's file dialog is outside the page: choose the file into the field keyboard focus reached.
    page.locator(":focus").set_input_files(str(photo))
    page.get_by_role("button", name="提交申请").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("您的申请已提交")
    assert re.search(r"\d{4}-\d{4}", page.locator(".receipt-box").inner_text())
