"""Staff forms that had HTTP tests only, by keyboard alone in a real browser: the 经办人 computes the 信息处理费,
confirms the 收费通知书 and records the payment, records a handover on paper, marks two applications as asking for
the same information and drafts the Art. 44 entry, without touching the mouse; axe finds nothing serious.

Dates on the 2026 notice (as in tests/info_requests/test_fee_pages.py): received Mon 3-02; notice sent Tue 3-10,
received Thu 3-12 → last day to pay Fri 4-10; 8 earlier applications this month + 5 items → ranks 9–13, the
first 2 free (up to 10 a month), 3 × 100 = 300 元."""
from datetime import date

from playwright.sync_api import expect

from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.models import EDITOR, HANDLER
from tests.browser.helpers import axe_violations, sign_in, tab_on_to, tab_to
from tests.factories.requests import handed_in, user

RECEIPT = date(2026, 3, 2)


def enter_date(field, iso: str) -> None:
    """Focus a date field and set its day. Chromium's date field takes its segments in the locale's order with
    its own auto-advance rules, which differ between versions; the value is set as its picker would set it, and
    everything else in the test is done with keys."""
    field.focus()
    field.fill(iso)


def test_the_fee_is_computed_confirmed_and_paid_by_keyboard(page, live_server, calendar):
    handler = user("handler", HANDLER, display_name="李经办")
    for _ in range(8):
        handed_in(RECEIPT, handler)
    number = handed_in(RECEIPT, handler).tracking_number
    sign_in(page, live_server, "handler")
    page.goto(f"{live_server}/admin/requests/{number}")

    fee = page.locator("#action-fee")
    enter_date(fee.get_by_label("发出日期"), "2026-03-10")
    tab_on_to(page, fee.get_by_label("申请人收到日期"))
    enter_date(fee.get_by_label("申请人收到日期"), "2026-03-12")
    tab_on_to(page, fee.get_by_label("按件计收", exact=False))  # the group's checked radio comes next
    page.keyboard.press("Tab")
    expect(fee.get_by_label("本申请的件数")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    tab_to(page, "计算金额")
    page.keyboard.press("Enter")
    expect(page.locator("#fee-preview")).to_contain_text("合计 300 元")
    assert axe_violations(page) == []

    tab_to(page, "确认发出收费通知书")
    page.keyboard.press("Enter")
    expect(page.locator("#fee-state")).to_contain_text("应缴 300 元")
    expect(page.locator("#fee-state")).to_contain_text("2026-04-10")

    enter_date(page.locator("#action-fee_paid").get_by_label("缴费日期"), "2026-03-19")
    tab_to(page, "登记缴费")
    page.keyboard.press("Enter")
    expect(page.locator("#fee-state")).to_contain_text("2026-03-19 缴费")
    assert axe_violations(page) == []


def test_a_handover_on_paper_is_recorded_by_keyboard(page, live_server, calendar):
    # Handed in Mon 2 Nov 2026, replied Mon 16 Nov (the 10th working day); collected at the office Wed 18 Nov.
    handler = user("handler", HANDLER, display_name="李经办")
    info_request = handed_in(date(2026, 11, 2), handler)
    services.reply(info_request, date(2026, 11, 16), handler, outcome=rl.DISCLOSED)
    sign_in(page, live_server, "handler")
    page.goto(f"{live_server}/admin/requests/{info_request.tracking_number}")

    release = page.locator("#release")
    release.get_by_label("邮寄", exact=True).focus()  # the group's checked radio: Tab stops on it
    page.keyboard.press("ArrowRight")  # 快递
    page.keyboard.press("ArrowRight")  # 自行领取: arrows move and choose inside a radio group
    expect(release.get_by_label("自行领取", exact=True)).to_be_checked()
    tab_on_to(page, release.get_by_label("交付日期"))
    enter_date(release.get_by_label("交付日期"), "2026-11-18")
    tab_on_to(page, release.get_by_label("邮件或快递单号"))
    page.keyboard.press("Tab")
    expect(release.get_by_label("说明")).to_be_focused()
    page.keyboard.type("申请人本人到窗口领取纸质件一份")
    tab_to(page, "登记交付")
    page.keyboard.press("Enter")
    expect(page.locator("#handovers")).to_contain_text("2026-11-18")
    expect(page.locator("#handovers")).to_contain_text("申请人本人到窗口领取纸质件一份")
    assert axe_violations(page) == []


def test_two_applications_for_the_same_information_are_marked_and_converted_by_keyboard(page, live_server,
                                                                                       calendar):
    # Both handed in Mon 2 Nov 2026 and disclosed Mon 16 Nov (the 10th working day), through the services.
    clerk = user("clerk", HANDLER, EDITOR, display_name="李经办")
    first, second = (handed_in(date(2026, 11, 2), clerk) for _ in range(2))
    for info_request in (first, second):
        services.reply(info_request, date(2026, 11, 16), clerk, outcome=rl.DISCLOSED)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server}/admin/requests/{first.tracking_number}")

    tab_to(page, "标记为与另一件申请相同的信息", limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("标记为相同信息")
    assert axe_violations(page) == []
    tab_on_to(page, page.get_by_label("另一件申请的申请编号", exact=False), limit=40)
    page.keyboard.type(second.tracking_number)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(f"与申请 {second.tracking_number} 所申请的信息相同")

    tab_to(page, "转为主动公开", limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("转为主动公开（条例第四十四条）")
    assert axe_violations(page) == []
    tab_to(page, "起草主动公开信息", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(f"已根据申请 {first.tracking_number} 公开的信息起草主动公开信息")
