"""The working-day calendar: pure functions; "today" is always an argument, never read here.

Counting follows 民法典 Art. 201 by analogy: "N working days from D" is the N-th working day strictly
after D, whatever kind of day D is. Working days are Monday–Friday, minus the State Council's rest
weekdays, plus its make-up working weekends (调休上班).

A `WorkCalendar` knows some years exactly (that year's schedule is fully loaded). For any other year it
never guesses silently: it estimates from weekends plus the statutory holidays of the 2024 放假办法
(Art. 2, with the Art. 6 补假 for a holiday on a weekend) and every answer names the years it had to
estimate, so the caller can show the date as provisional.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

ONE_DAY = dt.timedelta(days=1)
MAX_WORKDAYS = 10_000

# 正月初一 (春节), 清明, 五月初五 (端午), 八月十五 (中秋) per year, as (month, day).
# Computed with lunardate 0.3.0 (LunarDate(y, 1, 1).to_solar_date(), …) and lunar-python 1.4.8
# (Lunar.fromYmd(y, 1, 1).getSolar(), getJieQiTable()["清明"]); both agree for every year, and 清明
# agrees with chinese_calendar.get_solar_terms. 除夕 is the day before 正月初一. From 2025, the first
# year under the 2024 revision (除夕 became a holiday then).
LUNAR_HOLIDAYS: dict[int, tuple[tuple[int, int], ...]] = {
    2025: ((1, 29), (4, 4), (5, 31), (10, 6)),
    2026: ((2, 17), (4, 5), (6, 19), (9, 25)),
    2027: ((2, 6), (4, 5), (6, 9), (9, 15)),
    2028: ((1, 26), (4, 4), (5, 28), (10, 3)),
    2029: ((2, 13), (4, 4), (6, 16), (9, 22)),
    2030: ((2, 3), (4, 5), (6, 5), (9, 12)),
    2031: ((1, 23), (4, 5), (6, 24), (10, 1)),
    2032: ((2, 11), (4, 4), (6, 12), (9, 19)),
    2033: ((1, 31), (4, 4), (6, 1), (9, 8)),
    2034: ((2, 19), (4, 5), (6, 20), (9, 27)),
    2035: ((2, 8), (4, 5), (6, 10), (9, 16)),
    2036: ((1, 28), (4, 4), (5, 30), (10, 4)),
    2037: ((2, 15), (4, 4), (6, 18), (9, 24)),
    2038: ((2, 4), (4, 5), (6, 7), (9, 13)),
    2039: ((1, 24), (4, 5), (5, 27), (10, 2)),
    2040: ((2, 12), (4, 4), (6, 14), (9, 20)),
}


class UnknownYearError(LookupError):
    """A year whose official schedule the calendar does not hold was asked for without an estimate."""

    def __init__(self, year: int):
        """Remember the year, with a message staff can read."""
        self.year = year
        super().__init__(f"{year}年的节假日安排尚未载入日历")


@dataclass(frozen=True)
class Workday:
    """A counted date; provisional when it depended on a year the calendar had to estimate."""

    date: dt.date
    missing_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        """True when any year on the way was estimated, not known."""
        return bool(self.missing_years)

    def __str__(self) -> str:
        """YYYY-MM-DD, as shown and as the CLI prints it."""
        return self.date.isoformat()


@dataclass(frozen=True)
class WorkdayCount:
    """A number of working days; provisional when it depended on an estimated year."""

    count: int
    missing_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        """True when any year on the way was estimated, not known."""
        return bool(self.missing_years)


@dataclass(frozen=True)
class CalendarEntry:
    """One day that differs from (or restates) the Monday–Friday default, with its reason."""

    day: dt.date
    is_workday: bool
    note: str = ""


def describe_missing(years: Iterable[int]) -> str:
    """The Chinese warning shown next to every provisional date."""
    names = "、".join(f"{y}年" for y in sorted(set(years)))
    return (f"{names}的节假日安排尚未载入日历，相关日期按《全国年节及纪念日放假办法》规定的法定节假日估算，"
            "国务院公布安排并导入后须重新核对")


def _is_weekend(d: dt.date) -> bool:
    """Saturday or Sunday."""
    return d.weekday() >= 5


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The holidays of 放假办法 (2024) Art. 2 for a year; lunar ones only where LUNAR_HOLIDAYS has the year."""
    days: dict[dt.date, str] = {}

    def add(d: dt.date, name: str) -> None:
        # Two festivals on one day (e.g. 中秋 on 10-03 in 2028) keep both names.
        days[d] = f"{days[d]}、{name}" if d in days else name

    add(dt.date(year, 1, 1), "元旦")
    if year in LUNAR_HOLIDAYS:
        spring, qingming, duanwu, zhongqiu = (dt.date(year, m, d) for m, d in LUNAR_HOLIDAYS[year])
        for offset in range(-1, 3):
            add(spring + dt.timedelta(days=offset), "春节")
        add(qingming, "清明节")
        add(duanwu, "端午节")
        add(zhongqiu, "中秋节")
    for d in (dt.date(year, 5, 1), dt.date(year, 5, 2)):
        add(d, "劳动节")
    for day in (1, 2, 3):
        add(dt.date(year, 10, day), "国庆节")
    return days


