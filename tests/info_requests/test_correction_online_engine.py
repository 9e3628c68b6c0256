"""补正 sent online (条例 Art. 30, 31(三)): the engine, pure, with dates counted by hand on the 2026 calendar.

Reference: received Thu 2026-09-24, 补正告知书 Tue 09-29 with 10 working days → 09-30 · (国庆 10-01..07) ·
10-08, 09, Sat 10-10 (make-up day), 10-12..16, 10-19 = the 补正 deadline is Mon 2026-10-19.
"""
from datetime import date

import pytest

from portal.calendar.workdays import calendar_from_chinesecalendar
from portal.info_requests.deadlines import compute_deadline
from portal.info_requests.events import (
    EventKind,
    Status,
    abandoned,
    corrected_received,
    correction_requested,
    correction_submitted,
    received,
    submitted,
    confirmed,
    withdrawn,
)

RECEIPT = date(2026, 9, 24)
BASE = [received(RECEIPT), correction_requested(date(2026, 9, 29), workdays=10)]
DUE = date(2026, 10, 19)


@pytest.fixture(scope="module")
def cal():
    """The official calendar, known for 2026 only."""
    return calendar_from_chinesecalendar([2026])


def test_a_correction_sent_online_waits_as_awaiting_correction_until_confirmed(cal):
    s = compute_deadline(BASE + [correction_submitted(date(2026, 10, 16))], cal, date(2026, 10, 16))
    assert s.state == Status.AWAITING_CORRECTION and s.due_date is None and s.clock_start is None
    assert s.correction_sent_on == date(2026, 10, 16) and not s.correction_sent_late
    assert s.correction_due == DUE
    assert any("在线提交补正（在补正期限内）" in line for line in s.explanation)
    assert "等待工作人员确认在线提交的补正，确认之日起重新计算答复期限" in s.explanation


def test_the_new_twenty_working_days_run_from_the_confirmation_day(cal):
    events = BASE + [correction_submitted(date(2026, 10, 16)), corrected_received(date(2026, 10, 19))]
    s = compute_deadline(events, cal, date(2026, 10, 19))
    # confirmed Mon 10-19 (not counted): 10-20..23 (4) · 10-26..30 (9) · 11-02..06 (14) · 11-09..13 (19) · 11-16 (20)
    assert s.state == Status.IN_PROGRESS and s.clock_start == date(2026, 10, 19)
    assert s.due_date == date(2026, 11, 16)
    assert "2026-10-19 确认收到补正后的申请，答复期限自当日重新起算（当日不计）" in s.explanation


def test_abandonment_is_impossible_while_a_correction_sent_in_time_waits(cal):
    events = BASE + [correction_submitted(date(2026, 10, 19))]  # the last day of the period is in time
    waiting = compute_deadline(events, cal, date(2026, 10, 22))  # three working days after the deadline
    assert EventKind.ABANDONED not in waiting.allowed
    assert EventKind.CORRECTED_RECEIVED in waiting.allowed and EventKind.WITHDRAWN in waiting.allowed
    with pytest.raises(ValueError, match="在补正期限内在线提交补正，正等待确认，不能于 2026-10-22 视为放弃"):
        compute_deadline(events + [abandoned(date(2026, 10, 22))], cal, date(2026, 10, 22))


def test_a_correction_sent_after_the_deadline_is_kept_and_marked_late_for_staff_to_decide(cal):
    events = BASE + [correction_submitted(date(2026, 10, 20))]  # Tue, the day after the deadline
    s = compute_deadline(events, cal, date(2026, 10, 21))
    assert s.correction_sent_late and s.state == Status.AWAITING_CORRECTION
    assert EventKind.ABANDONED in s.allowed  # staff may still end it as 视为放弃 ...
    ended = compute_deadline(events + [abandoned(date(2026, 10, 21))], cal, date(2026, 10, 21))
    assert ended.state == Status.ABANDONED


def test_accepting_a_late_correction_needs_the_good_reason(cal):
    events = BASE + [correction_submitted(date(2026, 10, 20))]
    with pytest.raises(ValueError, match="正当理由"):
        compute_deadline(events + [corrected_received(date(2026, 10, 21))], cal, date(2026, 10, 21))
    s = compute_deadline(events + [corrected_received(date(2026, 10, 21), "住院，有医院证明")], cal, date(2026, 10, 21))
    # confirmed Wed 10-21: 10-22, 23 (2) · 10-26..30 (7) · 11-02..06 (12) · 11-09..13 (17) · 11-16, 17, 18 (20)
    assert s.due_date == date(2026, 11, 18)
    assert any("补正晚于补正期限" in line for line in s.explanation)


def test_a_deadline_told_later_in_writing_makes_a_correction_sent_before_it_timely(cal):
    told = [received(RECEIPT), correction_requested(date(2026, 9, 29), workdays=10)]
    told[1] = type(told[1])(**{**told[1].__dict__, "told": date(2026, 10, 21)})
    s = compute_deadline(told + [correction_submitted(date(2026, 10, 21))], cal, date(2026, 10, 21))
    assert not s.correction_sent_late and s.abandon_after == date(2026, 10, 21)


def test_confirmation_before_the_day_the_correction_was_sent_is_refused(cal):
    events = BASE + [correction_submitted(date(2026, 10, 16)), corrected_received(date(2026, 10, 15))]
    with pytest.raises(ValueError, match="早于"):
        compute_deadline(events, cal, date(2026, 10, 16))


def test_only_one_online_correction_is_accepted(cal):
    events = BASE + [correction_submitted(date(2026, 10, 15)), correction_submitted(date(2026, 10, 16))]
    with pytest.raises(ValueError, match="不能重复提交"):
        compute_deadline(events, cal, date(2026, 10, 16))
    once = compute_deadline(events[:-1], cal, date(2026, 10, 16))
    assert EventKind.CORRECTION_SUBMITTED not in once.allowed


def test_an_online_correction_is_only_possible_while_awaiting_correction(cal):
    with pytest.raises(ValueError, match="不能申请人在线提交补正"):
        compute_deadline([received(RECEIPT), correction_submitted(date(2026, 9, 25))], cal, date(2026, 9, 28))
    closed = BASE + [withdrawn(date(2026, 10, 9)), correction_submitted(date(2026, 10, 12))]
    with pytest.raises(ValueError, match="已办结"):
        compute_deadline(closed, cal, date(2026, 10, 12))


def test_a_reply_date_in_a_year_not_yet_published_is_marked_as_an_estimate(cal):
    # received Tue 12-01 online, confirmed 12-01; 补正 12-02 with 10 working days → 12-16;
    # sent 12-10, confirmed Fri 12-11: the 20 working days run past 2026-12-31 into 2027, not yet published.
    events = [submitted(date(2026, 12, 1)), confirmed(date(2026, 12, 1)),
              correction_requested(date(2026, 12, 2), workdays=10), correction_submitted(date(2026, 12, 10)),
              corrected_received(date(2026, 12, 11))]
    s = compute_deadline(events, cal, date(2026, 12, 11))
    assert s.due_date.year == 2027 and s.is_estimated("due_date")
