"""The applicant withdraws on the tracking page: two steps, POST only, the same record as staff's withdrawal."""
from datetime import date

import pytest
from sqlalchemy import select

from portal.core.clock import office_today
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.models import AuditEntry, InfoRequest, Letter, Office, OutboxMessage
from portal.models.staff import HANDLER
from portal.reports.compute import compute_section3
from tests.factories.people import resident_id
from tests.factories.requests import FIELDS, clerk
from tests.factories.smtp import wait_for_mail
from tests.factories.staff import login

APPLICANT = {"name": "张三丰", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000",
             "email": "zhangsan@example.com"}


@pytest.fixture
def handed_in(calendar):
    """An application handed in on 2026-11-02 (办理中), its tracking number and code."""
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2),
                                           user=clerk())
    return info_request.tracking_number, code


def tracking(app, number, code):
    """A client that has given the application's number and code."""
    client = app.test_client()
    assert client.post("/apply/track", data={"number": number, "code": code}).status_code == 303
    return client


def state(number):
    """The application's stored state, read afresh."""
    db.session.expire_all()
    return db.session.scalar(select(InfoRequest.state).filter_by(tracking_number=number))


def test_withdrawing_needs_a_confirming_post_after_the_reason(app, handed_in):
    number, code = handed_in
    client = tracking(app, number, code)
    status = client.get(f"/apply/track/{number}").get_data(as_text=True)
    assert f'href="/apply/track/{number}/withdraw"' in status
    page = client.get(f"/apply/track/{number}/withdraw")
    assert page.status_code == 200 and "撤回理由" in page.get_data(as_text=True)
    assert state(number) == "办理中"  # a GET changes nothing
    review = client.post(f"/apply/track/{number}/withdraw", data={"reason": "已从其他渠道获得"})
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "确认撤回" in html and "已从其他渠道获得" in html
    assert state(number) == "办理中"  # the first POST only asks for confirmation
    done = client.post(f"/apply/track/{number}/withdraw", data={"reason": "已从其他渠道获得", "confirm": "yes"})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/apply/track/{number}")
    assert state(number) == "已撤回"
    assert "已撤回：您于" in client.get(done.headers["Location"]).get_data(as_text=True)


def test_the_withdrawal_is_the_applicants_step_with_its_letter_and_audit_row(app, handed_in):
    number, code = handed_in
    tracking(app, number, code).post(f"/apply/track/{number}/withdraw", data={"reason": "不再需要", "confirm": "yes"})
    info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
    event = info_request.events[-1]
    assert (event.kind, event.actor, event.reason, event.date) == ("withdrawn", "申请人", "不再需要", office_today())
    letter = db.session.scalar(select(Letter).filter_by(info_request_id=info_request.id, kind="撤回确认书"))
    assert letter.title == "政府信息公开申请撤回确认书" and "不再处理该申请" in letter.body
    entry = db.session.scalar(select(AuditEntry).filter_by(action="withdraw_online"))
    assert entry.actor_name == "申请人" and "不再需要" in entry.summary


def test_going_back_from_the_confirmation_keeps_the_reason_and_withdraws_nothing(app, handed_in):
    number, code = handed_in
    client = tracking(app, number, code)
    back = client.post(f"/apply/track/{number}/withdraw", data={"reason": "写错了", "back": "1"})
    assert back.status_code == 200 and "写错了" in back.get_data(as_text=True)
    assert "下一步：确认撤回" in back.get_data(as_text=True) and state(number) == "办理中"


def test_a_reason_over_200_characters_is_refused_in_chinese_and_kept(app, handed_in):
    number, code = handed_in
    response = tracking(app, number, code).post(f"/apply/track/{number}/withdraw",
                                                data={"reason": "长" * 201, "confirm": "yes"})
    assert response.status_code == 422 and "撤回理由不能超过200个字" in response.get_data(as_text=True)
    assert "长" * 201 in response.get_data(as_text=True) and state(number) == "办理中"


def test_only_a_browser_that_gave_the_code_can_withdraw(app, handed_in):
    number, _ = handed_in
    stranger = app.test_client()
    response = stranger.post(f"/apply/track/{number}/withdraw", data={"confirm": "yes"})
    assert response.status_code == 302 and "/apply/track?number=" in response.headers["Location"]
    assert state(number) == "办理中"


