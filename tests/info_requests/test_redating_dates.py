"""Importing a year the calendar lacked re-dates open applications: the history names which date moved (答复期限,
补正期限, 对方意见期限), the applicant is mailed (real SMTP) for the reply date and the 补正 deadline, never about
the consulted party, and 视为放弃 still waits for the 补正 deadline the applicant was given in writing.

Counted on the 2026 notice (no holiday or make-up day in December 2026); 2027 estimated: only 元旦 Fri 01-01 off.
- 补正 on Thu 12-17 for 15 working days: 12-18 (1), 12-21..25 (6), 12-28..31 (10), 01-04..08 (15) → 2027-01-08.
- Received Thu 12-10: 12-11 (1), 12-14..18 (6), 12-21..25 (11), 12-28..31 (15), 01-04..08 (20) → 2027-01-08.
EARLIER (Sat 01-02 worked): both become 01-07 (the 11th / 16th working day is Sat 01-02).
LATER (01-01..01-04 off): both become 01-11 (01-05..08 then 01-11).
"""
from datetime import date

import pytest
from sqlalchemy import select

from portal.calendar.changes import import_schedule
from portal.calendar.store import ensure_seeded
from portal.core import audit
from portal.core.clock import OFFICE_TZ
from portal.extensions import db
from portal.info_requests import fee_steps, records, services
from portal.models import HANDLER, InfoRequest, User
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.smtp import wait_for_mail
from tests.factories.staff import login, make_user

REST_OF_2027 = """2027-02-05~2027-02-11,休,春节
2027-04-05,休,清明节
2027-05-01~2027-05-05,休,劳动节
2027-06-09,休,端午节
2027-09-15,休,中秋节
2027-10-01~2027-10-07,休,国庆节
"""
# Made up for tests (not the official 2027 schedule).
EARLIER = "2027-01-01,休,元旦\n2027-01-02,班,元旦调休上班（测试）\n" + REST_OF_2027
LATER = "2027-01-01~2027-01-04,休,元旦\n" + REST_OF_2027


@pytest.fixture
def office(app, smtp_server, monkeypatch):
    """Mail through the real SMTP server, the calendar seeded (to 2026), a 经办人, and today 2026-12-17."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    monkeypatch.setattr(records, "office_today", lambda: date(2026, 12, 17))
    with app.app_context():
        ensure_seeded()
        handler = db.session.get(User, make_user("handler", HANDLER).id)
        yield handler


def apply(handler, day: date, email: str) -> InfoRequest:
    """An application handed in on `day` by an applicant with this e-mail address."""
    info_request, _ = services.register(FIELDS, APPLICANT | {"email": email}, channel="当面", receipt_date=day,
                                        user=handler)
    return info_request


def correcting(handler, email: str = "buzheng@example.com") -> InfoRequest:
    """Received 12-15, 补正告知书 on 12-17 for 15 working days: it states 2027-01-08 (an estimate)."""
    info_request = apply(handler, date(2026, 12, 15), email)
    services.request_correction(info_request, date(2026, 12, 17), handler, points="请写明所需文件的年份", workdays=15)
    return info_request


def mail_to(smtp_server, address: str) -> list[str]:
    """The texts of the messages the server received for this address."""
    return [m.message.get_content() for m in smtp_server.messages if address in m.rcpt_tos]


def redated(info_request: InfoRequest) -> list[str]:
    """The summaries of the application's re-datings."""
    return [e.summary for e in audit.history("info_request", info_request.id) if e.action == "request_redated"]


def test_an_import_moving_the_correction_deadline_earlier_keeps_the_told_date_and_says_so(app, office, smtp_server,
                                                                                          monkeypatch):
    info_request = correcting(office)
    replying = apply(office, date(2026, 12, 10), "dafu@example.com")
    assert (info_request.correction_due, replying.due_date) == (date(2027, 1, 8), date(2027, 1, 8))
    wait_for_mail(app)
    smtp_server.messages.clear()  # the letters so far

    import_schedule(EARLIER.encode())
    row = db.session.get(InfoRequest, info_request.id)
    assert row.correction_due == date(2027, 1, 7) and not row.correction_provisional
    assert any("补正期限由 2027-01-08 改为 2027-01-07（已按正式安排确定）" in s for s in redated(row))
    assert any("答复期限由 2027-01-08 改为 2027-01-07（已按正式安排确定）" in s for s in redated(replying))
    assert row.events[-1].told == date(2027, 1, 8)  # the earlier date was never what the applicant was given
    wait_for_mail(app)
    told, = mail_to(smtp_server, "buzheng@example.com")
    assert "按正式安排计算，补正期限为 2027年1月7日，早于已告知您的 2027年1月8日" in told
    assert "本机关仍以 2027年1月8日 为您的补正期限" in told
    reply_mail, = mail_to(smtp_server, "dafu@example.com")
    assert "答复期限由 2027年1月8日 调整为 2027年1月7日" in reply_mail

    monkeypatch.setattr(records, "office_today", lambda: date(2027, 1, 8))
    with pytest.raises(ValueError, match="已书面告知申请人的补正期限 2027-01-08 尚未届满，不能于 2027-01-08 视为放弃"):
        services.mark_abandoned(row, date(2027, 1, 8), office)
    monkeypatch.setattr(records, "office_today", lambda: date(2027, 1, 11))
    services.mark_abandoned(row, date(2027, 1, 11), office)
    assert row.state == "视为放弃"
    letter = row.letters[-1]
    assert letter.kind == "视为放弃告知书" and "请您于2027年1月8日前提交补正后的申请" in letter.body


