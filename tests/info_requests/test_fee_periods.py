"""信息处理费 in the deadline engine (收费管理办法第六条、第七条), with dates counted by hand on the 2026 notice.

Reference: received Mon 2026-03-02 → 3-03..06 (4) · 3-09..13 (9) · 3-16..20 (14) · 3-23..27 (19) · 3-30 (20):
the reply is due 2026-03-30 without a fee.
"""
from datetime import date

import pytest

from portal.calendar.workdays import calendar_from_chinesecalendar
from portal.info_requests.deadlines import Status, compute_deadline
from portal.info_requests.events import (
    Event,
    EventKind,
    consultation_started,
    delay_set,
    fee_notified,
    fee_paid,
    fee_unpaid,
    received,
    withdrawn,
)

RECEIPT = date(2026, 3, 2)
SENT = date(2026, 3, 10)  # Tue: 3-03..3-10 are 6 counted working days
GOT = date(2026, 3, 12)  # Thu: the applicant signed for the notice


@pytest.fixture(scope="module")
def cal():
    """The official calendar for 2026."""
    return calendar_from_chinesecalendar([2026])


def state_of(events, cal, today):
    """Shorthand for the engine."""
    return compute_deadline(events, cal, today)


def test_the_applicant_pays_within_20_working_days_from_the_day_after_receiving_the_notice(cal):
    # from 3-12: 3-13 (1) · 3-16..20 (6) · 3-23..27 (11) · 3-30, 31 (13) · 4-01..03 (16) · 清明 4-04..06 ·
    # 4-07 (17), 08 (18), 09 (19), 10 (20) → 2026-04-10
    state = state_of([received(RECEIPT), fee_notified(SENT, 300, GOT)], cal, date(2026, 3, 16))
    assert state.state == Status.AWAITING_PAYMENT
    assert state.fee.payment_due == date(2026, 4, 10)
    assert state.fee.amount == 300 and state.fee.awaiting


def test_an_unpaid_fee_pauses_the_reply_period_from_the_day_after_the_notice(cal):
    # counted before the pause: 3-03, 04, 05, 06, 09, 10 = 6 → 14 of 20 remain; the date is unknown until payment
    state = state_of([received(RECEIPT), fee_notified(SENT, 300, GOT)], cal, date(2026, 3, 16))
    assert state.due_date is None
    assert state.remaining_when_paused == 14
    assert any("等待缴费期间暂停计算" in line and "尚余 14 个工作日" in line for line in state.explanation)


def test_the_days_from_the_notice_to_the_payment_are_not_counted(cal):
    # paid Thu 3-19: 3-11..3-19 not counted (3-11, 12, 13, 16, 17, 18, 19 = 7 working days);
    # counting resumes 3-20 (7) · 3-23..27 (12) · 3-30, 31 (14) · 4-01..03 (17) · 4-07 (18), 08 (19), 09 (20)
    state = state_of([received(RECEIPT), fee_notified(SENT, 300, GOT), fee_paid(date(2026, 3, 19), 300, "No.0012")],
                     cal, date(2026, 3, 19))
    assert state.state == Status.IN_PROGRESS
    assert state.due_date == date(2026, 4, 9)
    assert state.fee.workdays == 7 and state.fee.receipt_number == "No.0012"
    assert not state.fee.paid_late


def test_a_notice_handed_over_is_received_the_day_it_is_sent(cal):
    # received 3-10 (default): 3-11..13 (3) · 3-16..20 (8) · 3-23..27 (13) · 3-30, 31 (15) · 4-01..03 (18) · 4-07 (19), 08 (20)
    state = state_of([received(RECEIPT), fee_notified(SENT, 100)], cal, SENT)
    assert state.fee.received == SENT
    assert state.fee.payment_due == date(2026, 4, 8)


def test_a_payment_before_the_notice_or_its_receipt_is_refused(cal):
    with pytest.raises(ValueError, match="不能登记缴费"):
        state_of([received(RECEIPT), fee_paid(date(2026, 3, 5), 100)], cal, date(2026, 3, 5))
    with pytest.raises(ValueError, match="早于申请人收到收费通知的日期"):
        state_of([received(RECEIPT), fee_notified(SENT, 100, GOT), fee_paid(date(2026, 3, 11), 100)],
                 cal, date(2026, 3, 11))
    with pytest.raises(ValueError, match="事件顺序有误"):
        state_of([received(RECEIPT), fee_notified(SENT, 100, GOT), fee_paid(date(2026, 3, 9), 100)],
                 cal, date(2026, 3, 12))


def test_non_payment_ends_the_application_only_after_the_payment_period(cal):
    events = [received(RECEIPT), fee_notified(SENT, 300, GOT)]
    # the last day to pay is Fri 4-10: not yet on it; from Sat 4-11 on the office may end it
    assert EventKind.FEE_UNPAID not in state_of(events, cal, date(2026, 4, 10)).allowed
    assert EventKind.FEE_UNPAID in state_of(events, cal, date(2026, 4, 11)).allowed
    with pytest.raises(ValueError, match="缴费期限 2026-04-10 尚未届满"):
        state_of(events + [fee_unpaid(date(2026, 4, 10))], cal, date(2026, 4, 10))
    ended = state_of(events + [fee_unpaid(date(2026, 4, 13))], cal, date(2026, 4, 13))
    assert ended.state == Status.ABANDONED
    assert ended.allowed == frozenset()
    assert any("缴费期限 2026-04-10 届满未缴费" in line for line in ended.explanation)


