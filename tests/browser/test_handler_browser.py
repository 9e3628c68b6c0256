"""A handler in a real browser: confirms an online application, asks for 补正, records the correction, the
负责人 approves an extension, the handler replies 部分公开; the dates shown are the engine's, and the
applicant's tracking page lists every letter sent."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests.records import deadline_of
from portal.models import HANDLER, HEAD, InfoRequest, User
from tests.browser.helpers import axe_violations, sign_in
from tests.factories.people import resident_id
from tests.factories.requests import handed_in
from tests.factories.staff import PASSWORD, make_user

DESCRIPTION = "2024年石泉路街道老旧小区加装电梯补贴的发放名单"


@pytest.fixture
def accounts(app):
    """The working-day calendar, a 经办人 and a 负责人."""
    with app.app_context():
        ensure_seeded()
        make_user("li", HANDLER, display_name="李经办")
        make_user("zhao", HEAD, display_name="赵负责")



def apply_online(page, live_server) -> tuple[str, str]:
    """A resident applies on the public form; the tracking number and the once-shown code."""
    page.goto(f"{live_server}/apply/")
    page.get_by_role("link", name="以公民身份申请").click()
    page.get_by_label("姓名").fill("张三丰")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_label("联系电话").fill("13800138000")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("所需政府信息的内容描述").fill(DESCRIPTION)
    page.get_by_role("group", name="信息的提供形式").get_by_label("电子邮件").check()
    page.get_by_role("group", name="获取信息的方式").get_by_label("电子邮件").check()
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("您的申请已提交")
    text = page.locator(".receipt-box").inner_text()
    number = re.search(r"申请编号（查询号）：\s*(\d{4}-\d{4})", text)[1]
    code = re.search(r"查询码：\s*([A-Z0-9]{4}-[A-Z0-9]{4})", text)[1]
    return number, code


def engine(app, number: str):
    """The deadline engine's view of the application, as stored now."""
    with app.app_context():
        return deadline_of(db.session.scalar(select(InfoRequest).filter_by(tracking_number=number)))


def expect_engine_due_date(page, app, number: str) -> None:
    """The page shows exactly the engine's due date, marked 暂定 when it is provisional."""
    state = engine(app, number)
    due = page.locator("#due-date")
    expect(due).to_contain_text(state.due_date.isoformat())
    if state.is_estimated("due_date"):
        expect(due.locator(".badge")).to_have_text("暂定")
    else:
        expect(due.locator(".badge")).to_have_count(0)


def test_handler_journey_from_confirmation_to_a_partial_disclosure(page, live_server, app, accounts):
    number, code = apply_online(page, live_server)

    sign_in(page, live_server, "li")
    page.get_by_role("link", name="依申请公开办理").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("依申请公开办理")
    assert axe_violations(page) == []
    page.locator(".count-tiles").get_by_role("link", name=re.compile(r"^\d+ 待确认$")).click()  # not 在线补正待确认
    expect(page.locator("#queue-results")).to_contain_text("共 1 件")
    expect(page.locator("#queue-results")).not_to_contain_text("张三丰")  # masked: 张*丰
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number}")
    assert axe_violations(page) == []

    page.get_by_role("button", name="确认收到并生成回执").click()
    expect(page.locator(".flashes")).to_contain_text("已确认收到申请")
    expect_engine_due_date(page, app, number)

    correction = page.locator("#action-correction")
    correction.get_by_label("需要补正的事项").fill("请写明所需名单的年份\n请写明小区名称")
    correction.get_by_label("工作日数").fill("10")
    correction.get_by_role("button", name="发出补正告知书").click()
    expect(page.locator(".flashes")).to_contain_text("补正告知书")
    expect(page.locator("#due-date")).to_contain_text("收到补正后重新计算")

    page.locator("#action-corrected").get_by_role("button", name="登记收到补正").click()
    expect(page.locator(".flashes")).to_contain_text("答复期限重新起算")
    expect_engine_due_date(page, app, number)
    original = engine(app, number).due_date
    expect(page.locator("#action-extend")).to_contain_text("须由政府信息公开工作机构负责人批准")

    sign_in(page, live_server, "zhao")
    page.goto(f"{live_server}/admin/requests/{number}")
    extend = page.locator("#action-extend")
    extend.get_by_label("延长工作日数").fill("20")
    extend.get_by_label("延期理由").fill("所需名单需从历年档案中调取")
    extend.get_by_role("button", name="批准延期并生成告知书").click()
    expect(page.locator(".flashes")).to_contain_text("延期答复告知书")
    expect_engine_due_date(page, app, number)
    assert engine(app, number).extension.due == engine(app, number).due_date
    expect(page.locator(".dates")).to_contain_text(f"原答复期限{original.isoformat()}")
    expect(page.locator(".dates")).to_contain_text("20 个工作日")

    sign_in(page, live_server, "li")
    page.goto(f"{live_server}/admin/requests/{number}")
    reply = page.locator("#action-reply")
    reply.get_by_label("部分公开", exact=True).check()
    reply.get_by_label("理由", exact=True).select_option("保护第三方合法权益")
    reply.get_by_label("答复说明").fill("名单中个人身份证号码已作遮盖处理。")
    reply.get_by_role("button", name="作出答复并生成答复书").click()
    expect(page.locator(".flashes")).to_contain_text("已答复")
    expect(page.locator("main")).to_contain_text("本申请已办结（已答复）")
    expect(page.locator("table").last).to_contain_text("赵负责")

    page.context.clear_cookies()
    page.goto(f"{live_server}/apply/track")
    page.get_by_label("申请编号（查询号）").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"申请 {number} 的办理进度")
    letters = page.locator("section[aria-labelledby=letters-title] li")
    expect(letters).to_have_count(5)
    for title in ("政府信息公开申请接收回执", "接收回执（确认收到）", "补正告知书", "延期答复告知书", "答复书"):
        expect(page.locator("section[aria-labelledby=letters-title]")).to_contain_text(title)
    page.get_by_role("link", name="政府信息公开申请答复书").click()
    letter = page.locator("article.letter")
    expect(letter).to_contain_text("第三十七条")
    expect(letter).to_contain_text("申请行政复议")
    expect(letter).to_contain_text("石信公〔")