@lru_cache(maxsize=64)
def estimated_rest_weekdays(year: int) -> dict[dt.date, str]:
    """Weekdays off by statute alone: Art. 2 holidays plus the Art. 6 补假 (no 调休 is assumed)."""
    holidays = statutory_holidays(year)
    rest = {d: name for d, name in holidays.items() if not _is_weekend(d)}
    festivals: dict[str, list[dt.date]] = {}
    for d, names in sorted(holidays.items()):
        for name in names.split("、"):
            festivals.setdefault(name, []).append(d)
    taken: set[dt.date] = set()
    for name, days in sorted(festivals.items(), key=lambda item: item[1][0]):
        # A festival day on a weekend, or on a day an earlier festival already holds, is owed a weekday.
        owed = sum(1 for d in days if _is_weekend(d) or d in taken)
        taken.update(days)
        d = days[-1]
        while owed:
            d += ONE_DAY
            if not _is_weekend(d) and d not in rest:
                rest[d] = f"{name}补假"
                owed -= 1
    return rest


def _estimated_is_workday(d: dt.date) -> bool:
    """Weekday and not a statutory rest day (all of them, 补假 included, fall inside their own year)."""
    return not _is_weekend(d) and d not in estimated_rest_weekdays(d.year)


def _in_ranges(d: dt.date, ranges: Sequence[tuple[dt.date, dt.date]]) -> bool:
    """Whether d lies in one of the inclusive (first, last) ranges."""
    return any(first <= d <= last for first, last in ranges)


