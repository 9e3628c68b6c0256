"""The office's clock: its zone (Asia/Shanghai), "now" for stored timestamps and "today" for deadlines.

Rules that count days take today as an argument; only services and views read it from here.
"""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Return the current time, timezone-aware (used as a column default callable)."""
    return datetime.now(timezone.utc)


def office_today() -> date:
    """Today in the office's time zone, whatever the server's zone."""
    return datetime.now(OFFICE_TZ).date()
