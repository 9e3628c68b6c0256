"""Consultations through the staff pages over HTTP (条例 Art. 32, 34): the party's receipt day, its limit on the
page, in the queue and on the 工作台, the end of the pause, the 告知书, and the applicant's tracking page.

"Today" is fixed per test. Dates counted by hand on the 2026 State Council notice (国庆 10-01..07 off,
Sat 10-10 worked): received Thu 09-24 → due 10-29; 征求意见书 sent Mon 10-12 (7 working days counted, 13
left); received by the party Wed 10-14 → its 15 working days: 10-15, 16, 19..23, 26..30, 11-02, 03, 04 →
limit Wed 11-04; paused 10-13..11-04 = 17 working days → due 10-29 + 17 = Mon 11-23.
"""
from datetime import date

import pytest
from sqlalchemy import select

from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests import services
from portal.models import HANDLER, AuditEntry, InfoRequest, OutboxMessage, User
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.staff import login, make_user




@pytest.fixture
def desk(app):
    """A seeded calendar, a 经办人 signed in, and an application handed in on Thu 2026-09-24 (with its code)."""
    with app.app_context():
        ensure_seeded()
        handler = db.session.get(User, make_user("handler", HANDLER).id)
        info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 9, 24),
                                               user=handler)
        number = info_request.tracking_number
    client = app.test_client()
    assert login(client, "handler").status_code == 302
    return client, number, code


def act(client, number: str, action: str, **data):
    """Post one action's form as the page does (fields prefixed with the action's name)."""
    return client.post(f"/admin/requests/{number}/{action}", data={f"{action}-{k}": v for k, v in data.items()})


def consult(client, number: str, party_kind: str = "第三方", recipient: str = "某物业公司"):
    """The 征求意见书 of Mon 2026-10-12."""
    response = act(client, number, "consult", on="2026-10-12", party_kind=party_kind, recipient=recipient,
                   matter="某小区2025年维修资金使用明细")
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]


def page(client, number: str) -> str:
    """The application's staff page."""
    return client.get(f"/admin/requests/{number}").get_data(as_text=True)


def audit_actions(app, number: str) -> list[str]:
    """The audit actions written for this application (not the views)."""
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "info_request", AuditEntry.object_id == str(info_request.id),
            AuditEntry.action.not_in(["view_request", "view_letter"])).order_by(AuditEntry.id)))


def test_staff_record_the_receipt_day_and_see_the_limit_pass_everywhere(app, desk, today):
    client, number, code = desk
    today(date(2026, 11, 5))  # the day after the party's limit
    consult(client, number)
    before = page(client, number)
    # 5 working days from 10-12 end on 10-19: by 11-05 the missing receipt day is flagged.
    assert "登记对方收到征求意见书" in before and "送达待核实" in before
    assert "未登记对方收到日期" in client.get("/admin/").get_data(as_text=True)
    assert number in client.get("/admin/requests/?due=unconfirmed").get_data(as_text=True)

    response = act(client, number, "deliver", on="2026-10-14", party="第三方", how="邮寄签收")
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    html = page(client, number)
    assert "2026-11-04" in html and "已届满" in html and "送达待核实" not in html
    assert "由本机关依照条例的规定决定是否公开（条例第三十二条）" in html
    assert '<dd id="due-date">2026-11-23' in html
    assert "自 2026-11-05 起恢复计算答复期限" in html
    assert 'id="action-deliver"' in before and 'id="action-deliver"' not in html  # recorded once: the form is gone
    queue = client.get("/admin/requests/?due=consult_over").get_data(as_text=True)
    assert number in queue and "意见期限 2026-11-04（已届满，请结束征求意见）" in queue
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "征求意见需要处理" in dashboard and f"申请 {number}" in dashboard
    assert audit_actions(app, number) == ["register_request", "start_consultation", "record_delivery"]

    applicant = app.test_client()
    tracked = applicant.post("/apply/track", data={"number": number, "code": code}, follow_redirects=True)
    assert "2026年11月23日" in tracked.get_data(as_text=True)


def test_another_offices_silence_is_consent_on_the_page(app, desk, today):
    client, number, _ = desk
    today(date(2026, 11, 5))
    consult(client, number, "其他行政机关", "区民政局")
    assert act(client, number, "deliver", on="2026-10-14", party="其他行政机关：区民政局",
               how="电子邮件").status_code == 303
    html = page(client, number)
    assert "视为同意公开（条例第三十四条）" in html and '<dd id="due-date">2026-11-23' in html
    closed = act(client, number, "close", on="2026-11-05", party="其他行政机关：区民政局", reason="逾期未提出意见")
    assert closed.status_code == 303, closed.get_data(as_text=True)[-2000:]
    assert "办理中" in page(client, number)


def test_within_the_limit_the_tracking_page_gives_the_latest_reply_date(app, desk, today):
    client, number, code = desk
    today(date(2026, 10, 20))
    consult(client, number)
    assert act(client, number, "deliver", on="2026-10-14", party="第三方", how="当面送达").status_code == 303
    html = page(client, number)
    assert "即将届满" not in html and "（最迟；对方提前提出意见的相应提前）" in html
    # 10-20 → limit 11-04 is 11 working days away: not 即将届满; the queue shows the clock paused.
    assert "暂停计算（最迟 2026-11-23）" in client.get("/admin/requests/").get_data(as_text=True)
    tracked = app.test_client().post("/apply/track", data={"number": number, "code": code}, follow_redirects=True)
    text = tracked.get_data(as_text=True)
    assert "2026年11月23日" in text and "最迟" in text


