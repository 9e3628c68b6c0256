"""The deadline engine: Art. 30–35 conventions of DOMAIN.md, with dates worked out from the 2026 notice.

Reference count: received Thu 2026-09-24 → 9-28,29,30 · (国庆 10-01..07) · 10-08,09 · Sat 10-10 ·
10-12..16 · 10-19..23 · 10-26..29 = the 20th working day is 2026-10-29.
"""
from datetime import date

import pytest

from portal.calendar.workdays import calendar_from_chinesecalendar
from portal.info_requests.deadlines import Status, compute_deadline
from portal.info_requests.events import (
    Channel,
    Event,
    EventKind,
    abandoned,
    confirmed,
    consultation_closed,
    consultation_started,
    corrected_received,
    correction_requested,
    delay_set,
    extension_approved,
    received,
    replied,
    submitted,
    withdrawn,
)

RECEIPT = date(2026, 9, 24)


@pytest.fixture(scope="module")
def cal():
    """The official calendar, known for 2026 only (2027 is not published yet)."""
    return calendar_from_chinesecalendar([2026])


def state_of(events, cal, today):
    """Shorthand for the engine."""
    return compute_deadline(events, cal, today)


def test_receipt_day_is_not_counted(cal):
    s = state_of([received(RECEIPT)], cal, date(2026, 9, 30))
    assert s.state == Status.IN_PROGRESS == "办理中"
    assert s.receipt_date == s.clock_start == RECEIPT
    assert s.due_date == s.original_due_date == date(2026, 10, 29)
    assert "收到申请日期 2026-09-24（当日不计）" in s.explanation[0]
    assert "自 2026-09-25 起算第20个工作日为 2026-10-29" in s.explanation


def test_online_application_waits_for_confirmation_and_counts_from_the_confirmation_day(cal):
    waiting = state_of([submitted(date(2026, 12, 1), Channel.ONLINE)], cal, date(2026, 12, 1))
    assert waiting.state == "待确认" and waiting.due_date is None
    s = state_of([submitted(date(2026, 12, 1)), confirmed(date(2026, 12, 2))], cal, date(2026, 12, 3))
    assert s.receipt_date == date(2026, 12, 2)
    assert s.due_date == date(2026, 12, 30) and not s.provisional


def test_signed_mail_counts_from_the_day_the_office_signs(cal):
    s = state_of([received(RECEIPT, "邮寄")], cal, RECEIPT)
    assert s.due_date == date(2026, 10, 29) and "签收" in s.explanation[0]


def test_online_application_cannot_be_recorded_as_received_without_confirmation(cal):
    with pytest.raises(ValueError, match="确认之日"):
        state_of([received(RECEIPT, Channel.ONLINE)], cal, RECEIPT)


def test_correction_notice_is_due_7_working_days_after_receipt(cal):
    s = state_of([received(RECEIPT)], cal, RECEIPT)
    assert s.correction_notice_due == date(2026, 10, 12)  # 9-28,29,30, 10-08,09,10(Sat),12


def test_correction_restarts_count_from_corrected_receipt(cal):
    events = [received(RECEIPT), correction_requested(date(2026, 9, 29), workdays=10),
              corrected_received(date(2026, 10, 9))]
    s = state_of(events, cal, date(2026, 10, 12))
    assert s.state == "办理中" and s.clock_start == date(2026, 10, 9)
    # 10-10(Sat) · 10-12..16 · 10-19..23 · 10-26..30 · 11-02,03,04,05
    assert s.due_date == date(2026, 11, 5)
    assert "2026-10-09 收到补正后的申请，答复期限自当日重新起算（当日不计）" in s.explanation


def test_awaiting_correction_stops_the_reply_clock_and_shows_the_correction_deadline(cal):
    events = [received(RECEIPT), correction_requested(date(2026, 9, 29), workdays=10)]
    s = state_of(events, cal, date(2026, 10, 12))
    assert s.state == "待补正" and s.due_date is None and s.working_days_left is None
    assert s.correction_due == date(2026, 10, 19)  # 9-30, 10-08,09,10,12..16, 19
    assert not s.correction_notice_late


def test_correction_notice_after_7_working_days_is_flagged_late(cal):
    events = [received(RECEIPT), correction_requested(date(2026, 10, 13), until=date(2026, 10, 23))]
    s = state_of(events, cal, date(2026, 10, 13))
    assert s.correction_notice_late and s.correction_due == date(2026, 10, 23)