def test_an_import_moving_the_correction_deadline_later_mails_it_and_it_becomes_the_told_date(app, office, smtp_server):
    info_request = correcting(office)
    number = info_request.tracking_number
    wait_for_mail(app)
    smtp_server.messages.clear()

    import_schedule(LATER.encode())
    row = db.session.get(InfoRequest, info_request.id)
    assert row.correction_due == date(2027, 1, 11) and row.events[-1].told == date(2027, 1, 11)
    wait_for_mail(app)
    told, = mail_to(smtp_server, "buzheng@example.com")
    assert f"申请编号 {number}" in told and "补正期限由 2027年1月8日 调整为 2027年1月11日" in told
    moved_on = audit.history("info_request", row.id)[-1].at.astimezone(OFFICE_TZ).date().isoformat()

    db.session.commit()
    public = app.test_client()
    code = services.reset_query_code(row, office)
    public.post("/apply/track", data={"number": number, "code": code})
    page = public.get(f"/apply/track/{number}").get_data(as_text=True)
    assert f"因节假日安排调整，补正期限于 {moved_on} 由 2027-01-08 调整为 2027-01-11" in page
    assert "暂定" not in page.split("<dt>补正期限</dt>")[1].split("</dd>")[0]


def test_a_consulted_partys_limit_is_named_in_the_history_but_never_mailed_to_the_applicant(app, office, smtp_server):
    # Received Tue 12-01; 征求意见书 sent 12-15, received by the third party Wed 12-16: its 15 working days
    # 12-17,18 (2), 12-21..25 (7), 12-28..31 (11), 01-04..07 (15) → 2027-01-07 estimated; LATER: 01-05..08 → 01-08.
    info_request = apply(office, date(2026, 12, 1), "zixun@example.com")
    services.start_consultation(info_request, date(2026, 12, 15), office, party_kind="第三方", recipient="某物业公司",
                                matter="维修资金明细")
    services.record_delivery(info_request, date(2026, 12, 16), office, how="当面送达")
    assert info_request.consultation_due == date(2027, 1, 7) and info_request.consultation_provisional
    wait_for_mail(app)
    smtp_server.messages.clear()

    import_schedule(LATER.encode())
    row = db.session.get(InfoRequest, info_request.id)
    assert row.consultation_due == date(2027, 1, 8) and not row.consultation_provisional
    history, = redated(row)
    assert "对方意见期限由 2027-01-07 改为 2027-01-08（已按正式安排确定）" in history
    wait_for_mail(app)
    for text in mail_to(smtp_server, "zixun@example.com"):
        assert "意见期限" not in text and "第三方" not in text and "物业" not in text


def test_a_cache_filled_for_the_first_time_is_not_reported_as_a_move(app, office, smtp_server):
    # An application waiting for its 补正 from before migration 0010: no cached 补正 deadline. LATER moves its
    # computed deadline (01-08 → 01-11), but nothing recorded the old one: the cache is filled, nothing is claimed.
    info_request = correcting(office)
    info_request.correction_due, info_request.correction_provisional = None, False
    db.session.commit()
    wait_for_mail(app)
    smtp_server.messages.clear()
    _, moved = import_schedule(LATER.encode())
    row = db.session.get(InfoRequest, info_request.id)
    assert moved == [] and redated(row) == [] and row.correction_due == date(2027, 1, 11)
    wait_for_mail(app)
    assert mail_to(smtp_server, "buzheng@example.com") == []


def test_a_withdrawn_application_is_neither_re_dated_nor_mailed(app, office, smtp_server):
    # Received Thu 12-10: its 20 working days end 2027-01-08 (estimated, see the module docstring); withdrawn
    # Mon 12-14, so LATER (which would move it to 01-11) concerns nobody: no history line, no mail.
    info_request = apply(office, date(2026, 12, 10), "chehui@example.com")
    services.withdraw(info_request, date(2026, 12, 14), office, reason="申请人不再需要")
    assert info_request.state == "已撤回"
    wait_for_mail(app)
    smtp_server.messages.clear()
    _, moved = import_schedule(LATER.encode())
    assert moved == [] and redated(db.session.get(InfoRequest, info_request.id)) == []
    wait_for_mail(app)
    assert mail_to(smtp_server, "chehui@example.com") == []


