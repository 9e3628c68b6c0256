"""Template filters shared by every area: dates the way residents and letters write them."""
from .clock import OFFICE_TZ


def cn_date(value) -> str:
    """2026年11月25日."""
    return f"{value.year}年{value.month}月{value.day}日" if value else "—"


def office_time(value) -> str:
    """A stored (UTC) timestamp in the office's zone: 2026-11-25 09:30."""
    return value.astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M") if value else "—"


def init_app(app) -> None:
    """Register the filters."""
    app.add_template_filter(cn_date, "cn_date")
    app.add_template_filter(office_time, "office_time")
