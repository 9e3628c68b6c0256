"""The stored calendar: seed it from chinesecalendar, import a year's schedule, load it, show it.

Import file format (UTF-8, with or without BOM), one day or range per line:

    # 2027年部分节假日安排（国务院办公厅通知）      ← lines starting with # are comments
    2027-01-01,休,元旦
    2027-02-06~2027-02-12,休,春节                   ← an inclusive range, "~" or "至"
    2027-02-14,班,春节调休上班

Fields are separated by "," or "，"; the type is 休 (or 放假) for a rest day, 班 (or 上班) for a
working weekend; the note is optional. All dates must be in one year. The file must list every
statutory holiday of 放假办法 Art. 2 that falls on a weekday (a typo check). Any error rejects the
whole file, with line numbers; nothing is half-imported.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy import delete, select

from ..core.clock import OFFICE_TZ, utcnow
from ..core.db import transaction
from ..extensions import db
from ..models.calendar import CalendarDay, CalendarYear
from .workdays import (
    CalendarEntry,
    WorkCalendar,
    calendar_from_entries,
    chinesecalendar_entries,
    chinesecalendar_years,
    estimated_rest_weekdays,
    statutory_holidays,
)

WEEKDAYS = "一二三四五六日"
REST_WORDS = {"休", "放假"}
WORK_WORDS = {"班", "上班"}
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_YEAR, MAX_YEAR = 2004, 2100  # the years the calendar holds or may be given (chinesecalendar starts in 2004)


class CalendarImportError(ValueError):
    """A schedule file that cannot be imported; `errors` lists every problem found, in Chinese."""

    def __init__(self, errors: list[str]):
        """Keep every problem; the message lists them one per line."""
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored."""

    year: int
    rest_days: int
    work_days: int
    replaced: bool


def weekday_name(d: dt.date) -> str:
    """周一 … 周日."""
    return "周" + WEEKDAYS[d.weekday()]


def _read_text(file: str | Path | IO[bytes] | IO[str] | bytes) -> str:
    """The file's text, UTF-8 with an optional BOM."""
    if isinstance(file, (str, Path)):
        data = Path(file).read_bytes()
    elif isinstance(file, bytes):
        data = file
    else:
        data = file.read()
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CalendarImportError([f"第{line}行：文件不是 UTF-8 编码，请另存为 UTF-8 后再导入"]) from None


def _parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date in ASCII digits, or None."""
    if not (text.isascii() and DATE_RE.match(text)):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_schedule(text: str) -> tuple[int, list[CalendarEntry]]:
    """Parse and check a schedule file; return (year, entries) or raise CalendarImportError."""
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    entries: list[CalendarEntry] = []
    year: int | None = None
    for number, raw in enumerate(io.StringIO(text), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in re.split(r"[,，]", line, maxsplit=2)]
        if len(fields) < 2:
            errors.append(f"第{number}行：应为“日期,休或班,说明”，用逗号分隔")
            continue
        span, kind = fields[0], fields[1]
        note = fields[2] if len(fields) > 2 else ""
        parts = [p.strip() for p in re.split(r"~|～|至", span)]
        dates = [_parse_date(p) for p in parts]
        if len(parts) > 2 or None in dates:
            errors.append(f"第{number}行：日期“{span}”无效，应为 YYYY-MM-DD 或 YYYY-MM-DD~YYYY-MM-DD")
            continue
        first, last = dates[0], dates[-1]
        outside = [d for d in (first, last) if not MIN_YEAR <= d.year <= MAX_YEAR]
        if outside:
            errors.append(f"第{number}行：{outside[0]} 超出工作日历可载入的年份（{MIN_YEAR}—{MAX_YEAR}年）")
            continue
        if last < first:
            errors.append(f"第{number}行：起止日期颠倒（{first} 晚于 {last}）")
            continue
        if kind not in REST_WORDS | WORK_WORDS:
            errors.append(f"第{number}行：类型应为“休”或“班”，实际为“{kind}”")
            continue
        is_workday = kind in WORK_WORDS
        year = first.year if year is None else year
        day = first
        while day <= last:
            if day.year != year:
                errors.append(f"第{number}行：{day} 不属于{year}年（一个文件只能导入一年的安排）")
                break
            if day in seen:
                errors.append(f"第{number}行：{day} 与第{seen[day]}行重复")
            elif is_workday and day.weekday() < 5:
                errors.append(f"第{number}行：{day} 是{weekday_name(day)}，本来就是工作日，不应标为“班”")
            else:
                seen[day] = number
                entries.append(CalendarEntry(day, is_workday, note))
            day += dt.timedelta(days=1)
    if year is None:
        errors.append("文件中没有任何日期")
    else:
        rest = {e.day for e in entries if not e.is_workday}
        for day, name in sorted(statutory_holidays(year).items()):
            if day.weekday() < 5 and day not in rest:
                errors.append(f"缺少法定节假日：{day}（{weekday_name(day)}，{name}）应列为“休”")
    if errors:
        raise CalendarImportError(errors)
    return year, sorted(entries, key=lambda e: e.day)


def _store_year(year: int, entries: list[CalendarEntry], source: str) -> None:
    """Replace a year's rows inside the caller's transaction."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    db.session.execute(delete(CalendarDay).where(CalendarDay.day.between(start, end)))
    db.session.execute(delete(CalendarYear).where(CalendarYear.year == year))
    db.session.add(CalendarYear(year=year, source=source, loaded_at=utcnow()))
    db.session.add_all(
        CalendarDay(day=e.day, is_workday=e.is_workday, note=e.note, source=source) for e in entries
    )


