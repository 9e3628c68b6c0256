"""Staff changes to the working-day calendar: one transaction each, with the calendar change audited and
every open application re-dated at once (its move written to the audit log under the application).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..core import audit
from ..core.clock import OFFICE_TZ
from ..core.db import commit
from ..core.mail import deliver_after_commit
from ..extensions import db
from ..models import CalendarDay, CalendarYear, InfoRequest
from .store import CalendarImportError, ImportSummary, _read_text, _store_year, parse_schedule, weekday_name

MAX_SCHEDULE_BYTES = 200_000
REDATE_FIELDS = ("due_date", "due_provisional", "state")
KIND_LABELS = {"rest": "放假", "work": "调休上班", "default": "常规"}
REDATED = "request_redated"  # the audit action of one application re-dated by a calendar change


def describe_redating(before: dict, after: dict) -> str:
    """What a re-dating changed, in words, from its audit row's before/after (only the changed fields)."""
    if "due_date" in after:
        text = f"答复期限由 {before.get('due_date') or '未定'} 改为 {after['due_date'] or '未定'}"
        if "due_provisional" in after:
            text += "（估算）" if after["due_provisional"] else "（已按正式安排确定）"
        return text
    if "due_provisional" in after:
        return "答复期限改为估算" if after["due_provisional"] else "答复期限已按正式安排确定"
    return f"状态由“{before.get('state')}”改为“{after.get('state')}”"


@dataclass(frozen=True)
class Redating:
    """One application re-dated by a calendar change, read back from its audit row (not a legal event)."""

    at: dt.datetime
    actor: str
    before: dict
    after: dict

    @property
    def on(self) -> dt.date:
        """The office day it happened."""
        return self.at.astimezone(OFFICE_TZ).date()

    @property
    def details(self) -> str:
        """What changed, for staff."""
        return describe_redating(self.before, self.after)

    @property
    def applicant_line(self) -> str | None:
        """The line the applicant's tracking page shows (no staff names); None if the due date did not move."""
        if "due_date" not in self.after:
            return None
        old, new = self.before.get("due_date") or "未定", self.after["due_date"] or "未定"
        return f"因节假日安排调整，答复期限于 {self.on.isoformat()} 由 {old} 调整为 {new}"


def redatings(info_request_id: int) -> list[Redating]:
    """The application's re-datings after calendar changes, oldest first."""
    return [Redating(e.at, e.actor_name, audit.loads(e.before), audit.loads(e.after))
            for e in audit.history("info_request", info_request_id) if e.action == REDATED]


def _day_state(row: CalendarDay | None) -> dict:
    """A day's setting for the audit log."""
    if row is None:
        return {"type": KIND_LABELS["default"], "note": ""}
    return {"type": KIND_LABELS["work" if row.is_workday else "rest"], "note": row.note}


def _redate(cause: str) -> list[InfoRequest]:
    """Re-date the open applications in this transaction and audit each one that moved."""
    from ..info_requests.services import redate_open  # the application package builds on this one, not the reverse

    open_rows = db.session.scalars(select(InfoRequest).where(InfoRequest.replied_on.is_(None))).all()
    before = {row.id: audit.snapshot(row, REDATE_FIELDS) for row in open_rows}
    moved = redate_open(commit=False)
    for row in moved:
        old, new = audit.changes(before.get(row.id, {}), audit.snapshot(row, REDATE_FIELDS))
        audit.record(REDATED, "info_request", row.id,
                     f"{cause}，申请 {row.tracking_number} 重新计算：{describe_redating(old, new)}",
                     before=old, after=new)
        if "due_date" in new:
            _tell_applicant(row, old.get("due_date"), new["due_date"])
    return moved


def _tell_applicant(row: InfoRequest, old_due, new_due) -> None:
    """Letters promised "如有变化将另行告知": a moved due date is mailed to an applicant who gave an address."""
    from ..core.mail import queue_mail
    from ..core.templating import cn_date
    from ..models import Office

    email = row.applicant.email if row.applicant else ""
    if not email or not new_due:
        return
    office = Office.current()
    old_text = cn_date(dt.date.fromisoformat(old_due)) if old_due else "未定"
    body = "\n".join([
        f"{row.applicant.name}：",
        f"因节假日安排调整，您的政府信息公开申请（申请编号 {row.tracking_number}）的答复期限"
        f"由 {old_text} 调整为 {cn_date(dt.date.fromisoformat(new_due))}。",
        "您可以凭申请编号和查询码在门户“依申请公开—查询申请”中查看期限的计算过程。",
        office.name,
    ])
    queue_mail(email, f"【{office.short_name}】申请答复期限调整通知（{row.tracking_number}）", body,
               related=f"info_request:{row.tracking_number}")


def set_day(day: dt.date, kind: str, note: str = "") -> list[InfoRequest] | None:
    """Make one day of a loaded year a rest day ("rest"), a make-up working day ("work") or ordinary
    ("default"); re-date open applications. Returns those that moved (None when nothing changed);
    ValueError (Chinese) if refused.
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
    try:
        audit.record("calendar_day", "calendar_day", day.isoformat(), summary + (f"（{note}）" if note else ""),
                     before=before, after=after)
        moved = _redate(summary)
    except Exception:
        db.session.rollback()
        raise
    commit()
    deliver_after_commit()
    return moved


def _year_lines(year: int) -> list[str]:
    """A year's stored days as short lines, for before/after in the audit log."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = db.session.scalars(select(CalendarDay).where(CalendarDay.day.between(start, end)).order_by(CalendarDay.day))
    return [f"{r.day} {'班' if r.is_workday else '休'} {r.note}".strip() for r in rows]


def import_schedule(data: bytes, *, replace: bool = False) -> tuple[ImportSummary, list[InfoRequest]]:
    """Import a year's schedule file (the `flask calendar import` format) and re-date open applications,
    all in one transaction. CalendarImportError lists every problem with line numbers; nothing is stored then.
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
    try:
        _store_year(year, entries, "导入")
        audit.record("calendar_import", "calendar_year", year,
                     f"{cause}：放假 {summary.rest_days} 天，调休上班 {summary.work_days} 天",
                     before=before, after={"days": _year_lines(year)})
        moved = _redate(cause)
    except Exception:
        db.session.rollback()
        raise
    commit()
    deliver_after_commit()
    return summary, moved