def test_correction_can_be_requested_only_once(cal):
    events = [received(RECEIPT), correction_requested(date(2026, 9, 29), workdays=5),
              corrected_received(date(2026, 10, 8)), correction_requested(date(2026, 10, 9), workdays=5)]
    with pytest.raises(ValueError, match="一次性"):
        state_of(events, cal, date(2026, 10, 9))


def test_abandonment_only_after_the_correction_period_has_passed(cal):
    base = [received(RECEIPT), correction_requested(date(2026, 9, 29), workdays=10)]
    with pytest.raises(ValueError, match="尚未届满"):
        state_of(base + [abandoned(date(2026, 10, 19))], cal, date(2026, 10, 19))
    s = state_of(base + [abandoned(date(2026, 10, 20))], cal, date(2026, 10, 20))
    assert s.state == "视为放弃" and not s.overdue


def test_consultation_pause_excludes_send_day_includes_opinion_day(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12)),
              consultation_closed(date(2026, 10, 20))]
    s = state_of(events, cal, date(2026, 10, 21))
    (pause,) = s.paused_days
    assert (pause.first, pause.last, pause.workdays) == (date(2026, 10, 13), date(2026, 10, 20), 6)
    assert s.due_date == date(2026, 11, 6)  # 10-29 plus 6: 10-30, 11-02..06
    assert "征求第三方意见：2026-10-12 发出，2026-10-20 收到意见，暂停计算 6 个工作日" in s.explanation


def test_consultation_answered_the_day_it_was_sent_pauses_nothing(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12)),
              consultation_closed(date(2026, 10, 12))]
    assert state_of(events, cal, date(2026, 10, 12)).due_date == date(2026, 10, 29)


def test_opinion_day_itself_is_paused(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12)),
              consultation_closed(date(2026, 10, 13))]
    assert state_of(events, cal, date(2026, 10, 13)).due_date == date(2026, 10, 30)


def test_open_consultation_suspends_the_due_date_and_keeps_the_remaining_days(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12), "区规划资源局")]
    s = state_of(events, cal, date(2026, 10, 15))
    assert s.state == "征求意见中" and s.due_date is None and not s.overdue
    assert s.remaining_when_paused == 13  # 9-28,29,30, 10-08,09,10,12 counted


def test_parallel_consultations_pause_their_union_once(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12), "第三方"),
              consultation_started(date(2026, 10, 14), "区民政局"),
              consultation_closed(date(2026, 10, 20), "第三方"), consultation_closed(date(2026, 10, 22))]
    s = state_of(events, cal, date(2026, 10, 22))
    assert s.state == "办理中"
    assert s.due_date == date(2026, 11, 10)  # 10-13..22 = 8 working days after 10-29


def test_closing_one_of_two_open_consultations_must_name_it(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12), "第三方"),
              consultation_started(date(2026, 10, 14), "区民政局"), consultation_closed(date(2026, 10, 20))]
    with pytest.raises(ValueError, match="注明"):
        state_of(events, cal, date(2026, 10, 20))


def test_consultation_after_the_due_date_does_not_revive_the_period(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 11, 2)), consultation_closed(date(2026, 11, 5))]
    s = state_of(events, cal, date(2026, 11, 5))
    assert s.due_date == date(2026, 10, 29) and s.overdue


def test_extension_counts_on_from_original_due_date_after_pauses(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12)),
              consultation_closed(date(2026, 10, 20)), extension_approved(date(2026, 11, 2), 20, "需调取档案")]
    s = state_of(events, cal, date(2026, 11, 3))
    assert s.state == "已延期" and s.original_due_date == date(2026, 11, 6)
    assert s.due_date == s.extension.due == date(2026, 12, 4) and not s.extension.late
    assert ("经负责人批准延长 20 个工作日（2026-11-02 决定，理由：需调取档案），"
            "自原答复期限 2026-11-06 起算至 2026-12-04") in s.explanation


def test_pause_inside_the_extension_is_skipped_too(cal):
    events = [received(RECEIPT), extension_approved(date(2026, 10, 20), 20, "材料较多"),
              consultation_started(date(2026, 11, 16)), consultation_closed(date(2026, 11, 18))]
    s = state_of(events, cal, date(2026, 11, 18))
    assert s.original_due_date == date(2026, 10, 29)
    assert s.due_date == date(2026, 11, 30)  # extended to 11-26, plus 11-17 and 11-18 paused


