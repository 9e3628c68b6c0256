"""Working-day counting against the 2026 State Council notice, worked out by hand, and the estimates."""
from datetime import date, timedelta

import chinese_calendar
import pytest

from portal.calendar.workdays import (
    LUNAR_HOLIDAYS,
    UnknownYearError,
    WorkCalendar,
    calendar_from_chinesecalendar,
    chinesecalendar_entries,
    estimated_rest_weekdays,
    statutory_holidays,
)


@pytest.fixture(scope="module")
def cal():
    """The official calendar, known for 2025 and 2026 only."""
    return calendar_from_chinesecalendar([2025, 2026])


def test_receipt_day_is_not_counted(cal):
    assert cal.add_workdays(date(2026, 9, 23), 1).date == date(2026, 9, 24)
    assert cal.add_workdays(date(2026, 9, 24), 1).date == date(2026, 9, 28)  # 9-25 中秋, then weekend


def test_twenty_working_days_from_2026_09_24_cross_mid_autumn_and_national_day(cal):
    # 9-28,29,30 (3) · 10-01..07 off · 10-08,09 (5) · Sat 10-10 worked (6) · 10-12..16 (11)
    # · 10-19..23 (16) · 10-26,27,28,29 (20)
    result = cal.add_workdays(date(2026, 9, 24), 20)
    assert result.date == date(2026, 10, 29)
    assert not result.provisional and result.missing_years == ()


def test_make_up_saturday_counts_as_a_working_day(cal):
    assert cal.is_workday(date(2026, 10, 10))
    assert cal.add_workdays(date(2026, 10, 9), 1).date == date(2026, 10, 10)
    assert cal.add_workdays(date(2026, 2, 13), 1).date == date(2026, 2, 14)


def test_make_up_sunday_before_national_day_counts(cal):
    assert cal.add_workdays(date(2026, 9, 19), 1).date == date(2026, 9, 20)


def test_start_on_a_holiday_counts_from_the_next_working_day(cal):
    assert cal.add_workdays(date(2026, 10, 3), 1).date == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 2, 16), 1).date == date(2026, 2, 24)


def test_chinesecalendar_find_workday_is_off_by_one_on_rest_days_so_it_is_not_used(cal):
    assert chinese_calendar.find_workday(1, date(2026, 10, 3)) == date(2026, 10, 9)
    assert cal.add_workdays(date(2026, 10, 3), 1).date == date(2026, 10, 8)


def test_start_on_a_make_up_saturday_does_not_count_that_saturday(cal):
    assert cal.add_workdays(date(2026, 10, 10), 1).date == date(2026, 10, 12)
    # 10-12..16 (5) · 10-19..23 (10) · 10-26..30 (15) · 11-02..06 (20)
    assert cal.add_workdays(date(2026, 10, 10), 20).date == date(2026, 11, 6)


def test_spring_festival_2026_is_off_from_15_to_23_february_with_14_and_28_worked(cal):
    for offset in range(9):
        assert not cal.is_workday(date(2026, 2, 15) + timedelta(days=offset))
    assert cal.is_workday(date(2026, 2, 14)) and cal.is_workday(date(2026, 2, 28))
    assert cal.is_workday(date(2026, 2, 13)) and cal.is_workday(date(2026, 2, 24))
    assert cal.add_workdays(date(2026, 2, 14), 1).date == date(2026, 2, 24)


def test_other_2026_holidays_follow_the_notice(cal):
    for d in (date(2026, 1, 1), date(2026, 1, 2), date(2026, 4, 6), date(2026, 5, 4), date(2026, 5, 5),
              date(2026, 6, 19), date(2026, 9, 25), date(2026, 10, 7)):
        assert not cal.is_workday(d), d
    for d in (date(2026, 1, 4), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)):
        assert cal.is_workday(d), d


def test_2026_has_19_rest_weekdays_and_6_make_up_weekend_days():
    cal = calendar_from_chinesecalendar([2026])
    assert len(cal.rest_weekdays) == 19 and len(cal.work_weekends) == 6


def test_workdays_between_counts_the_half_open_interval(cal):
    assert cal.workdays_between(date(2026, 9, 24), date(2026, 10, 29)).count == 20
    assert cal.workdays_between(date(2026, 10, 29), date(2026, 9, 24)).count == -20
    assert cal.workdays_between(date(2026, 10, 29), date(2026, 10, 29)).count == 0
    assert cal.workdays_between(date(2026, 10, 2), date(2026, 10, 10)).count == 3  # 8, 9, 10


