"""The consulted party's 15 working days (条例 Art. 32, 34): recorded receipt day, limit, end of the pause.

Dates counted by hand on the 2026 State Council notice (国庆 10-01..07 off, Sat 10-10 worked; no other
change in October–November). Reference case: received Thu 2026-09-24, reply due 10-29 (see
test_deadlines.py); 7 working days counted by the 征求意见书 of Mon 10-12 (9-28, 29, 30, 10-08, 09, 10, 12;
9-25 is 中秋), 13 left.
"""
from datetime import date

import pytest

from portal.calendar.workdays import calendar_from_chinesecalendar
from portal.info_requests.consultations import DISCLOSE_UNFOUNDED, OpenPause, check_closing, close
from portal.info_requests.deadlines import compute_deadline
from portal.info_requests.events import (
    AGREED,
    DISCLOSE_ANYWAY,
    OBJECTED,
    SILENT,
    STOPPED,
    WITHHOLD,
    consultation_closed,
    consultation_delivered,
    consultation_started,
    extension_approved,
    received,
    replied,
)

RECEIPT = date(2026, 9, 24)
SENT = date(2026, 10, 12)
DELIVERED = date(2026, 10, 14)
# 15 working days from Wed 10-14: 10-15, 16, 19..23, 26..30, 11-02, 03, 04 → the limit is Wed 2026-11-04.
LIMIT = date(2026, 11, 4)
# Paused 10-13..11-04 = 17 working days (10-13..16: 4, 10-19..23: 5, 10-26..30: 5, 11-02..04: 3); the 13 days
# left run 11-05, 06, 09..13, 16..20, 23 → due Mon 2026-11-23 (= 10-29 plus 17 working days).
DUE_AFTER_LIMIT = date(2026, 11, 23)
OFFICE = "其他行政机关：区民政局"


@pytest.fixture(scope="module")
def cal():
    """The official calendar, known for 2026 only."""
    return calendar_from_chinesecalendar([2026])


def consulting(party="第三方", delivered=DELIVERED):
    """Received 09-24, 征求意见书 sent 10-12, received by the party on `delivered` (None: not recorded)."""
    events = [received(RECEIPT), consultation_started(SENT, party)]
    return events + ([consultation_delivered(delivered, how="邮寄签收")] if delivered else [])


def pause_line(state) -> str:
    """The derivation's sentence about the (first) consultation."""
    return next(line for line in state.explanation if line.startswith("征求"))


def test_party_limit_is_the_15th_working_day_after_it_received_the_letter(cal):
    s = compute_deadline(consulting(), cal, date(2026, 10, 20))
    (pause,) = s.paused_days
    assert pause.delivered == DELIVERED and pause.party_due == LIMIT
    assert "对方于 2026-10-14 收到征求意见书（邮寄签收），意见期限至 2026-11-04（收到之日起15个工作日，当日不计）" \
        in pause_line(s)


def test_within_the_party_limit_the_due_date_is_known_at_the_latest(cal):
    s = compute_deadline(consulting(), cal, date(2026, 10, 20))
    assert s.state == "征求意见中" and s.due_date == DUE_AFTER_LIMIT and s.due_at_latest
    assert not s.paused_days[0].lapsed and not s.overdue and s.working_days_left is None  # paused: nothing counts
    assert any("答复期限最迟为 2026-11-23" in line for line in s.explanation)
    assert s.explanation[-1] == "截至 2026-10-20 征求意见尚未结束，暂停计算，不计剩余工作日"


def test_the_pause_ends_at_the_third_partys_limit_and_the_office_decides(cal):
    s = compute_deadline(consulting(), cal, date(2026, 11, 5))  # the day after the limit
    (pause,) = s.paused_days
    assert s.state == "征求意见中" and pause.is_open and pause.lapsed and pause.last == LIMIT
    assert pause.workdays == 17 and s.due_date == DUE_AFTER_LIMIT and not s.due_at_latest
    line = pause_line(s)
    assert "自 2026-11-05 起恢复计算答复期限" in line
    assert "第三方逾期未提出意见的，由本机关依照条例的规定决定是否公开（条例第三十二条）" in line


