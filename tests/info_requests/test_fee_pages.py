"""信息处理费 through the staff pages over HTTP, the tracking page, and the annual report (section 三(六), 六).

Dates on the 2026 notice: received Mon 2026-03-02; notice sent Tue 3-10, signed for Thu 3-12 → last day to pay
Fri 4-10 (3-13 · 3-16..20 · 3-23..27 · 3-30, 31 · 4-01..03 · 清明 4-04..06 · 4-07..10 = 20 working days).
Without a fee the reply is due 3-30 (20th working day after 3-02); paid 3-19, the 7 working days 3-11..3-19
are not counted → due 4-09.
"""
from datetime import date

import pytest
from sqlalchemy import select

from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.models import DEFAULT_OFFICE, HANDLER, InfoRequest, Office
from portal.reports.compute import compute_section3
from portal.reports.fee_summary import fee_year
from tests.factories.people import resident_id
from tests.factories.requests import APPLICANT, FIELDS, handed_in, user
from tests.factories.staff import login

RECEIPT = date(2026, 3, 2)
NOTICE = {"fee-on": "2026-03-10", "fee-received_on": "2026-03-12", "fee-basis": "按件", "fee-items": "5"}


@pytest.fixture
def desk(app):
    """A 经办人 signed in, and an applicant with 8 earlier applications in March 2026; returns (client, number, code).

    No app context stays pushed (the `calendar` fixture's would share one signed-in user between clients).
    """
    with app.app_context():
        ensure_seeded()
        handler = user("handler", HANDLER)
        for _ in range(8):
            handed_in(RECEIPT, handler)
        info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=RECEIPT, user=handler)
        number = info_request.tracking_number
    client = app.test_client()
    login(client, "handler")
    return client, number, code


@pytest.fixture
def stored(app):
    """stored(number): the application as stored now, read in an app context kept for the rest of the test."""
    ctx = app.app_context()

    def read(number: str) -> InfoRequest:
        if not ctx_pushed:
            ctx.push()
            ctx_pushed.append(True)
        db.session.expire_all()
        return db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))

    ctx_pushed: list = []
    yield read
    if ctx_pushed:
        ctx.pop()


def issue(client, number: str, **changes):
    """Preview then confirm the 收费通知 with NOTICE's values (changed as given)."""
    data = NOTICE | changes
    preview = client.post(f"/admin/requests/{number}/fee", data=data | {"step": "preview"})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    return client.post(f"/admin/requests/{number}/fee", data=data | {"step": "issue"})


def test_the_page_shows_the_monthly_count_without_the_identity_number(app, desk):
    client, number, _ = desk
    page = client.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "2026年3月，本机关此前已收到该申请人的申请 8 件" in page
    assert APPLICANT["id_number"] not in page


def test_the_fee_is_shown_before_the_notice_is_issued(app, desk, stored):
    client, number, _ = desk
    # 8 earlier + 5 items → ranks 9–13: 2 free, 3 × 100 = 300 元
    page = client.post(f"/admin/requests/{number}/fee", data=NOTICE | {"step": "preview"}).get_data(as_text=True)
    assert "合计 300 元" in page and "确认发出收费通知书" in page
    assert not [x for x in stored(number).letters if x.kind == "收费通知书"]


def test_issuing_the_notice_pauses_the_reply_and_mails_a_numbered_letter_without_remedy(app, desk, stored):
    client, number, _ = desk
    assert issue(client, number).status_code == 303
    r = stored(number)
    assert r.state == "待缴费" and r.due_date is None and r.fee_due == date(2026, 4, 10)
    letter = next(x for x in r.letters if x.kind == "收费通知书")
    assert "费字第1号" in letter.number
    for text in ("第四条（按件计收）", "合计 300 元", "人民币 300 元", Office.current().fee_payment_text,
                 "2026年4月10日", "视为放弃申请"):
        assert text in letter.body
    assert "行政复议" not in letter.body
    assert r.events[-1].fee_basis == "按件" and r.events[-1].fee_units == 5 and r.events[-1].amount == 300


def test_a_fee_in_the_free_range_is_refused_with_a_chinese_message(app, desk):
    client, number, _ = desk
    response = client.post(f"/admin/requests/{number}/fee", data=NOTICE | {"fee-items": "2", "step": "preview"})
    assert response.status_code == 422
    assert "在免费范围内，不收费。无需发出收费通知" in response.get_data(as_text=True)
    page = client.post(f"/admin/requests/{number}/fee",
                       data=NOTICE | {"fee-basis": "按量", "fee-pages": "30", "step": "preview"})
    assert page.status_code == 422 and "按量计收：在免费范围内" in page.get_data(as_text=True)