def test_skipped_ranges_do_not_count(cal):
    skip = [(date(2026, 10, 13), date(2026, 10, 20))]
    assert cal.add_workdays(date(2026, 9, 24), 20, skip).date == date(2026, 11, 6)
    assert cal.workdays_between(date(2026, 10, 12), date(2026, 10, 20)).count == 6


def test_year_end_crossing_within_known_years_is_not_provisional(cal):
    both = calendar_from_chinesecalendar([2025, 2026])
    result = both.add_workdays(date(2025, 12, 30), 3)  # 12-31, (1-1..1-3 off, 1-4 Sun worked), 1-4, 1-5
    assert result.date == date(2026, 1, 5) and not result.provisional


def test_period_into_unknown_year_is_provisional_and_names_the_year(cal):
    inside = cal.add_workdays(date(2026, 12, 24), 5)
    assert inside.date == date(2026, 12, 31) and not inside.provisional
    crossing = cal.add_workdays(date(2026, 12, 24), 6)
    assert crossing.provisional and crossing.missing_years == (2027,)
    assert crossing.date == date(2027, 1, 4)  # estimate: 2027-01-01 元旦 (Friday) off


def test_year_end_crossing_2026_to_2027_uses_an_imported_2027_schedule():
    cal = WorkCalendar({2026, 2027}, {date(2027, 1, 1), date(2027, 1, 4)}, {date(2027, 1, 9)})
    result = cal.add_workdays(date(2026, 12, 31), 2)
    assert result.date == date(2027, 1, 6) and not result.provisional


def test_unknown_year_is_refused_unless_an_estimate_is_asked_for(cal):
    with pytest.raises(UnknownYearError, match="2027年的节假日安排尚未载入"):
        cal.is_workday(date(2027, 3, 1))
    assert cal.is_workday(date(2027, 3, 1), allow_estimate=True)
    assert not cal.is_workday(date(2027, 10, 1), allow_estimate=True)


def test_statutory_estimate_never_calls_an_official_rest_day_a_working_day():
    for year in (2025, 2026):
        for d in estimated_rest_weekdays(year):
            assert not chinese_calendar.is_workday(d), d


def test_statutory_holidays_match_chinesecalendar_where_both_know_the_year():
    for year in (2025, 2026):  # the first years under the 2024 revision
        for d, name in statutory_holidays(year).items():
            assert chinese_calendar.is_holiday(d), (d, name)


def test_qingming_in_the_table_matches_the_solar_term_formula():
    for year, (_, (month, day), _, _) in LUNAR_HOLIDAYS.items():
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
        assert (date(year, month, day), "清明") in terms


def test_estimate_2027_includes_new_years_eve_of_spring_festival_and_weekend_compensation():
    rest = estimated_rest_weekdays(2027)
    assert rest[date(2027, 2, 5)] == "春节"  # 除夕, Friday
    assert rest[date(2027, 2, 9)] == "春节补假"  # 初一 and 初二 fell on the weekend
    assert rest[date(2027, 2, 10)] == "春节补假"
    assert date(2027, 10, 1) in rest and date(2027, 10, 4) in rest


def test_estimate_gives_one_compensation_day_when_mid_autumn_falls_on_national_day():
    rest = estimated_rest_weekdays(2028)  # 10-01 is a Sunday; 中秋 is 10-03
    assert {d for d in rest if d.month == 10} == {date(2028, 10, d) for d in (2, 3, 4, 5)}


def test_calendar_refuses_a_weekend_listed_as_rest_weekday():
    with pytest.raises(ValueError, match="2026-02-15"):
        WorkCalendar({2026}, {date(2026, 2, 15)}, set())


def test_negative_number_of_workdays_is_refused(cal):
    with pytest.raises(ValueError, match="工作日数"):
        cal.add_workdays(date(2026, 1, 5), -1)


def test_chinesecalendar_seed_refuses_years_it_does_not_hold():
    with pytest.raises(ValueError, match="2027"):
        chinesecalendar_entries([2027])


def test_chinesecalendar_entries_carry_chinese_notes():
    notes = {e.day: (e.is_workday, e.note) for e in chinesecalendar_entries([2026])}
    assert notes[date(2026, 9, 25)] == (False, "中秋节")
    assert notes[date(2026, 10, 10)] == (True, "国庆节调休上班")
