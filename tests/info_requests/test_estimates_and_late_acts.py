"""No silent estimate, late acts flagged (issue 10 items 3, 4): the engine, pure, on the 2026 notice.

2026 facts used here (国务院办公厅关于2026年部分节假日安排的通知): 国庆 10-01..10-07 off, Sat 10-10 worked;
November and December 2026 have no holiday and no make-up day. The calendar holds 2026 only: any day of
2027 is estimated from the 放假办法 (元旦 Fri 2027-01-01 off, nothing else in early January).
"""
from datetime import date

import pytest

from portal.calendar.workdays import (
    CalendarEntry,
    calendar_from_chinesecalendar,
    calendar_from_entries,
    chinesecalendar_entries,
)
from portal.info_requests import letters
from portal.info_requests.deadlines import compute_deadline
from portal.info_requests.events import (
    Event,
    EventKind,
    abandoned,
    confirmed,
    corrected_received,
    correction_requested,
    delay_set,
    extension_approved,
    received,
    replied,
    submitted,
)
from portal.info_requests.services import check_confirmation

RECEIPT = date(2026, 9, 24)  # Thu; 20th working day after it: 2026-10-29 (test_deadlines.py counts it)


@pytest.fixture(scope="module")
def cal():
    """The official calendar for 2026 only (2027 not published)."""
    return calendar_from_chinesecalendar([2026])


@pytest.fixture(scope="module")
def cal_2027_earlier():
    """2026 official plus a made-up 2027 whose Sat 2027-01-02 is a working day: dates over New Year come
    one working day EARLIER than the estimate (which has no make-up day)."""
    entries = chinesecalendar_entries([2026]) + [CalendarEntry(date(2027, 1, 1), False, "元旦"),
                                                 CalendarEntry(date(2027, 1, 2), True, "元旦调休上班（测试）")]
    return calendar_from_entries([2026, 2027], entries)


def told(event: Event, day: date) -> Event:
    """The 补正 request as stored after its letter stated `day` (records.note_told)."""
    return Event(**{**event.__dict__, "told": day})


# --- Item 3: which dates are estimates --------------------------------------------------------------

def test_the_reply_date_can_be_an_estimate_while_the_correction_deadline_is_exact(cal):
    # Received Tue 12-01. 补正 on 12-03 for 10 working days: 12-04 (1), 12-07..11 (2–6), 12-14..17 (7–10) → 12-17,
    # all in 2026: exact. Corrected 12-15: 12-16..18 (3), 12-21..25 (8), 12-28..31 (12), 2027-01-01 estimated off,
    # 01-04..08 (17), 01-11..13 (20) → 2027-01-13: an estimate.
    events = [received(date(2026, 12, 1)), correction_requested(date(2026, 12, 3), workdays=10),
              corrected_received(date(2026, 12, 15))]
    s = compute_deadline(events, cal, date(2026, 12, 16))
    assert s.correction_due == date(2026, 12, 17) and not s.is_estimated("correction_due")
    assert s.due_date == date(2027, 1, 13) and s.is_estimated("due_date")
    assert s.estimated["due_date"] == (2027,) and "correction_due" not in s.provisional_dates


def test_the_correction_deadline_can_be_an_estimate_while_the_notice_window_is_exact(cal):
    # Received Tue 12-15: notice window 12-16,17,18,21,22,23,24 → 12-24 (exact). 补正 on Thu 12-17 for 15 working
    # days: 12-18 (1), 12-21..25 (6), 12-28..31 (10), 2027-01-01 estimated off, 01-04..08 (15) → 2027-01-08.
    events = [received(date(2026, 12, 15)), correction_requested(date(2026, 12, 17), workdays=15)]
    s = compute_deadline(events, cal, date(2026, 12, 17))
    assert s.correction_notice_due == date(2026, 12, 24) and not s.is_estimated("correction_notice_due")
    assert s.correction_due == date(2027, 1, 8) and s.estimated["correction_due"] == (2027,)
    assert s.due_date is None and not s.is_estimated("due_date")