def test_the_receipt_day_can_be_recorded_only_while_a_consultation_is_open(app, desk, today):
    client, number, _ = desk
    today(date(2026, 11, 5))
    response = act(client, number, "deliver", on="2026-10-14", party="第三方", how="邮寄签收")
    assert response.status_code == 422
    assert audit_actions(app, number) == ["register_request"]


def test_disclosing_against_a_third_partys_objection_issues_a_numbered_notice_to_it(app, desk, today):
    client, number, code = desk
    today(date(2026, 11, 5))
    consult(client, number)
    assert act(client, number, "deliver", on="2026-10-14", party="第三方", how="邮寄签收").status_code == 303
    undecided = act(client, number, "close", on="2026-11-05", party="第三方", reason="收到意见", opinion="不同意公开")
    assert undecided.status_code == 422 and "请选择本机关的决定" in undecided.get_data(as_text=True)
    closed = act(client, number, "close", on="2026-11-05", party="第三方", reason="收到意见", opinion="不同意公开",
                 decision="决定公开", disclosed="2025年维修资金使用明细（不含个人信息）",
                 grounds="维修资金涉及全体业主共同利益，不公开将对公共利益造成重大影响", disclose_on="2026-11-20")
    assert closed.status_code == 303, closed.get_data(as_text=True)[-2000:]
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        notice = next(x for x in info_request.letters if x.kind == "决定公开告知书")
        letter_id, title = notice.id, notice.number
        assert "告字第1号" in notice.number and not notice.for_applicant
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("告知书（第三方）"))) is None
    printed = client.get(f"/admin/requests/{number}/letters/{letter_id}").get_data(as_text=True)
    assert "某物业公司：" in printed and "决定公开的政府信息内容：2025年维修资金使用明细（不含个人信息）" in printed
    assert "决定公开的理由：维修资金涉及全体业主共同利益" in printed and "2026年11月20日起向申请人提供" in printed
    assert "第三十二条" in printed and title in printed
    html = page(client, number)
    assert "决定公开，2026-11-20 起公开" in html
    assert audit_actions(app, number)[-1] == "close_consultation"
    tracked = app.test_client().post("/apply/track", data={"number": number, "code": code}, follow_redirects=True)
    assert "决定公开告知书" not in tracked.get_data(as_text=True)


def test_a_limit_within_three_working_days_is_due_soon_on_the_page_and_in_the_queue(app, desk, today):
    client, number, _ = desk
    today(date(2026, 10, 30))  # Fri; the limit Wed 11-04 is the 3rd working day on (11-02, 03, 04)
    consult(client, number)
    assert act(client, number, "deliver", on="2026-10-14", party="第三方", how="邮寄签收").status_code == 303
    assert "即将届满" in page(client, number)
    soon = client.get("/admin/requests/?due=consult_soon").get_data(as_text=True)
    assert number in soon and "意见期限 2026-11-04（即将届满）" in soon
    assert number not in client.get("/admin/requests/?due=consult_over").get_data(as_text=True)


def test_an_objection_without_good_reason_is_disclosed_without_a_notice_and_the_reasons_are_kept(app, desk, today):
    client, number, _ = desk
    today(date(2026, 11, 5))
    consult(client, number)
    assert act(client, number, "deliver", on="2026-10-14", party="第三方", how="邮寄签收").status_code == 303
    assert "第三方的理由不成立（如所涉信息不属于其商业秘密、个人隐私），依照条例公开（不生成告知书）" in page(client, number)
    unexplained = act(client, number, "close", on="2026-11-05", party="第三方", reason="收到意见",
                      opinion="不同意公开", decision="理由不成立，予以公开")
    assert unexplained.status_code == 422 and "请写明理由" in unexplained.get_data(as_text=True)
    grounds = "维修资金使用明细为财政补贴资金的使用情况，不属于该公司的商业秘密"
    closed = act(client, number, "close", on="2026-11-05", party="第三方", reason="收到意见", opinion="不同意公开",
                 decision="理由不成立，予以公开", grounds=grounds)
    assert closed.status_code == 303, closed.get_data(as_text=True)[-2000:]
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        assert [x.kind for x in info_request.letters] == ["接收回执", "征求意见书"]  # Art. 32 asks for no letter
    html = page(client, number)
    assert "决定：理由不成立，予以公开" in html and grounds in html
    assert "条例第三十二条未要求就此书面告知第三方" in html


def test_an_opinion_dated_before_the_party_received_the_letter_is_refused_on_the_page(app, desk, today):
    client, number, _ = desk
    today(date(2026, 11, 5))
    consult(client, number)
    assert act(client, number, "deliver", on="2026-10-14", party="第三方", how="邮寄签收").status_code == 303
    early = act(client, number, "close", on="2026-10-13", party="第三方", reason="收到意见", opinion="同意公开")
    assert early.status_code == 422
    assert "第三方于 2026-10-14 才收到征求意见书，结束征求意见的日期 2026-10-13 不能早于该日" in early.get_data(as_text=True)
    assert audit_actions(app, number)[-1] == "record_delivery"