def charged(handler, monkeypatch, email: str = "jiaofei@example.com") -> InfoRequest:
    """Received Tue 12-01, 收费通知书 sent and received Thu 12-17: the last day to pay is the 20th working day
    after it, 12-18 (1), 12-21..25 (6), 12-28..31 (10), [01-01 元旦], 01-04..08 (15), 01-11..15 (20)
    → 2027-01-15 (estimated)."""
    monkeypatch.setattr(fee_steps, "office_today", lambda: date(2026, 12, 17))
    info_request = apply(handler, date(2026, 12, 1), email)
    fee_steps.notify_fee(info_request, date(2026, 12, 17), handler, basis="按量", pages=200)
    return info_request


def test_an_import_moving_the_last_day_to_pay_earlier_keeps_the_told_date_and_says_so(app, office, smtp_server,
                                                                                      monkeypatch):
    # EARLIER (Sat 01-02 worked): 12-18 (1) … 12-31 (10), 01-02 (11), 01-04..08 (16), 01-11..14 (20) → 01-14.
    info_request = charged(office, monkeypatch)
    assert (info_request.fee_due, info_request.fee_provisional) == (date(2027, 1, 15), True)
    assert info_request.events[-1].told == date(2027, 1, 15)
    assert "即2027年1月15日（2027年节假日安排尚未公布" in info_request.letters[-1].body
    client = app.test_client()
    login(client, "handler")
    db.session.commit()
    queue = client.get("/admin/requests/?due=provisional").get_data(as_text=True)
    assert info_request.tracking_number in queue and "缴费期限 2027-01-15，暂定" in queue
    wait_for_mail(app)
    smtp_server.messages.clear()

    import_schedule(EARLIER.encode())
    row = db.session.get(InfoRequest, info_request.id)
    assert (row.fee_due, row.fee_provisional) == (date(2027, 1, 14), False)
    assert any("缴费期限由 2027-01-15 改为 2027-01-14（已按正式安排确定）" in s for s in redated(row))
    assert row.events[-1].told == date(2027, 1, 15)
    wait_for_mail(app)
    told, = mail_to(smtp_server, "jiaofei@example.com")
    assert "按正式安排计算，缴费期限为 2027年1月14日，早于已告知您的 2027年1月15日" in told
    assert "本机关仍以 2027年1月15日 为您的缴费期限，在此之前缴纳的均予受理" in told

    monkeypatch.setattr(records, "office_today", lambda: date(2027, 1, 15))
    with pytest.raises(ValueError, match="已书面告知申请人的缴费期限 2027-01-15 尚未届满，不能于 2027-01-15 认定逾期未缴费"):
        fee_steps.end_unpaid(row, date(2027, 1, 15), office)
    monkeypatch.setattr(records, "office_today", lambda: date(2027, 1, 18))
    fee_steps.end_unpaid(row, date(2027, 1, 18), office)
    assert row.state == "视为放弃" and "缴费期限至2027年1月15日" in row.letters[-1].body


def test_an_import_moving_the_last_day_to_pay_later_mails_it_and_it_becomes_the_told_date(app, office, smtp_server,
                                                                                         monkeypatch):
    # LATER (01-01..01-04 off): 12-18 (1) … 12-31 (10), 01-05..08 (14), 01-11..15 (19), 01-18 (20) → 01-18.
    info_request = charged(office, monkeypatch)
    wait_for_mail(app)
    smtp_server.messages.clear()
    import_schedule(LATER.encode())
    row = db.session.get(InfoRequest, info_request.id)
    assert row.fee_due == date(2027, 1, 18) and row.events[-1].told == date(2027, 1, 18)
    wait_for_mail(app)
    told, = mail_to(smtp_server, "jiaofei@example.com")
    assert "缴费期限由 2027年1月15日 调整为 2027年1月18日" in told


def test_the_queue_shows_the_correction_deadline_told_not_an_earlier_recount(app, office, smtp_server):
    # 补正告知书 of 12-17 told 2027-01-08; EARLIER recounts it as 01-07 (see the module docstring): the queue
    # shows the 01-08 the applicant goes by, without 暂定 (the told date is fixed by the letter).
    info_request = correcting(office)
    import_schedule(EARLIER.encode())
    db.session.commit()
    client = app.test_client()
    login(client, "handler")
    queue = client.get("/admin/requests/?state=待补正").get_data(as_text=True)
    cell = queue.split(f">{info_request.tracking_number}</a>")[1].split("</tr>")[0]
    assert "补正期限 2027-01-08" in cell and "2027-01-07" not in cell and "暂定" not in cell