def test_queue_filters_update_in_place_and_the_address_follows(page, live_server, app, accounts):
    apply_online(page, live_server)
    sign_in(page, live_server, "li")
    page.goto(f"{live_server}/admin/requests/")
    page.get_by_label("状态").select_option("办理中")
    expect(page.locator("#queue-results")).to_contain_text("共 0 件")
    expect(page).to_have_url(re.compile(r"state=%E5%8A%9E%E7%90%86%E4%B8%AD"))
    expect(page.get_by_role("heading", level=1)).to_have_text("依申请公开办理")
    page.get_by_label("状态").select_option("待确认")
    expect(page.locator("#queue-results")).to_contain_text("共 1 件")
    page.get_by_role("link", name="收到日期").click()
    expect(page).to_have_url(re.compile(r"sort=receipt"))
    page.get_by_label("提交方式").select_option("网络")
    expect(page).to_have_url(re.compile(r"(?=.*channel=)(?=.*sort=receipt)"))


def test_queue_and_reveal_work_without_javascript(page_without_js, live_server, app, accounts):
    page = page_without_js
    with app.app_context():
        li = db.session.scalar(select(User).filter_by(username="li"))
        number = handed_in(date(2026, 3, 2), li).tracking_number
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/admin/requests/")
    page.get_by_label("期限").select_option("overdue")
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"due=overdue"))
    page.get_by_role("link", name=number).click()
    expect(page.locator("#applicant")).not_to_contain_text("张三丰")
    page.get_by_role("button", name="显示完整信息").click()
    expect(page.locator("#applicant")).to_contain_text("张三丰")


def test_registering_a_counter_application_is_accessible_and_shows_the_code_once(page, live_server, app, accounts):
    sign_in(page, live_server, "li")
    page.goto(f"{live_server}/admin/requests/register")
    assert axe_violations(page) == []
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#error-summary")).to_contain_text("所需政府信息的内容描述")
    assert axe_violations(page) == []
    page.get_by_label("姓名", exact=True).fill("李四")
    page.get_by_label("证件号码").fill(resident_id())
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("所需政府信息的内容描述").fill(DESCRIPTION)
    page.get_by_role("group", name="信息的提供形式").get_by_label("纸质").check()
    page.get_by_role("group", name="获取信息的方式").get_by_label("自行领取/当场阅读抄录").check()
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".receipt-box")).to_contain_text("查询码（只显示这一次）")
    expect(page.locator("main")).to_contain_text("办理中")
    expect_engine_due_date(page, app, page.get_by_role("heading", level=1).inner_text().split()[-1])
