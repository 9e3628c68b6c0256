"""No silent estimate, late acts flagged (issue 10 items 3, 4), through the staff pages over HTTP and the
applicant's tracking page. Dates counted by hand in tests/info_requests/test_estimates_and_late_acts.py
(2026 notice; 2027 not loaded: 元旦 Fri 2027-01-01 is the only estimated day off in early January)."""
from datetime import date

import pytest
from sqlalchemy import select

from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests import records, services
from portal.info_requests.staff import queue, views
from portal.models import HANDLER, HEAD, InfoRequest, Letter, User
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.staff import login, make_user


@pytest.fixture
def desk(app):
    """A seeded calendar (2004–2026), a 经办人 and a 负责人 who is also a 经办人."""
    with app.app_context():
        ensure_seeded()
        make_user("handler", HANDLER)
        make_user("head", HEAD, HANDLER)



def signed_in(app, username: str):
    """A client signed in as this account."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def register(app, day: date, channel: str = "当面") -> tuple[str, str]:
    """An application registered by the 经办人 on `day`; (tracking number, query code)."""
    with app.app_context():
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        info_request, code = services.register(FIELDS, APPLICANT, channel=channel, receipt_date=day, user=handler)
        return info_request.tracking_number, code


def tracking_page(app, number: str, code: str) -> str:
    """The applicant's tracking page, reached with the number and the query code."""
    public = app.test_client()
    public.post("/apply/track", data={"number": number, "code": code})
    return public.get(f"/apply/track/{number}").get_data(as_text=True)


def dd(html: str, label: str) -> str:
    """The text of the <dd> after the <dt> with this label."""
    return html.split(f"<dt>{label}</dt>")[1].split("</dd>")[0]


def test_an_estimated_correction_deadline_is_marked_everywhere_it_is_shown(app, desk, today):
    today(date(2026, 12, 17))
    number, code = register(app, date(2026, 12, 15))
    handler = signed_in(app, "handler")
    response = handler.post(f"/admin/requests/{number}/correction", data={
        "correction-on": "2026-12-17", "correction-points": "请写明所需文件的年份", "correction-period": "workdays",
        "correction-workdays": "15"})
    assert response.status_code == 303
    page = handler.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "2027-01-08" in dd(page, "补正期限") and "暂定" in dd(page, "补正期限")
    assert "暂定" not in dd(page, "答复期限")  # no reply date yet: nothing else is marked
    with app.app_context():
        letter = db.session.scalar(select(Letter).filter_by(kind="补正告知书"))
        assert ("请于2027年1月8日前（本告知书作出之日起15个工作日内）（2027年节假日安排尚未公布，按现行放假办法推算；"
                "如国务院公布的安排不同，以更正后日期为准") in letter.body
        row = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        assert row.correction_due == date(2027, 1, 8) and row.correction_provisional and not row.due_provisional
        assert row.events[-1].told == date(2027, 1, 8)  # what the letter said, kept for 视为放弃
    queue_html = handler.get("/admin/requests/").get_data(as_text=True)
    line = queue_html.split(f">{number}</a>")[1].split("</tr>")[0]
    assert "补正期限 2027-01-08" in line and "暂定" in line
    dashboard = handler.get("/admin/").get_data(as_text=True)
    assert '<span class="count">1</span><span class="count-label">期限暂定</span>' in dashboard
    listed = handler.get("/admin/requests/?due=provisional").get_data(as_text=True)
    assert number in listed and "共 1 件" in listed
    applicant = tracking_page(app, number, code)
    assert "2027年1月8日" in dd(applicant, "补正期限") and "暂定" in dd(applicant, "补正期限")


def test_an_estimated_reply_date_is_marked_on_its_own_and_stated_so_in_the_receipt(app, desk, today):
    # Received Thu 12-10: 12-11 (1), 12-14..18 (6), 12-21..25 (11), 12-28..31 (15), 01-01 estimated off, 01-04..08 (20).
    today(date(2026, 12, 10))
    number, code = register(app, date(2026, 12, 10))
    page = signed_in(app, "handler").get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "2027-01-08" in dd(page, "答复期限") and "暂定" in dd(page, "答复期限")
    assert "暂定" not in dd(page, "补正告知期限")  # 12-11..17, 12-18: 7 working days, all in 2026
    with app.app_context():
        receipt = db.session.scalar(select(Letter).filter_by(kind="接收回执"))
        assert "即2027年1月8日（2027年节假日安排尚未公布，按现行放假办法推算" in receipt.body
    assert "暂定" in dd(tracking_page(app, number, code), "答复期限")


