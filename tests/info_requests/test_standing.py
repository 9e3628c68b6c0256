"""The tracking page's summary: the outcome in words, the next steps, and remedy deadlines counted by hand."""
import re
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from portal.calendar.store import load_calendar
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.info_requests.deadlines import DeadlineState
from portal.info_requests.events import Status
from portal.info_requests.records import deadline_of
from portal.info_requests.releases import record_handover
from portal.info_requests.standing import add_months, remedy_for, settled, standing
from portal.models import OutboxMessage
from tests.factories.people import resident_id
from tests.factories.requests import FIELDS, clerk
from tests.factories.smtp import wait_for_mail

D = date
APPLICANT = {"name": "张三丰", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000",
             "email": "zhangsan@example.com"}


def test_a_period_in_months_ends_on_the_same_day_or_the_months_last_day():
    assert add_months(D(2026, 3, 10), 6) == D(2026, 9, 10)
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)  # no 31 February: the month's last day
    assert add_months(D(2026, 12, 15), 6) == D(2027, 6, 15)


def test_review_within_60_calendar_days_of_delivery_ending_on_a_working_saturday(calendar):
    # Delivered Tue 2026-03-10 (not counted): 11–31 March is 21 days, April 30 (51), 9 May the 60th day.
    # 2026-05-09 is a Saturday but a 调休 working day (劳动节 notice): it stays the last day.
    remedy = remedy_for(rl.UNABLE, D(2026, 3, 10), load_calendar())
    assert remedy.review_by == D(2026, 5, 9)
    assert remedy.lawsuit_by == D(2026, 9, 10)  # six months on, a Thursday and a working day
    assert not remedy.review_first


def test_a_last_day_in_the_national_day_holiday_moves_to_the_next_working_day(calendar):
    # Delivered Sun 2026-08-02: 3–31 August is 29 days, September 30 (59), 1 October the 60th day —
    # 国庆节 1–7 October are rest days, so the last day is Thu 2026-10-08.
    # Six months from 2026-04-04 is Sun 2026-10-04, inside the same holiday: also 2026-10-08.
    assert remedy_for(rl.OTHER, D(2026, 8, 2), load_calendar()).review_by == D(2026, 10, 8)
    assert remedy_for(rl.NOT_PROCESSED, D(2026, 4, 4), load_calendar()).lawsuit_by == D(2026, 10, 8)


def test_a_last_day_in_a_year_the_calendar_does_not_hold_moves_off_the_weekend_and_is_marked_estimated(calendar):
    # Six months from 2026-08-31 is 2027-02-28, a Sunday; 2027's schedule is not loaded, but a Sunday is a rest day
    # under any schedule: the last day is Monday 2027-03-01, marked 暂定. The 60 days for 复议 end on 2026-10-30, a
    # Friday of a loaded year: exact.
    remedy = remedy_for(rl.UNABLE, D(2026, 8, 31), load_calendar())
    assert remedy.lawsuit_by == D(2027, 3, 1) and remedy.is_estimated("lawsuit_by")
    assert remedy.review_by == D(2026, 10, 30) and not remedy.is_estimated("review_by")


def test_a_last_day_on_an_estimated_statutory_holiday_moves_past_it(calendar):
    # Six months from 2026-11-01 is 2027-05-01 (劳动节, Saturday); 5-02 is 劳动节 too (Sunday), and the statute owes
    # a weekday for each: 补假 Monday 5-03 and Tuesday 5-04. The last day is Wednesday 2027-05-05, 暂定.
    remedy = remedy_for(rl.UNABLE, D(2026, 11, 1), load_calendar())
    assert remedy.lawsuit_by == D(2027, 5, 5) and remedy.is_estimated("lawsuit_by")


def test_a_refusal_goes_to_review_first_with_no_direct_lawsuit(calendar):
    for outcome in (rl.REFUSED, rl.PARTLY_DISCLOSED):
        remedy = remedy_for(outcome, D(2026, 3, 10), load_calendar())
        assert remedy.review_first and remedy.lawsuit_by is None and remedy.review_by == D(2026, 5, 9)


def test_without_a_delivery_date_no_last_day_is_invented(calendar):
    remedy = remedy_for(rl.UNABLE, None, load_calendar())
    assert remedy.review_by is None and remedy.lawsuit_by is None


@pytest.mark.parametrize("state, words, actions", [
    (Status.AWAITING_CONFIRMATION, "待确认", ["withdraw"]),
    (Status.AWAITING_CORRECTION, "待补正：请在2026年11月18日前", ["correct", "withdraw"]),
    (Status.IN_PROGRESS, "办理中：本机关将于2026年11月30日前答复", ["withdraw"]),
    (Status.WITHDRAWN, "已撤回：您于2026年11月5日撤回了申请", ["apply"]),
    (Status.ABANDONED, "视为放弃申请", ["apply"]),
])
def test_each_state_says_where_it_stands_and_what_can_be_done(calendar, state, words, actions):
    deadline = DeadlineState(state, due_date=D(2026, 11, 30), correction_due=D(2026, 11, 18))
    summary = standing(deadline, load_calendar(), ended_on=D(2026, 11, 5))
    assert summary.headline.startswith(words)
    assert [s.action for s in summary.steps] == actions
    assert (summary.remedy is not None) == (state == Status.ABANDONED)  # 视为放弃 is 其他处理: 复议 or a lawsuit