def test_another_offices_silence_counts_as_consent(cal):
    s = compute_deadline(consulting(OFFICE), cal, date(2026, 11, 5))
    assert s.due_date == DUE_AFTER_LIMIT
    assert "被征求意见机关逾期未提出意见的，视为同意公开（条例第三十四条）" in pause_line(s)


def test_an_open_consultation_can_not_hold_the_case_past_the_limit(cal):
    # 11-24 is past the due date of 11-23: overdue by 1 working day although nobody closed the consultation.
    s = compute_deadline(consulting(), cal, date(2026, 11, 24))
    assert s.state == "征求意见中" and s.overdue and s.working_days_left == -1


def test_an_opinion_after_the_limit_moves_nothing(cal):
    late = consulting() + [consultation_closed(date(2026, 11, 10), opinion="同意公开")]
    s = compute_deadline(late, cal, date(2026, 11, 10))
    assert s.state == "办理中" and s.due_date == DUE_AFTER_LIMIT and s.paused_days[0].last == LIMIT
    assert "晚于意见期限 2026-11-04：暂停计算至意见期限届满之日，共 17 个工作日" in pause_line(s)


def test_an_opinion_before_the_limit_ends_the_pause_that_day(cal):
    # Paused 10-13..10-20 = 6 working days: 10-29 plus 6 = 10-30, 11-02..06 → 2026-11-06.
    s = compute_deadline(consulting() + [consultation_closed(date(2026, 10, 20), opinion="同意公开")], cal,
                         date(2026, 10, 21))
    assert s.due_date == date(2026, 11, 6) and not s.paused_days[0].lapsed


def test_silence_can_be_recorded_only_after_the_limit_and_only_with_a_receipt_day(cal):
    with pytest.raises(ValueError, match="2026-11-04，2026-11-04 尚未届满"):
        compute_deadline(consulting(OFFICE) + [consultation_closed(LIMIT, reason=SILENT)], cal, LIMIT)
    with pytest.raises(ValueError, match="尚未登记"):
        compute_deadline(consulting(OFFICE, delivered=None) + [consultation_closed(date(2026, 11, 5), reason=SILENT)],
                         cal, date(2026, 11, 5))
    s = compute_deadline(consulting(OFFICE) + [consultation_closed(date(2026, 11, 6), reason=SILENT)], cal,
                         date(2026, 11, 6))
    assert s.state == "办理中" and s.due_date == DUE_AFTER_LIMIT
    assert "视为同意公开（条例第三十四条）" in pause_line(s)


def test_an_unconfirmed_delivery_is_flagged_after_five_working_days(cal):
    # 5 working days from Mon 10-12: 10-13, 14, 15, 16, 19 → flagged from 10-20.
    on_the_fifth = compute_deadline(consulting(delivered=None), cal, date(2026, 10, 19)).paused_days[0]
    assert on_the_fifth.delivery_check == date(2026, 10, 19) and not on_the_fifth.delivery_overdue
    s = compute_deadline(consulting(delivered=None), cal, date(2026, 10, 20))
    assert s.paused_days[0].delivery_overdue and s.due_date is None
    assert "发出已超过5个工作日（2026-10-19 后），请核实送达情况并登记收到日期" in pause_line(s)
    recorded = compute_deadline(consulting(), cal, date(2026, 10, 20)).paused_days[0]
    assert recorded.delivery_check is None and not recorded.delivery_overdue