def test_a_withdrawal_without_the_csrf_token_is_refused(app_with, handed_in):
    number, code = handed_in
    client = app_with(WTF_CSRF_ENABLED=True).test_client()
    with client.session_transaction() as session:
        session["tracked_requests"] = [db.session.scalar(select(InfoRequest.id))]
    assert client.post(f"/apply/track/{number}/withdraw", data={"confirm": "yes"}).status_code == 400
    assert state(number) == "办理中"


def test_a_closed_application_cannot_be_withdrawn(app, handed_in):
    number, code = handed_in
    info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
    services.reply(info_request, date(2026, 11, 20), clerk(), outcome=rl.DISCLOSED)
    client = tracking(app, number, code)
    assert "在线撤回申请" not in client.get(f"/apply/track/{number}").get_data(as_text=True)
    for response in (client.get(f"/apply/track/{number}/withdraw"),
                     client.post(f"/apply/track/{number}/withdraw", data={"confirm": "yes"})):
        assert response.status_code == 409 and "不能再撤回" in response.get_data(as_text=True)
    assert state(number) == "已答复"


def test_an_application_awaiting_confirmation_can_be_withdrawn_and_is_not_counted(app, calendar):
    info_request, code = services.register(FIELDS, APPLICANT, channel="平常信函", receipt_date=date(2026, 11, 2),
                                           user=clerk())
    number = info_request.tracking_number
    tracking(app, number, code).post(f"/apply/track/{number}/withdraw", data={"confirm": "yes"})
    assert state(number) == "已撤回"
    table = compute_section3(db.session, 2026, office_id=Office.first().id)
    assert table.count("new") == 0 and table.count("total") == 0 and table.balanced  # never received


def test_an_online_withdrawal_counts_as_other_handling_in_the_annual_report(app, handed_in):
    number, code = handed_in
    tracking(app, number, code).post(f"/apply/track/{number}/withdraw", data={"confirm": "yes"})
    table = compute_section3(db.session, 2026, office_id=Office.first().id)
    # Received 2026-11-02, withdrawn today (2026): new this year and finished on 三(六)3 其他.
    assert table.count("new", "citizen") == 1 and table.count("other-3", "citizen") == 1
    assert table.count("carried_out") == 0 and table.balanced


def test_staff_see_online_withdrawals_in_the_queue_and_on_the_dashboard(app, staff, handed_in):
    number, code = handed_in
    other, _ = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2), user=clerk())
    services.withdraw(other, date(2026, 11, 3), clerk(), reason="电话告知")  # recorded by staff: not online
    tracking(app, number, code).post(f"/apply/track/{number}/withdraw", data={"confirm": "yes"})
    staff("handler1", HANDLER)
    client = app.test_client()
    login(client, "handler1")
    queue = client.get("/admin/requests/?state=online_withdrawn").get_data(as_text=True)
    assert number in queue and other.tracking_number not in queue and "申请人在线撤回</span>" in queue
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "申请人在线撤回（近30日）" in dashboard and "state=online_withdrawn" in dashboard
    page = client.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "申请人通过门户在线撤回" in page  # the timeline names the applicant's own step


def test_the_confirmation_and_the_office_notice_arrive_by_real_smtp(app, handed_in, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    number, code = handed_in
    wait_for_mail(app)
    smtp_server.messages.clear()  # the counter's 接收回执
    tracking(app, number, code).post(f"/apply/track/{number}/withdraw", data={"reason": "不再需要", "confirm": "yes"})
    wait_for_mail(app)
    by_address = {m.rcpt_tos[0]: m.message for m in smtp_server.messages}
    assert set(by_address) == {"zhangsan@example.com", "gkb@example.gov.cn"}
    letter = by_address["zhangsan@example.com"]
    assert number in letter["Subject"] and "撤回" in letter["Subject"]
    assert "不再处理该申请" in letter.get_content() and "不再需要" in letter.get_content()
    notice = by_address["gkb@example.gov.cn"].get_content()
    assert number in notice and "13800138000" not in notice and "张三丰" not in notice
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))) is None
