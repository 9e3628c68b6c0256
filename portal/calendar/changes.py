"""Staff changes to the working-day calendar: one transaction each, with the calendar change audited.

A change may move dates that depend on the calendar (the applications of portal.info_requests): each
change sends `calendar_changed` inside its transaction, with its cause in words; the receivers update
what depends on the calendar, audit and queue mail in that same transaction, and return what moved.
The calendar imports nothing of theirs.
"""
from __future__ import annotations

import datetime as dt

from blinker import Namespace
from sqlalchemy import select

from ..core import audit
from ..core.db import transaction
from ..core.mail import mail_queued
from ..extensions import db
from ..models import CalendarDay, CalendarYear, InfoRequest
from .store import CalendarImportError, ImportSummary, _read_text, _store_year, parse_schedule, weekday_name

MAX_SCHEDULE_BYTES = 200_000
KIND_LABELS = {"rest": "放假", "work": "调休上班", "default": "常规"}

audit.label_actions({"calendar_day": "修改工作日历", "calendar_import": "导入节假日安排"},
                    {"calendar_day": "工作日历", "calendar_year": "工作日历"})

calendar_changed = Namespace().signal("calendar-changed")  # send(cause=…) → each receiver returns what moved


def _tell_listeners(cause: str) -> list[InfoRequest]:
    """Send `calendar_changed` in the current transaction; everything the receivers moved, in order."""
    return [row for _, moved in calendar_changed.send(cause=cause) for row in (moved or ())]


def _day_state(row: CalendarDay | None) -> dict:
    """A day's setting for the audit log."""
    if row is None:
        return {"type": KIND_LABELS["default"], "note": ""}
    return {"type": KIND_LABELS["work" if row.is_workday else "rest"], "note": row.note}


def set_day(day: dt.date, kind: str, note: str = "") -> list[InfoRequest] | None:
    """Make one day of a loaded year a rest day ("rest"), a make-up working day ("work") or ordinary
    ("default"); the receivers re-date what depends on it. Returns what moved (None when nothing
    changed); ValueError (Chinese) if refused.
    """
    if kind not in KIND_LABELS:
        raise ValueError("请选择放假、调休上班或恢复常规")
    if db.session.get(CalendarYear, day.year) is None:
        raise ValueError(f"{day.year}年的节假日安排尚未载入，单日修改只适用于已载入的年份；请先导入全年安排")
    weekend = day.weekday() >= 5
    if kind == "work" and not weekend:
        raise ValueError(f"{day} 是{weekday_name(day)}，本来就是工作日；只有周六、周日才能设为调休上班")
    row = db.session.get(CalendarDay, day)
    before = _day_state(row)
    note = (note or "").strip()
    if kind == "default":
        if row is not None:
            db.session.delete(row)
            row = None
    else:
        if row is None:
            row = CalendarDay(day=day, source="人工")
            db.session.add(row)
        row.is_workday, row.note, row.source = kind == "work", note, "人工"
    after = _day_state(row)
    if before == after:
        db.session.rollback()
        return None
    summary = f"工作日历：{day}（{weekday_name(day)}）由{before['type']}改为{after['type']}"
    with transaction():
        audit.record("calendar_day", "calendar_day", day.isoformat(), summary + (f"（{note}）" if note else ""),
                     before=before, after=after)
        moved = _tell_listeners(summary)
    mail_queued()
    return moved


def _year_lines(year: int) -> list[str]:
    """A year's stored days as short lines, for before/after in the audit log."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = db.session.scalars(select(CalendarDay).where(CalendarDay.day.between(start, end)).order_by(CalendarDay.day))
    return [f"{r.day} {'班' if r.is_workday else '休'} {r.note}".strip() for r in rows]


def import_schedule(data: bytes, *, replace: bool = False) -> tuple[ImportSummary, list[InfoRequest]]:
    """Import a year's schedule file (the `flask calendar import` format) and let the receivers re-date
    what depends on it, all in one transaction. CalendarImportError lists every problem with line numbers;
    nothing is stored then.
    """
    if len(data) > MAX_SCHEDULE_BYTES:
        raise CalendarImportError([f"文件过大（超过 {MAX_SCHEDULE_BYTES // 1000} KB），请确认选择的是节假日安排文件"])
    year, entries = parse_schedule(_read_text(data))
    existing = db.session.get(CalendarYear, year)
    if existing is not None and not replace:
        raise CalendarImportError([
            f"{year}年的安排已载入（来源：{existing.source}，{audit.local_time(existing.loaded_at)}）；"
            "如需替换，请勾选“替换已载入的同一年安排”"])
    before = {"days": _year_lines(year)} if existing is not None else None
    summary = ImportSummary(year, sum(not e.is_workday for e in entries), sum(e.is_workday for e in entries),
                            existing is not None)
    cause = f"{'替换' if existing else '导入'}{year}年节假日安排"
    with transaction():
        _store_year(year, entries, "导入")
        audit.record("calendar_import", "calendar_year", year,
                     f"{cause}：放假 {summary.rest_days} 天，调休上班 {summary.work_days} 天",
                     before=before, after={"days": _year_lines(year)})
        moved = _tell_listeners(cause)
    mail_queued()
    return summary, moved