def test_a_correction_deadline_given_as_a_date_is_never_an_estimate(cal):
    events = [received(date(2026, 12, 15)), correction_requested(date(2026, 12, 17), until=date(2027, 1, 15))]
    s = compute_deadline(events, cal, date(2026, 12, 17))
    assert s.correction_due == date(2027, 1, 15) and not s.is_estimated("correction_due")


def test_an_art_35_date_set_by_the_office_is_not_an_estimate(cal):
    # Received Tue 12-01: 20th working day 12-29 (12-02..04 3, 07..11 8, 14..18 13, 21..25 18, 28, 29).
    # The office sets 2027-02-26 (Art. 35): a date it gave, not one counted.
    events = [received(date(2026, 12, 1)), delay_set(date(2026, 12, 10), date(2027, 2, 26), "申请数量明显超过合理范围")]
    s = compute_deadline(events, cal, date(2026, 12, 10))
    assert s.original_due_date == date(2026, 12, 29) and s.due_date == date(2027, 2, 26)
    assert not s.is_estimated("due_date")


def test_letters_say_which_date_is_an_estimate(cal):
    s = compute_deadline([received(date(2026, 12, 15)), correction_requested(date(2026, 12, 17), workdays=15)],
                         cal, date(2026, 12, 17))
    assert letters.due_phrase(s.correction_notice_due, s, "correction_notice_due") == "2026年12月24日"
    note = letters.due_phrase(s.correction_due, s, "correction_due")
    assert note.startswith("2027年1月8日（2027年节假日安排尚未公布，按现行放假办法推算；如国务院公布的安排不同，以更正后日期为准")


# --- Item 3: nothing becomes 视为放弃 before the date told in writing ----------------------------------

def test_an_imported_year_moving_the_correction_deadline_earlier_keeps_the_letters_date(cal, cal_2027_earlier):
    request = correction_requested(date(2026, 12, 17), workdays=15)
    before = compute_deadline([received(date(2026, 12, 15)), request], cal, date(2026, 12, 17))
    assert before.correction_due == date(2027, 1, 8)  # the 补正告知书 states this (estimate, counted above)
    events = [received(date(2026, 12, 15)), told(request, date(2027, 1, 8))]
    # With the real 2027: 12-18 (1), 12-21..25 (6), 12-28..31 (10), Sat 01-02 worked (11), 01-04..07 (15) → 01-07.
    after = compute_deadline(events, cal_2027_earlier, date(2027, 1, 8))
    assert after.correction_due == date(2027, 1, 7) and not after.is_estimated("correction_due")
    assert after.correction_told == after.abandon_after == date(2027, 1, 8)
    assert EventKind.ABANDONED not in after.allowed  # 01-08 is still inside what the applicant was told
    with pytest.raises(ValueError, match="已书面告知申请人的补正期限 2027-01-08 尚未届满"):
        compute_deadline([*events, abandoned(date(2027, 1, 8))], cal_2027_earlier, date(2027, 1, 8))
    done = compute_deadline([*events, abandoned(date(2027, 1, 11))], cal_2027_earlier, date(2027, 1, 11))
    assert done.state == "视为放弃"


def test_the_latest_of_told_and_computed_decides_when_the_deadline_moves_later(cal):
    # Told 01-06 in an older letter, computed now 01-08: 视为放弃 waits for 01-08.
    request = correction_requested(date(2026, 12, 17), workdays=15)
    events = [received(date(2026, 12, 15)), told(request, date(2027, 1, 6))]
    s = compute_deadline(events, cal, date(2027, 1, 8))
    assert s.abandon_after == date(2027, 1, 8) and EventKind.ABANDONED not in s.allowed
    assert EventKind.ABANDONED in compute_deadline(events, cal, date(2027, 1, 11)).allowed


# --- Item 4: late acts are flagged -------------------------------------------------------------------

def test_a_late_extension_does_not_make_a_late_reply_timely(cal):
    # Due 10-29. Extension of 10 decided 10-30 (late): 10-30 (1), 11-02..06 (6), 11-09..12 (10) → 11-12.
    events = [received(RECEIPT), extension_approved(date(2026, 10, 30), 10, "需调取档案"),
              replied(date(2026, 11, 5), "予以公开")]
    s = compute_deadline(events, cal, date(2026, 11, 5))
    assert s.extension.late and s.extension.due == date(2026, 11, 12) == s.due_date
    assert s.lawful_due_date == date(2026, 10, 29) and s.replied_late is True
    assert any("超过法定答复期限 2026-10-29，属逾期答复" in line for line in s.explanation)


