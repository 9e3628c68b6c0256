"""Receiving the information in a real browser: the 经办人 attaches the released file to the reply (a boosted
multipart form with the CSRF header), and the applicant tracks the application and downloads it by keyboard,
and without JavaScript."""
from datetime import date

from playwright.sync_api import expect

from portal.extensions import db
from portal.info_requests import releases, services
from portal.models import HANDLER, ReleaseDownload, User
from tests.browser.helpers import axe_violations, sign_in, tab_to
from tests.factories.files import pdf_bytes
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.staff import make_user


def test_the_applicant_downloads_the_released_file_by_keyboard(page, live_server, calendar):
    # Handed in Mon 2 Nov 2026 (no holiday in November): replied Mon 16 Nov, the 10th working day.
    handler = db.session.get(User, make_user("handler", HANDLER, display_name="李经办").id)
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2),
                                           user=handler)
    number, pdf = info_request.tracking_number, pdf_bytes("Released list")

    sign_in(page, live_server, "handler")
    page.goto(f"{live_server}/admin/requests/{number}")
    reply = page.locator("#action-reply")
    reply.get_by_label("答复日期").fill("2026-11-16")
    reply.get_by_role("group", name="答复结果").get_by_label("予以公开", exact=True).check()
    reply.get_by_label("公开的政府信息文件").set_input_files(
        [{"name": "2024年补贴发放名单.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    reply.get_by_role("button", name="作出答复并生成答复书").click()
    expect(page.locator(".flashes")).to_contain_text("已答复")
    expect(page.locator("#released-files")).to_contain_text("2024年补贴发放名单.pdf")

    page.context.clear_cookies()
    page.goto(f"{live_server}/apply/track")
    page.get_by_label("申请编号（查询号）").focus()
    page.keyboard.type(number)
    page.keyboard.press("Tab")
    expect(page.get_by_label("查询码")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")
    expect(page.locator("#released")).to_contain_text("公开的政府信息")
    assert axe_violations(page) == []
    tab_to(page, "下载：2024年补贴发放名单.pdf")
    with page.expect_download() as event:
        page.keyboard.press("Enter")
    download = event.value
    assert download.suggested_filename == "2024年补贴发放名单.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read() == pdf
    db.session.rollback()  # see the server thread's commit
    assert [d.via for d in db.session.query(ReleaseDownload).all()] == ["查询页面"]


def test_without_javascript_the_applicant_tracks_and_downloads_the_released_file(page_without_js, live_server,
                                                                                calendar):
    # Handed in Mon 2 Nov 2026, replied Mon 16 Nov (the 10th working day) with the file, through the services.
    handler = db.session.get(User, make_user("handler", HANDLER, display_name="李经办").id)
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2),
                                           user=handler)
    pdf = pdf_bytes("Released list")
    services.reply(info_request, date(2026, 11, 16), handler, outcome="予以公开",
                   released=[releases.check_file("2024年补贴发放名单.pdf", pdf)])
    number, page = info_request.tracking_number, page_without_js
    page.goto(f"{live_server}/apply/track")
    page.get_by_label("申请编号（查询号）").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")
    with page.expect_download() as event:
        page.get_by_role("link", name="下载：2024年补贴发放名单.pdf").click()
    with open(event.value.path(), "rb") as saved:
        assert saved.read() == pdf
    db.session.rollback()  # see the server thread's commit
    assert [d.via for d in db.session.query(ReleaseDownload).all()] == ["查询页面"]