@dataclass(frozen=True)
class WorkCalendar:
    """The office's calendar: exact for known_years, estimated (and said so) for any other year."""

    known_years: frozenset[int] = field(default_factory=frozenset)
    rest_weekdays: frozenset[dt.date] = field(default_factory=frozenset)
    work_weekends: frozenset[dt.date] = field(default_factory=frozenset)

    def __post_init__(self):
        """Freeze the sets and refuse days that cannot be exceptions of a known year."""
        for name in ("known_years", "rest_weekdays", "work_weekends"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        for d in self.rest_weekdays:
            if _is_weekend(d) or d.year not in self.known_years:
                raise ValueError(f"{d} 不是已载入年份中的周一至周五，不能列为休息的工作日")
        for d in self.work_weekends:
            if not _is_weekend(d) or d.year not in self.known_years:
                raise ValueError(f"{d} 不是已载入年份中的周六或周日，不能列为调休上班日")

    def is_known(self, d: dt.date) -> bool:
        """Whether the official schedule of d's year is loaded."""
        return d.year in self.known_years

    def is_workday(self, d: dt.date, *, allow_estimate: bool = False) -> bool:
        """Whether d is a working day; for an unknown year raise UnknownYearError unless allow_estimate."""
        if d.year in self.known_years:
            return d in self.work_weekends or (not _is_weekend(d) and d not in self.rest_weekdays)
        if not allow_estimate:
            raise UnknownYearError(d.year)
        return _estimated_is_workday(d)

    def add_workdays(self, start: dt.date, n: int,
                     skip: Sequence[tuple[dt.date, dt.date]] = ()) -> Workday:
        """The n-th working day strictly after start; days inside the skip ranges (pauses) do not count."""
        if n < 0 or n > MAX_WORKDAYS:
            raise ValueError(f"工作日数应在 0 至 {MAX_WORKDAYS} 之间，收到 {n}")
        d, counted, missing = start, 0, set()
        while counted < n:
            d += ONE_DAY
            counted += self._counts(d, skip, missing)
        return Workday(d, tuple(sorted(missing)))

    def workday_from(self, start: dt.date) -> Workday:
        """start itself if it is a working day, else the first working day after it (a period's last day that
        falls on a rest day moves there); provisional when a day looked at lies in a year not loaded."""
        d, missing = start, set()
        while True:
            if not self.is_known(d):
                missing.add(d.year)
            if self.is_workday(d, allow_estimate=True):
                return Workday(d, tuple(sorted(missing)))
            d += ONE_DAY

    def workdays_between(self, a: dt.date, b: dt.date,
                         skip: Sequence[tuple[dt.date, dt.date]] = ()) -> WorkdayCount:
        """Working days in (a, b], negative (days in (b, a]) when b is before a; skip ranges not counted."""
        sign, lo, hi = (1, a, b) if a <= b else (-1, b, a)
        count, missing, d = 0, set(), lo
        while d < hi:
            d += ONE_DAY
            count += self._counts(d, skip, missing)
        return WorkdayCount(sign * count, tuple(sorted(missing)))

    def estimated_years(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """The years of the days in (a, b] this calendar does not hold: a date counted from a to b is an
        estimate exactly when this is not empty (pauses inside the span do not make it exact)."""
        if b <= a:
            return ()
        return tuple(y for y in range((a + ONE_DAY).year, b.year + 1) if y not in self.known_years)

    def _counts(self, d: dt.date, skip: Sequence[tuple[dt.date, dt.date]], missing: set[int]) -> bool:
        """Whether day d counts (a working day outside the skip ranges); note its year if estimated."""
        if _in_ranges(d, skip):
            return False
        if not self.is_known(d):
            missing.add(d.year)
        return self.is_workday(d, allow_estimate=True)


def calendar_from_entries(known_years: Iterable[int], entries: Iterable[CalendarEntry]) -> WorkCalendar:
    """Build a calendar from stored days; rows that restate the default or lie outside known years are dropped."""
    years = frozenset(known_years)
    rest, work = set(), set()
    for entry in entries:
        if entry.day.year not in years:
            continue
        if entry.is_workday and _is_weekend(entry.day):
            work.add(entry.day)
        elif not entry.is_workday and not _is_weekend(entry.day):
            rest.add(entry.day)
    return WorkCalendar(years, rest, work)


def chinesecalendar_years() -> range:
    """The years chinesecalendar holds (2004–2026 in 1.11.0)."""
    from chinese_calendar.constants import holidays

    return range(min(holidays).year, max(holidays).year + 1)


def chinesecalendar_entries(years: Iterable[int]) -> list[CalendarEntry]:
    """Every holiday and make-up working day chinesecalendar lists for the years, with Chinese notes."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    wanted = set(years)
    supported = chinesecalendar_years()
    unsupported = sorted(y for y in wanted if y not in supported)
    if unsupported:
        raise ValueError(f"chinesecalendar 没有 {'、'.join(map(str, unsupported))} 年的数据"
                         f"（仅有 {supported.start}—{supported.stop - 1} 年），请导入国务院公布的安排")
    full_names = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}

    def name(value: str) -> str:
        chinese = Holiday(value).chinese
        return full_names.get(chinese, chinese)

    entries = [CalendarEntry(d, False, name(v)) for d, v in holidays.items() if d.year in wanted]
    entries += [CalendarEntry(d, True, f"{name(v)}调休上班") for d, v in workdays.items() if d.year in wanted]
    return sorted(entries, key=lambda e: e.day)


def calendar_from_chinesecalendar(years: Iterable[int]) -> WorkCalendar:
    """A calendar knowing exactly the given years, from chinesecalendar (never its find_workday)."""
    years = set(years)
    return calendar_from_entries(years, chinesecalendar_entries(years))