def test_the_receipt_day_may_be_recorded_after_later_events_but_not_before_sending_or_twice(cal):
    events = [received(RECEIPT), consultation_started(SENT), extension_approved(date(2026, 10, 16), 10, "档案"),
              consultation_delivered(DELIVERED)]  # the signed receipt came back after the extension
    assert compute_deadline(events, cal, date(2026, 10, 20)).paused_days[0].party_due == LIMIT
    with pytest.raises(ValueError, match="早于发出日期"):
        compute_deadline(consulting(delivered=date(2026, 10, 9)), cal, date(2026, 10, 20))
    with pytest.raises(ValueError, match="不能重复登记"):
        compute_deadline(consulting() + [consultation_delivered(date(2026, 10, 15))], cal, date(2026, 10, 20))
    with pytest.raises(ValueError, match="不能登记对方收到征求意见书"):
        compute_deadline([received(RECEIPT), consultation_delivered(DELIVERED)], cal, date(2026, 10, 20))


def test_a_reply_after_the_limit_counts_the_pause_only_to_the_limit(cal):
    s = compute_deadline(consulting() + [replied(date(2026, 11, 20), "予以公开")], cal, date(2026, 11, 20))
    assert s.paused_days[0].last == LIMIT and s.due_date == DUE_AFTER_LIMIT and s.replied_late is False


def test_a_third_partys_objection_needs_a_decision_and_a_disclosure_date_after_the_notice(cal):
    closed = date(2026, 10, 20)
    with pytest.raises(ValueError, match="须写明公开日期"):
        compute_deadline(consulting() + [consultation_closed(closed, opinion=OBJECTED, decision=DISCLOSE_ANYWAY)],
                         cal, closed)
    with pytest.raises(ValueError, match="只有第三方不同意公开时"):
        compute_deadline(consulting(OFFICE) + [consultation_closed(closed, opinion=OBJECTED, decision=WITHHOLD)],
                         cal, closed)
    s = compute_deadline(consulting() + [consultation_closed(closed, opinion=OBJECTED, decision=DISCLOSE_ANYWAY,
                                                             disclose_on=date(2026, 11, 3))], cal, closed)
    assert s.paused_days[0].decision == DISCLOSE_ANYWAY
    assert "决定予以公开，已书面告知第三方，2026-11-03 起公开（条例第三十二条）" in pause_line(s)


def test_an_opinion_can_not_be_dated_before_the_party_received_the_letter_or_before_it_was_sent(cal):
    # Received by the party on Wed 10-14: an opinion (or any closing) of Tue 10-13 is impossible.
    with pytest.raises(ValueError, match="第三方于 2026-10-14 才收到征求意见书，结束征求意见的日期 2026-10-13 不能早于该日"):
        compute_deadline(consulting() + [consultation_closed(date(2026, 10, 13), opinion=AGREED)], cal,
                         date(2026, 10, 20))
    with pytest.raises(ValueError, match="不能早于该日"):
        compute_deadline(consulting() + [consultation_closed(date(2026, 10, 13), reason=STOPPED)], cal,
                         date(2026, 10, 20))
    same_day = compute_deadline(consulting() + [consultation_closed(DELIVERED, opinion=AGREED)], cal, date(2026, 10, 20))
    assert same_day.paused_days[0].closed_on == DELIVERED
    # The replay's order check already stops a closing before the letter was sent; the rule itself says why.
    sent_monday = [OpenPause("第三方", SENT)]
    with pytest.raises(ValueError, match="2026-10-09 早于发出征求意见书的日期 2026-10-12"):
        close(sent_monday, consultation_closed(date(2026, 10, 9), opinion=AGREED), cal)


def test_an_objection_without_good_reason_is_disclosed_with_no_public_interest_claim_and_no_notice(cal):
    closed = date(2026, 10, 20)
    s = compute_deadline(consulting() + [consultation_closed(closed, opinion=OBJECTED, decision=DISCLOSE_UNFOUNDED)],
                         cal, closed)
    (pause,) = s.paused_days
    assert pause.decision == DISCLOSE_UNFOUNDED and pause.disclose_on is None and s.state == "办理中"
    line = pause_line(s)
    assert "第三方不同意公开的理由不成立" in line and "依照条例予以公开" in line
    assert "条例第三十二条未要求就此书面告知第三方" in line and "公共利益" not in line
    with pytest.raises(ValueError, match="只有第三方不同意公开时"):
        compute_deadline(consulting(OFFICE) + [consultation_closed(closed, opinion=OBJECTED,
                                                                    decision=DISCLOSE_UNFOUNDED)], cal, closed)