def test_a_reply_after_a_late_extension_is_flagged_as_late_on_the_page_and_in_the_queue(app, desk, today):
    # Received Thu 09-24, due 10-29; extension decided 10-30 (late) to 11-12; replied 11-05.
    today(date(2026, 11, 5))
    number, _ = register(app, date(2026, 9, 24))
    head = signed_in(app, "head")
    assert head.post(f"/admin/requests/{number}/extend", data={
        "extend-on": "2026-10-30", "extend-workdays": "10", "extend-reason": "需调取档案"}).status_code == 303
    assert head.post(f"/admin/requests/{number}/reply", data={
        "reply-on": "2026-11-05", "reply-outcome": "予以公开", "reply-note": ""}).status_code == 303
    page = head.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "逾期延期" in dd(page, "延长")
    assert "逾期答复" in dd(page, "答复日期") and "法定答复期限 2026-10-29" in dd(page, "答复日期")
    late = head.get("/admin/requests/?due=replied_late").get_data(as_text=True)
    assert "共 1 件" in late and "逾期答复" in late.split(f">{number}</a>")[1].split("</tr>")[0]
    with app.app_context():
        assert db.session.scalar(select(InfoRequest.replied_late).filter_by(tracking_number=number)) is True
    report_cell = head.get("/admin/reports/2026/cell/s3.new.total").get_data(as_text=True)  # the annual report's 本年新收
    assert "逾期答复" in report_cell.split(f">{number}</th>")[1].split("</tr>")[0]


def test_an_art_35_delay_decided_after_the_limit_is_flagged(app, desk, today):
    today(date(2026, 10, 30))
    number, _ = register(app, date(2026, 9, 24))
    head = signed_in(app, "head")
    assert head.post(f"/admin/requests/{number}/delay", data={
        "delay-on": "2026-10-30", "delay-until": "2026-11-30", "delay-reason": "申请数量明显超过合理范围"}).status_code == 303
    shown = dd(head.get(f"/admin/requests/{number}").get_data(as_text=True), "延迟答复期限")
    assert "逾期决定" in shown and "决定时已超过答复期限 2026-10-29" in shown