def import_year(file: str | Path | IO[bytes] | IO[str] | bytes, *, replace: bool = False,
                source: str = "导入") -> ImportSummary:
    """Import one year's schedule in one transaction; an already loaded year needs replace=True."""
    year, entries = parse_schedule(_read_text(file))
    existing = db.session.get(CalendarYear, year)
    if existing is not None and not replace:
        raise CalendarImportError([
            f"{year}年的日历已载入（来源：{existing.source}，"
            f"{existing.loaded_at.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}）；如需替换，请使用 --replace"
        ])
    with transaction():
        _store_year(year, entries, source)
    return ImportSummary(year, sum(not e.is_workday for e in entries),
                         sum(e.is_workday for e in entries), existing is not None)


def seed_from_chinesecalendar(years=None) -> list[int]:
    """Load the years chinesecalendar holds (all by default) that are not loaded yet; one transaction."""
    wanted = sorted(set(chinesecalendar_years() if years is None else years))
    loaded = set(db.session.scalars(select(CalendarYear.year)))
    todo = [y for y in wanted if y not in loaded]
    entries = chinesecalendar_entries(todo)
    with transaction():
        for year in todo:
            _store_year(year, [e for e in entries if e.day.year == year], "chinesecalendar")
    return todo


def ensure_seeded() -> list[int]:
    """Seed the chinesecalendar years not loaded yet (all of them on first use); call lazily, never at import.

    Idempotent and cheap once seeded (one query); a year imported or replaced by staff is never touched.
    """
    return seed_from_chinesecalendar()


def load_calendar() -> WorkCalendar:
    """The stored calendar; years without a CalendarYear row stay unknown (and are estimated, flagged)."""
    years = set(db.session.scalars(select(CalendarYear.year)))
    # Plain rows, not ORM objects: a page asks for the calendar more than once, and building ~800 objects
    # each time was most of a staff page's time.
    rows = db.session.execute(select(CalendarDay.day, CalendarDay.is_workday, CalendarDay.note))
    return calendar_from_entries(years, (CalendarEntry(day, is_workday, note) for day, is_workday, note in rows))


def year_entries(year: int) -> list[CalendarEntry]:
    """The stored days of one year, in date order."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = db.session.scalars(
        select(CalendarDay).where(CalendarDay.day.between(start, end)).order_by(CalendarDay.day)
    )
    return [CalendarEntry(r.day, r.is_workday, r.note) for r in rows]


def show_year(year: int) -> str:
    """A plain-text view of a year's schedule for staff, or the statutory estimate if it is not loaded."""
    loaded = db.session.get(CalendarYear, year)
    if loaded is None:
        lines = [f"{year}年的节假日安排尚未载入日历。",
                 "按《全国年节及纪念日放假办法》估算的法定休息日（不含调休，仅供参考）："]
        lines += [f"  {d} {weekday_name(d)} {note}"
                  for d, note in sorted(estimated_rest_weekdays(year).items())]
        lines.append("国务院公布安排后，请用“flask --app wsgi calendar import 文件”导入。")
        return "\n".join(lines)
    entries = year_entries(year)
    calendar = load_calendar()
    day, total = dt.date(year, 1, 1), 0
    while day.year == year:
        total += calendar.is_workday(day)
        day += dt.timedelta(days=1)
    lines = [f"{year}年工作日历（来源：{loaded.source}，"
             f"载入时间 {loaded.loaded_at.astimezone(OFFICE_TZ):%Y-%m-%d %H:%M}）", "放假："]
    lines += [f"  {e.day} {weekday_name(e.day)} {e.note}" for e in entries if not e.is_workday]
    lines.append("调休上班：")
    lines += [f"  {e.day} {weekday_name(e.day)} {e.note}" for e in entries if e.is_workday]
    lines.append(f"全年工作日共 {total} 天")
    return "\n".join(lines)