def test_a_new_closing_records_the_opinion_the_decision_and_the_reasons_for_disclosing():
    objected = dict(opinion=OBJECTED)
    with pytest.raises(ValueError, match="收到意见的，请选择对方的意见"):
        check_closing(OFFICE, consultation_closed(date(2026, 10, 20)))
    with pytest.raises(ValueError, match="第三方不同意公开的，请选择本机关的决定"):
        check_closing("第三方", consultation_closed(date(2026, 10, 20), **objected))
    with pytest.raises(ValueError, match="认为第三方不同意公开的理由不成立的，请写明理由"):
        check_closing("第三方2", consultation_closed(date(2026, 10, 20), decision=DISCLOSE_UNFOUNDED, **objected),
                      grounds="  ")
    with pytest.raises(ValueError, match="须写明决定公开的政府信息内容和理由"):
        check_closing("第三方", consultation_closed(date(2026, 10, 20), decision=DISCLOSE_ANYWAY, **objected),
                      grounds="公共利益")
    check_closing("第三方", consultation_closed(date(2026, 10, 20), decision=DISCLOSE_UNFOUNDED, **objected),
                  grounds="所涉信息为财政资金使用情况，不属于该公司的商业秘密")
    check_closing(OFFICE, consultation_closed(date(2026, 11, 5), reason=SILENT))  # silence carries no opinion


def test_a_limit_in_a_year_without_a_schedule_is_provisional(cal):
    # Received 12-01; sent 12-14, received by the party 12-15: 12-16..31 hold 12 working days, so the
    # 15th falls in January 2027, whose schedule is not published: estimated.
    events = [received(date(2026, 12, 1)), consultation_started(date(2026, 12, 14)),
              consultation_delivered(date(2026, 12, 15))]
    s = compute_deadline(events, cal, date(2026, 12, 16))
    assert s.paused_days[0].party_due.year == 2027 and 2027 in s.missing_years and s.provisional


def test_information_decided_for_disclosure_is_not_provided_before_the_date_the_third_party_was_told(cal):
    # Objection on Tue 10-20, disclosure decided for the public interest from Tue 11-03: the 决定公开告知书 says
    # "在此之前不予提供". A 予以公开 or 部分公开 reply on Mon 11-02 is refused; on 11-03 it is accepted (paused
    # 10-13..10-20 = 6 working days, the 13 left run 10-21..23, 26..30, 11-02..06 → due Fri 11-06, in time).
    # A reply that provides nothing (不予公开) is not bound by the date.
    closing = consultation_closed(date(2026, 10, 20), opinion=OBJECTED, decision=DISCLOSE_ANYWAY,
                                  disclose_on=date(2026, 11, 3))
    for outcome in ("予以公开", "部分公开"):
        with pytest.raises(ValueError, match="已书面告知第三方本机关将自 2026-11-03 起向申请人提供相关信息、在此之前不予提供"
                                             f".*不能于 2026-11-02 作出“{outcome}”的答复"):
            compute_deadline(consulting() + [closing, replied(date(2026, 11, 2), outcome)], cal, date(2026, 11, 2))
    s = compute_deadline(consulting() + [closing, replied(date(2026, 11, 3), "予以公开")], cal, date(2026, 11, 3))
    assert s.state == "已答复" and s.due_date == date(2026, 11, 6) and s.replied_late is False
    s = compute_deadline(consulting() + [closing, replied(date(2026, 11, 2), "不予公开")], cal, date(2026, 11, 2))
    assert s.state == "已答复"