def test_while_awaiting_payment_only_payment_withdrawal_or_the_lapse_may_follow(cal):
    state = state_of([received(RECEIPT), fee_notified(SENT, 300, GOT)], cal, date(2026, 3, 16))
    assert state.allowed == {EventKind.FEE_PAID, EventKind.WITHDRAWN}
    assert state_of([received(RECEIPT), fee_notified(SENT, 300, GOT), withdrawn(date(2026, 3, 17))],
                    cal, date(2026, 3, 17)).state == Status.WITHDRAWN


def test_one_fee_per_application_with_an_amount_to_charge(cal):
    paid = [received(RECEIPT), fee_notified(SENT, 300, GOT), fee_paid(date(2026, 3, 19), 300)]
    assert EventKind.FEE_NOTIFIED not in state_of(paid, cal, date(2026, 3, 19)).allowed
    with pytest.raises(ValueError, match="一件申请只能收费一次"):
        state_of(paid + [fee_notified(date(2026, 3, 20), 100)], cal, date(2026, 3, 20))
    with pytest.raises(ValueError, match="收费金额须大于0元"):
        state_of([received(RECEIPT), fee_notified(SENT, 0)], cal, SENT)
    with pytest.raises(ValueError, match="早于发出日期"):
        state_of([received(RECEIPT), fee_notified(SENT, 100, date(2026, 3, 9))], cal, SENT)


def test_no_fee_notice_while_a_consultation_is_open(cal):
    with pytest.raises(ValueError, match="征求意见中"):
        state_of([received(RECEIPT), consultation_started(date(2026, 3, 5)), fee_notified(SENT, 100)], cal, SENT)


def test_a_late_payment_is_accepted_but_flagged(cal):
    # due 4-10; paid Mon 4-13 before the office ended it
    state = state_of([received(RECEIPT), fee_notified(SENT, 300, GOT), fee_paid(date(2026, 4, 13), 300)],
                     cal, date(2026, 4, 13))
    assert state.fee.paid_late
    assert any("晚于缴费期限 2026-04-10" in line for line in state.explanation)


def test_non_payment_waits_for_the_last_day_to_pay_told_in_writing_even_when_the_count_is_earlier(cal):
    # The notice received 3-12 is due 2026-04-10 (counted above). Suppose the notice told 04-13 (a date counted
    # over an estimate that a later calendar shortened): 逾期未缴费 waits for the told 04-13 — refused on 04-13,
    # offered and accepted on Tue 04-14 — and the explanation names both dates.
    notice = Event(EventKind.FEE_NOTIFIED, SENT, amount=200, until=GOT, told=date(2026, 4, 13))
    s = state_of([received(RECEIPT), notice], cal, date(2026, 4, 13))
    assert (s.fee.payment_due, s.fee.told, s.fee.lapse_after) == (date(2026, 4, 10), date(2026, 4, 13),
                                                                   date(2026, 4, 13))
    assert EventKind.FEE_UNPAID not in s.allowed and not s.fee.overdue
    assert any("已书面告知申请人的缴费期限为 2026-04-13，2026-04-13 前不能认定逾期未缴费" in line for line in s.explanation)
    with pytest.raises(ValueError, match="已书面告知申请人的缴费期限 2026-04-13 尚未届满，不能于 2026-04-13 认定逾期未缴费"):
        state_of([received(RECEIPT), notice, fee_unpaid(date(2026, 4, 13))], cal, date(2026, 4, 13))
    s = state_of([received(RECEIPT), notice], cal, date(2026, 4, 14))
    assert EventKind.FEE_UNPAID in s.allowed and s.fee.overdue
    assert state_of([received(RECEIPT), notice, fee_unpaid(date(2026, 4, 14))], cal, date(2026, 4, 14)).state \
        == Status.ABANDONED


def test_an_unpaid_fee_after_an_art35_delay_leaves_the_reply_date_unknown(cal):
    # Received 03-02 (due 03-30, above); Art. 35 delay decided Tue 03-10 to 2026-05-29; 收费通知 Wed 03-11, received
    # Thu 03-12. Unpaid on 05-29 and after, the case is waiting for the applicant, neither running nor overdue;
    # paid on Fri 04-10 (the last day to pay, counted above), the delay's date holds again.
    events = [received(RECEIPT), delay_set(date(2026, 3, 10), date(2026, 5, 29), "一个月内申请60件"),
              fee_notified(date(2026, 3, 11), 200, GOT)]
    for today in (date(2026, 4, 10), date(2026, 6, 1)):
        s = state_of(events, cal, today)
        assert s.state == Status.AWAITING_PAYMENT and s.due_date is None and not s.overdue
    s = state_of(events + [fee_paid(date(2026, 4, 10), 200)], cal, date(2026, 6, 1))
    assert s.due_date == date(2026, 5, 29) and s.overdue
