"""What loading any office's demo content does (portal.admin.demo): its catalog file imported once, what the
office already holds counted, dates counted back from today. Each acts for Office.current()."""
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from ..accounts.cli import CLI_ACTOR
from ..calendar.store import load_calendar
from ..catalog.importer import import_file
from ..extensions import db
from ..models import Document, Office

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


def workdays_before(today: date, n: int) -> date:
    """The working day n working days before today (estimated where the calendar has no year)."""
    calendar, day, left = load_calendar(), today, n
    while left:
        day -= timedelta(days=1)
        left -= calendar.is_workday(day, allow_estimate=True)
    return day


def held(model) -> int:
    """How many rows of an office's own table (entries, applications …) the current office holds."""
    return db.session.scalar(select(func.count()).select_from(model).where(model.office_id == Office.current().id))


def load_catalog(path: Path) -> str:
    """The office's demo catalog, imported only while the office has no entry; what was done, in Chinese."""
    count = held(Document)
    if count:
        return f"目录中已有 {count} 条信息，不再载入演示内容。"
    report = import_file(path, actor=CLI_ACTOR)
    if not report.committed:
        raise ValueError("演示内容有错误，未载入：" + "；".join(str(e) for e in report.errors))
    return f"已载入演示内容：{report.created} 条主动公开信息。"
