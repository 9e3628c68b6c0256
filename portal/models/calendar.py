"""The office's working-day calendar as stored: one row per year known, one row per special day.

Storage choice: a `CalendarDay` row is authoritative for its date and exists only for days named by
the schedule (holidays, 调休 working days). Seeding from chinesecalendar and imports store every day the
notice names, including holiday days that fall on a weekend (e.g. 2026-02-15, a Sunday of 春节), so the
year can be shown as published; such rows restate the default and do not change any count. Days
without a row follow the Monday–Friday default. Rows count only for years with a `CalendarYear` row:
that row means the year's official schedule is known and fully loaded, never partly.
"""
from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.clock import utcnow
from ..extensions import db
from .types import AwareDateTime

CALENDAR_SOURCES = ("chinesecalendar", "导入", "人工")


class CalendarYear(db.Model):
    """A year whose State Council holiday schedule is fully loaded into `calendar_day`."""

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(20))
    loaded_at: Mapped[datetime] = mapped_column(AwareDateTime, default=utcnow)


class CalendarDay(db.Model):
    """One day named by a year's schedule: a rest day (放假) or a make-up working day (调休上班)."""

    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(20))