def test_extension_after_original_due_date_is_flagged_late(cal):
    s = state_of([received(RECEIPT), extension_approved(date(2026, 10, 30), 20, "补办")], cal, date(2026, 10, 30))
    assert s.extension.late
    assert s.due_date == date(2026, 11, 26)  # still counted on from 10-29
    assert any("逾期延期" in line for line in s.explanation)


def test_extension_on_the_original_due_date_is_not_late(cal):
    s = state_of([received(RECEIPT), extension_approved(date(2026, 10, 29), 5, "补办")], cal, date(2026, 10, 29))
    assert not s.extension.late and s.due_date == date(2026, 11, 5)


def test_second_extension_is_refused(cal):
    events = [received(RECEIPT), extension_approved(date(2026, 10, 9), 10, "a"),
              extension_approved(date(2026, 10, 12), 10, "b")]
    with pytest.raises(ValueError, match="只能延长一次"):
        state_of(events, cal, date(2026, 10, 12))


def test_extension_over_20_working_days_is_refused(cal):
    with pytest.raises(ValueError, match="最长|1至20"):
        state_of([received(RECEIPT), extension_approved(date(2026, 10, 9), 21, "a")], cal, date(2026, 10, 9))


def test_art35_delay_sets_the_due_date_with_its_reason(cal):
    events = [received(RECEIPT), delay_set(date(2026, 10, 9), date(2026, 12, 31), "一个月内申请120件")]
    s = state_of(events, cal, date(2026, 11, 20))
    assert s.state == "已延期" and s.due_date == date(2026, 12, 31)
    assert s.delay.reason == "一个月内申请120件" and s.original_due_date == date(2026, 10, 29)


def test_art35_delay_without_a_reason_is_refused(cal):
    with pytest.raises(ValueError, match="理由"):
        state_of([received(RECEIPT), delay_set(date(2026, 10, 9), date(2026, 12, 31), " ")], cal, date(2026, 10, 9))


def test_reply_before_receipt_is_refused(cal):
    with pytest.raises(ValueError, match="尚未收到申请"):
        state_of([replied(date(2026, 9, 20), "予以公开")], cal, RECEIPT)
    with pytest.raises(ValueError, match="顺序"):
        state_of([received(RECEIPT), replied(date(2026, 9, 20), "予以公开")], cal, RECEIPT)


def test_event_dated_after_today_is_refused(cal):
    with pytest.raises(ValueError, match="晚于今天"):
        state_of([received(RECEIPT)], cal, date(2026, 9, 23))


def test_nothing_follows_a_reply(cal):
    with pytest.raises(ValueError, match="已办结"):
        state_of([received(RECEIPT), replied(date(2026, 10, 9), "予以公开"), withdrawn(date(2026, 10, 12))],
                 cal, date(2026, 10, 12))


def test_reply_after_the_due_date_is_marked_late(cal):
    s = state_of([received(RECEIPT), replied(date(2026, 10, 30), "部分公开")], cal, date(2026, 11, 20))
    assert s.state == "已答复" and s.replied_late and s.outcome == "部分公开"
    assert s.working_days_left is None and not s.overdue


def test_reply_closes_an_open_consultation(cal):
    events = [received(RECEIPT), consultation_started(date(2026, 10, 12)), replied(date(2026, 10, 15), "不予公开")]
    s = state_of(events, cal, date(2026, 10, 15))
    assert s.paused_days[0].last == date(2026, 10, 15) and s.replied_late is False


def test_working_days_left_counts_from_today_and_goes_negative_when_overdue(cal):
    def left(today):
        s = state_of([received(RECEIPT)], cal, today)
        return s.working_days_left, s.overdue

    assert left(date(2026, 10, 28)) == (1, False)
    assert left(date(2026, 10, 29)) == (0, False)
    assert left(date(2026, 10, 30)) == (-1, True)
    assert left(date(2026, 11, 2)) == (-2, True)


def test_withdrawal_ends_the_application(cal):
    s = state_of([received(RECEIPT), withdrawn(date(2026, 10, 9), "已自行获取")], cal, date(2026, 10, 12))
    assert s.state == "已撤回" and not s.overdue and s.working_days_left is None


def test_deadline_into_unknown_year_is_provisional_and_names_the_year(cal):
    s = state_of([received(date(2026, 12, 10))], cal, date(2026, 12, 11))
    assert s.provisional and s.missing_years == (2027,)
    assert s.due_date == date(2027, 1, 8)  # estimate: 12-11..31 is 15, 2027-01-01 元旦 off, 1-04..08
    assert "2027年的节假日安排尚未载入" in s.explanation[-1]