def test_a_timely_extension_keeps_a_reply_inside_it_timely(cal):
    events = [received(RECEIPT), extension_approved(date(2026, 10, 28), 10, "需调取档案"),
              replied(date(2026, 11, 5), "予以公开")]
    s = compute_deadline(events, cal, date(2026, 11, 5))
    assert s.lawful_due_date == s.due_date == date(2026, 11, 12) and s.replied_late is False


def test_an_art_35_delay_decided_after_the_limit_is_flagged_and_does_not_excuse_the_reply(cal):
    events = [received(RECEIPT), delay_set(date(2026, 10, 30), date(2026, 11, 30), "申请数量明显超过合理范围")]
    s = compute_deadline([*events, replied(date(2026, 11, 20), "予以公开")], cal, date(2026, 11, 20))
    assert s.delay.late and s.due_date == date(2026, 11, 30) and s.lawful_due_date == date(2026, 10, 29)
    assert s.replied_late is True and any("属逾期决定" in line for line in s.explanation)
    timely = [received(RECEIPT), delay_set(date(2026, 10, 20), date(2026, 11, 30), "申请数量明显超过合理范围"),
              replied(date(2026, 11, 20), "予以公开")]
    t = compute_deadline(timely, cal, date(2026, 11, 20))
    assert not t.delay.late and t.lawful_due_date == date(2026, 11, 30) and t.replied_late is False


def test_a_confirmation_later_than_the_arrival_is_flagged_with_its_reason(cal):
    events = [submitted(date(2026, 12, 1), "平常信函"), confirmed(date(2026, 12, 3), "平常信函", "当日无法联系申请人")]
    late = compute_deadline(events, cal, date(2026, 12, 3))
    assert late.arrived_on == date(2026, 12, 1) and late.confirmation_late
    assert "申请于 2026-12-01 到达，2026-12-03 才与申请人确认，晚于到达之日（原因：当日无法联系申请人）" in late.explanation
    same_day = compute_deadline([submitted(date(2026, 12, 1)), confirmed(date(2026, 12, 1))], cal, date(2026, 12, 1))
    assert not same_day.confirmation_late


def test_a_late_confirmation_needs_a_reason_an_on_time_one_does_not():
    with pytest.raises(ValueError, match="确认日期 2026-12-03 晚于到达之日：请填写未能当日确认的原因"):
        check_confirmation(date(2026, 12, 1), date(2026, 12, 3), "  ")
    check_confirmation(date(2026, 12, 1), date(2026, 12, 3), "当日无法联系申请人")
    check_confirmation(date(2026, 12, 1), date(2026, 12, 1), "")
    check_confirmation(None, date(2026, 12, 3), "")  # recorded as confirmed directly: no arrival day known


def test_a_late_correction_notice_keeps_the_first_limit_beside_the_restarted_one(cal):
    # Notice due 10-12 (test_deadlines.py). Notice on Tue 10-13 (late); corrected Fri 10-16: 10-19..23 (5),
    # 10-26..30 (10), 11-02..06 (15), 11-09..13 (20) → 11-13. The first limit, 10-29, stays visible.
    events = [received(RECEIPT), correction_requested(date(2026, 10, 13), workdays=5),
              corrected_received(date(2026, 10, 16))]
    s = compute_deadline(events, cal, date(2026, 10, 16))
    assert s.correction_notice_late and s.first_due_date == date(2026, 10, 29) and s.due_date == date(2026, 11, 13)
    assert any("原答复期限 2026-10-29" in line and "补正告知逾期" in line for line in s.explanation)
    on_time = [received(RECEIPT), correction_requested(date(2026, 10, 12), workdays=5),
               corrected_received(date(2026, 10, 16))]
    assert compute_deadline(on_time, cal, date(2026, 10, 16)).first_due_date is None