def test_a_late_confirmation_is_refused_without_a_reason_and_flagged_with_one(app, desk, today):
    today(date(2026, 12, 3))
    number, _ = register(app, date(2026, 12, 1), channel="平常信函")
    handler = signed_in(app, "handler")
    refused = handler.post(f"/admin/requests/{number}/confirm", data={"confirm-on": "2026-12-03", "confirm-reason": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "申请于 2026-12-01 到达，确认日期 2026-12-03 晚于到达之日：请填写未能当日确认的原因" in html
    assert 'value="2026-12-03"' in html  # what was typed is kept
    assert handler.post(f"/admin/requests/{number}/confirm", data={
        "confirm-on": "2026-12-03", "confirm-reason": "12月1日、2日致电申请人均未接通"}).status_code == 303
    page = handler.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "确认晚于到达之日" in dd(page, "收到申请日期") and "2026-12-01 到达" in dd(page, "收到申请日期")
    assert "12月1日、2日致电申请人均未接通" in page.split('id="timeline-title"')[1]


def test_a_confirmation_on_the_day_of_arrival_needs_no_reason(app, desk, today):
    today(date(2026, 12, 1))
    number, _ = register(app, date(2026, 12, 1), channel="传真")
    handler = signed_in(app, "handler")
    assert handler.post(f"/admin/requests/{number}/confirm", data={"confirm-on": "2026-12-01"}).status_code == 303
    assert "确认晚于到达之日" not in handler.get(f"/admin/requests/{number}").get_data(as_text=True)


def test_a_late_correction_notice_keeps_the_first_limit_beside_the_restarted_one(app, desk, today):
    # Received 09-24, notice due 10-12; notice 10-13 (late), corrected 10-16 → restarted due 11-13, first limit 10-29.
    today(date(2026, 10, 16))
    number, code = register(app, date(2026, 9, 24))
    handler = signed_in(app, "handler")
    assert handler.post(f"/admin/requests/{number}/correction", data={
        "correction-on": "2026-10-13", "correction-points": "请写明所需文件的年份", "correction-period": "workdays",
        "correction-workdays": "5"}).status_code == 303
    waiting = dd(handler.get(f"/admin/requests/{number}").get_data(as_text=True), "答复期限")
    assert "原答复期限 2026-10-29（补正告知逾期）" in waiting
    assert handler.post(f"/admin/requests/{number}/corrected", data={"corrected-on": "2026-10-16"}).status_code == 303
    due = dd(handler.get(f"/admin/requests/{number}").get_data(as_text=True), "答复期限")
    assert "2026-11-13" in due and "原答复期限 2026-10-29（补正告知逾期）" in due
    applicant = dd(tracking_page(app, number, code), "答复期限")
    assert "2026年11月13日" in applicant and "原答复期限 2026年10月29日（补正告知逾期）" in applicant


def test_an_estimated_consultation_limit_is_marked_on_the_page_in_the_queue_and_on_the_dashboard(app, desk, today):
    # 征求意见书 received by the third party Wed 12-16: 12-17,18 (2), 12-21..25 (7), 12-28..31 (11), 01-04..07 (15)
    # → 2027-01-07, an estimate. On 2027-01-08 it has passed: the 工作台 reminds staff, still marked 暂定.
    today(date(2027, 1, 8))
    number, _ = register(app, date(2026, 12, 1))
    with app.app_context():
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        services.start_consultation(info_request, date(2026, 12, 15), handler, party_kind="第三方",
                                    recipient="某物业公司", matter="维修资金明细")
        services.record_delivery(info_request, date(2026, 12, 16), handler, how="当面送达")
    client = signed_in(app, "handler")
    table = client.get(f"/admin/requests/{number}").get_data(as_text=True).split('id="consultations"')[1]
    limit = table.split('data-label="意见期限">')[1].split("</td>")[0]
    assert "2027-01-07" in limit and "暂定" in limit
    line = client.get("/admin/requests/").get_data(as_text=True).split(f">{number}</a>")[1].split("</tr>")[0]
    assert "意见期限 2027-01-07（暂定）" in line
    reminders = client.get("/admin/").get_data(as_text=True).split('id="consult-reminders"')[1]
    assert f"申请 {number}</a>：意见期限 2027-01-07（暂定）（已届满，请结束征求意见）" in reminders


def test_the_tracking_page_shows_the_applicant_no_staff_reason_instruction_or_consulted_partys_answer(app, desk,
                                                                                                    today):
    # A plain letter arrived Mon 03-02, confirmed Wed 03-04 with a staff-typed reason; the third party got the
    # 征求意见书 of Thu 03-05 on Fri 03-06 and objected on Tue 03-10 (withheld); another office was consulted on
    # Wed 03-11 with no receipt day recorded: 5 working days 03-12, 13, 16, 17, 18 → flagged from Thu 03-19.
    today(date(2026, 3, 19))
    number, code = register(app, date(2026, 3, 2), channel="平常信函")
    reason = "当日电话无人接听（内部备注）"
    with app.app_context():
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        services.confirm(info_request, date(2026, 3, 4), handler, reason=reason)
        services.start_consultation(info_request, date(2026, 3, 5), handler, party_kind="第三方", recipient="李四",
                                    matter="维修资金明细")
        services.record_delivery(info_request, date(2026, 3, 6), handler, party="第三方", how="当面送达")
        services.close_consultation(info_request, date(2026, 3, 10), handler, party="第三方", opinion="不同意公开",
                                    decision="不予公开")
        services.start_consultation(info_request, date(2026, 3, 11), handler, party_kind="其他行政机关",
                                    recipient="普陀区住房保障局", matter="加装电梯补贴文件")
        code = services.reset_query_code(info_request, handler)
    private = [reason, "请核实送达情况并登记收到日期", "意见：不同意公开", "第三方不同意公开且有合理理由，不予公开"]
    staff = signed_in(app, "handler").get(f"/admin/requests/{number}").get_data(as_text=True)
    for text in private:
        assert text in staff
    public = tracking_page(app, number, code)
    for text in private:
        assert text not in public
    assert "征求意见：2026-03-05 发出征求意见书，自 2026-03-06 起暂停计算答复期限至 2026-03-10，共 3 个工作日" in public
    assert "申请于 2026-03-02 到达，2026-03-04 与您确认" in public