def test_deadline_within_a_known_year_is_not_provisional(cal):
    s = state_of([received(RECEIPT)], cal, RECEIPT)
    assert not s.provisional and not any("尚未载入" in line for line in s.explanation)


def test_art35_delay_can_only_move_the_reply_later_than_the_statutory_limit(cal):
    events = [received(RECEIPT), delay_set(date(2026, 10, 9), date(2026, 10, 20), "一个月内申请120件")]
    with pytest.raises(ValueError, match="须晚于法定答复期限 2026-10-29"):
        state_of(events, cal, date(2026, 10, 9))


def test_art35_delay_after_an_extension_must_pass_the_extended_limit(cal):
    events = [received(RECEIPT), extension_approved(date(2026, 10, 20), 10, "档案较多"),
              delay_set(date(2026, 10, 21), date(2026, 11, 5), "一个月内申请120件")]
    with pytest.raises(ValueError, match="须晚于法定答复期限 2026-11-12"):
        state_of(events, cal, date(2026, 10, 21))


K = EventKind
HANDLING_KINDS = {K.CORRECTION_REQUESTED, K.CONSULTATION_STARTED, K.EXTENSION_APPROVED, K.DELAY_SET, K.REPLIED,
                  K.WITHDRAWN, K.FEE_NOTIFIED}


@pytest.mark.parametrize("events, today, allowed", [
    ([], RECEIPT, {K.SUBMITTED, K.RECEIVED, K.CONFIRMED}),
    # Not yet confirmed, it may also be passed to another office of the portal (签收/退回, passing.py).
    ([submitted(RECEIPT, Channel.FAX)], RECEIPT, {K.CONFIRMED, K.WITHDRAWN, K.PASSED}),
    ([received(RECEIPT)], RECEIPT, HANDLING_KINDS),
    # 补正 is asked once (Art. 30): not again after the corrected application arrived.
    ([received(RECEIPT), correction_requested(date(2026, 9, 28), workdays=5), corrected_received(date(2026, 10, 9))],
     date(2026, 10, 9), HANDLING_KINDS - {K.CORRECTION_REQUESTED}),
    # 视为放弃 only once the period (5 working days from 9-28: Saturday 2026-10-10, worked) is over; the
    # applicant may send the correction online before and after it (a late one is marked for staff to decide).
    ([received(RECEIPT), correction_requested(date(2026, 9, 28), workdays=5)], date(2026, 10, 10),
     {K.CORRECTED_RECEIVED, K.CORRECTION_SUBMITTED, K.REPLIED, K.WITHDRAWN}),
    ([received(RECEIPT), correction_requested(date(2026, 9, 28), workdays=5)], date(2026, 10, 11),
     {K.CORRECTED_RECEIVED, K.CORRECTION_SUBMITTED, K.REPLIED, K.WITHDRAWN, K.ABANDONED}),
    # One extension (Art. 33); 补正 follows only 办理中, not 已延期 or 征求意见中.
    ([received(RECEIPT), extension_approved(date(2026, 10, 20), 10, "档案")], date(2026, 10, 20),
     HANDLING_KINDS - {K.EXTENSION_APPROVED, K.CORRECTION_REQUESTED}),
    ([received(RECEIPT), consultation_started(date(2026, 9, 28))], date(2026, 9, 28),
     HANDLING_KINDS - {K.CORRECTION_REQUESTED, K.FEE_NOTIFIED} | {K.CONSULTATION_DELIVERED, K.CONSULTATION_CLOSED}),
    ([received(RECEIPT), replied(date(2026, 10, 9), "予以公开")], date(2026, 10, 9), set()),
], ids=["nothing", "faxed", "received", "corrected", "correcting", "correction-over", "extended", "consulting",
        "replied"])
def test_the_engine_answers_which_events_may_be_recorded_today_and_refuses_the_others(cal, events, today, allowed):
    assert state_of(events, cal, today).allowed == allowed
    for kind in set(K) - allowed:
        with pytest.raises(ValueError):
            state_of(events + [any_event(kind, today)], cal, today)


def any_event(kind: EventKind, day: date) -> Event:
    """An event of this kind on `day`, with values its kind would otherwise accept."""
    return Event(kind, day, channel=Channel.IN_PERSON if kind == K.RECEIVED else Channel.ONLINE,
                 workdays=5 if kind in (K.CORRECTION_REQUESTED, K.EXTENSION_APPROVED) else None,
                 until=date(2026, 12, 31) if kind == K.DELAY_SET else None, reason="理由")