def test_a_reply_states_its_outcome_and_offers_no_withdrawal(calendar):
    summary = standing(DeadlineState(Status.REPLIED, outcome=rl.PARTLY_DISCLOSED), load_calendar(),
                       delivered_on=D(2026, 3, 10))
    assert summary.headline == "已答复：部分公开" and summary.steps == ()
    assert summary.remedy.review_by == D(2026, 5, 9) and summary.remedy.review_first


def test_a_closed_case_drops_the_calendar_warning_and_an_open_one_keeps_it(ctx):
    # No calendar loaded at all: every date is an estimate.
    info_request, _ = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=D(2026, 11, 2), user=clerk())
    open_state = settled(deadline_of(info_request))
    assert open_state.provisional and any("尚未载入日历" in line for line in open_state.explanation)
    services.reply(info_request, D(2026, 11, 20), clerk(), outcome=rl.DISCLOSED)
    closed = settled(deadline_of(info_request))
    assert not closed.provisional and not any("尚未载入日历" in line for line in closed.explanation)


def tracked(app, info_request, code):
    """A client that gave the application's number and code, and the tracking page's text."""
    client = app.test_client()
    client.post("/apply/track", data={"number": info_request.tracking_number, "code": code})
    return client.get(f"/apply/track/{info_request.tracking_number}").get_data(as_text=True)


def test_the_tracking_page_dates_the_remedies_from_the_day_the_answer_was_mailed(app, calendar, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=D(2026, 11, 2), user=clerk())
    services.reply(info_request, D(2026, 11, 20), clerk(), outcome=rl.UNABLE, ground="本机关不掌握相关政府信息")
    wait_for_mail(app)
    assert any("答复书" in m.message["Subject"] for m in smtp_server.messages)
    # The sender's record, moved to a known moment: 2026-11-20 16:30 UTC is 2026-11-21 00:30 in Shanghai,
    # so the answer was delivered on Saturday 21 November (office time, not the server's UTC date).
    reply_mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject.contains("答复书")))
    reply_mail.sent_at = datetime(2026, 11, 20, 16, 30, tzinfo=timezone.utc)
    db.session.commit()
    html = tracked(app, info_request, code)
    summary = re.search(r'<section class="notice summary".*?</section>', html, re.S)[0]
    assert "已答复：无法提供" in summary and "自 2026年11月21日 收到答复之日起" in summary
    # 22–30 November is 9 days, December 31 (40), 20 January the 60th: Wed 2027-01-20, a weekday, but 2027's
    # schedule is not loaded, so the page marks it 暂定.
    assert re.search(r"最后一日为 <strong>2027年1月20日</strong> <span[^>]*>暂定</span>", summary)
    # Six months from 21 November: Fri 2027-05-21 (无法提供 may go to court directly), 暂定 likewise.
    assert re.search(r"最后一日为 <strong>2027年5月21日</strong> <span[^>]*>暂定</span>", summary)
    assert "本页不知道" not in summary and "在线撤回" not in summary


def test_without_e_mail_the_page_states_the_rule_without_a_date(app, calendar):
    info_request, code = services.register(FIELDS, APPLICANT | {"email": ""}, channel="当面",
                                           receipt_date=D(2026, 11, 2), user=clerk())
    services.reply(info_request, D(2026, 11, 20), clerk(), outcome=rl.REFUSED, ground="属于国家秘密")
    html = tracked(app, info_request, code)
    assert "已答复：不予公开" in html and "自收到答复书之日起60日内" in html
    assert "本页不知道您收到答复书的日期" in html and "6个月内直接" not in html
    assert "须先申请行政复议" in html


def test_information_collected_at_the_office_dates_the_review_from_that_day(app, calendar):
    info_request, code = services.register(FIELDS, APPLICANT | {"email": ""}, channel="当面",
                                           receipt_date=D(2026, 11, 2), user=clerk())
    services.reply(info_request, D(2026, 11, 20), clerk(), outcome=rl.PARTLY_DISCLOSED, ground="属于国家秘密")
    record_handover(info_request, clerk(), method="自行领取", on=D(2026, 11, 23))
    html = tracked(app, info_request, code)
    summary = re.search(r'<section class="notice summary".*?</section>', html, re.S)[0]
    # Collected Mon 23 November: 24–30 November is 7 days, December 31 (38), 22 January the 60th: Fri 2027-01-22.
    assert "自 2026年11月23日 收到答复之日起" in summary and "最后一日为 <strong>2027年1月22日</strong>" in summary
    assert "暂定" in summary  # 2027's schedule is not loaded
    assert "本页不知道" not in summary and "须先申请行政复议" in summary  # the withheld part: review first