def test_the_tracking_page_shows_the_amount_and_the_date_to_pay(app, desk):
    client, number, code = desk
    issue(client, number)
    applicant = app.test_client()
    assert applicant.post("/apply/track", data={"number": number, "code": code}).status_code == 303
    page = applicant.get(f"/apply/track/{number}").get_data(as_text=True)
    assert "300 元" in page and "2026年4月10日" in page and "待缴费" in page


def test_payment_resumes_the_reply_period_and_is_refused_before_the_notice_was_received(app, desk, stored):
    client, number, _ = desk
    early = client.post(f"/admin/requests/{number}/fee-paid", data={"fee_paid-on": "2026-03-11"})
    assert early.status_code == 422  # no notice yet: the form is not even offered, the engine refuses
    issue(client, number)
    before = client.post(f"/admin/requests/{number}/fee-paid", data={"fee_paid-on": "2026-03-11"})
    assert before.status_code == 422 and "早于申请人收到收费通知的日期" in before.get_data(as_text=True)
    paid = client.post(f"/admin/requests/{number}/fee-paid",
                       data={"fee_paid-on": "2026-03-19", "fee_paid-receipt_number": "No.0012"})
    assert paid.status_code == 303
    r = stored(number)
    assert r.state == "办理中" and r.due_date == date(2026, 4, 9) and r.fee_due is None


def test_non_payment_ends_it_only_after_the_period_and_counts_as_unpaid_in_the_report(app, desk, stored):
    client, number, _ = desk
    issue(client, number)
    early = client.post(f"/admin/requests/{number}/fee-unpaid", data={"fee_unpaid-on": "2026-04-10"})
    assert early.status_code == 422 and "缴费期限 2026-04-10 尚未届满" in early.get_data(as_text=True)
    assert client.post(f"/admin/requests/{number}/fee-unpaid", data={"fee_unpaid-on": "2026-04-13"}).status_code == 303
    r = stored(number)
    assert r.state == "视为放弃"
    letter = r.letters[-1]
    assert letter.title == "政府信息公开申请视为放弃告知书（逾期未缴费）"
    assert "6个月内依法向人民法院提起行政诉讼" in letter.body  # the choice of 复议 or a lawsuit (其他处理)
    table = compute_section3(db.session, 2026, office_id=Office.first().id)
    unpaid = next(row for row in table.rows if row.ground == rl.UNPAID_FEE)
    assert table.ids(unpaid.key) == [r.id]
    assert table.balanced  # 一 + 二 = 三(七) + 四 in every column, with the fee case in the year


def test_section_six_states_the_years_notices_payments_and_amount(app, desk, admin_client, stored):
    client, number, _ = desk
    issue(client, number)
    client.post(f"/admin/requests/{number}/fee-paid", data={"fee_paid-on": "2026-03-19"})
    with app.app_context():
        other = handed_in(date(2026, 3, 3), user("h2", HANDLER), id_number=resident_id("11010519491231002"))
        other_number = other.tracking_number
    issue(client, other_number, **{"fee-basis": "按量", "fee-pages": "31", "fee-on": "2026-03-11",
                                   "fee-received_on": "2026-03-11"})
    admin_client.post("/admin/reports", data={"year": "2026"})
    page = admin_client.get("/admin/reports/2026").get_data(as_text=True)
    assert "收取信息处理费共计300元" in page
    stored(number)  # HTTP done: read the database in an app context from here on
    assert fee_year(db.session, 2026, office_id=Office.first().id).sentence() == (
        "2026年，本机关依据《政府信息公开信息处理费管理办法》发出收费通知2件，申请人缴费1件，收取信息处理费共计300元。")
    assert fee_year(db.session, 2025, office_id=Office.first().id).sentence() == "2025年，本机关未收取政府信息公开信息处理费。"
    assert compute_section3(db.session, 2026, office_id=Office.first().id).balanced


def test_the_payment_instructions_are_an_office_setting_the_notice_states(app, desk, admin_client, stored):
    client, number, _ = desk
    text = "请到石泉路街道党政办公室（示例路1号）窗口缴费，现场出具财政票据。"
    response = admin_client.post("/admin/settings", data=DEFAULT_OFFICE | {"fee_payment_text": text})
    assert response.status_code == 302
    assert "信息处理费缴纳方式" in admin_client.get("/admin/settings").get_data(as_text=True)
    issue(client, number)
    assert f"缴纳方式：{text}" in next(x for x in stored(number).letters if x.kind == "收费通知书").body


def test_the_queue_and_the_dashboard_flag_a_payment_period_that_has_passed(app, desk):
    client, number, _ = desk
    issue(client, number)  # last day to pay 2026-04-10, long past today
    queue = client.get("/admin/requests/?due=fee_over").get_data(as_text=True)
    assert number in queue and "等待缴费（缴费期限 2026-04-10）" in queue
    assert number not in client.get("/admin/requests/?due=overdue").get_data(as_text=True)
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "缴费期限已过" in dashboard and "due=fee_over" in dashboard
