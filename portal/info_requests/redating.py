"""Open applications re-dated when the working-day calendar changes, and how those moves read back.

The calendar knows nothing of applications: each of its changes sends `calendar_changed` inside its own
transaction. The receiver here recomputes every open application in that transaction, audits each one
that moved under the application (a re-dating is not a legal event, so it is not in the events), and
mails applicants whose due date moved (the letters promised "如有变化将另行告知").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..calendar.changes import calendar_changed
from ..core import audit
from ..core.clock import OFFICE_TZ
from ..core.mail import queue_mail
from ..core.templating import cn_date
from ..extensions import db
from ..models import InfoRequest, Office
from .records import refresh_state
from .steps import OBJECT, related

REDATE_FIELDS = ("due_date", "due_provisional", "state")
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
            for e in audit.history(OBJECT, info_request_id) if e.action == REDATED]


def _open_requests() -> list[InfoRequest]:
    """Applications not yet answered (their dates may depend on the calendar), locked and read afresh.

    Every step of an application locks its row (PostgreSQL; here in id order): a reply committing
    meanwhile is waited for, never overwritten with a stale due date.
    """
    return list(db.session.scalars(
        select(InfoRequest).where(InfoRequest.replied_on.is_(None)).order_by(InfoRequest.id)
        .with_for_update().execution_options(populate_existing=True)))


def init_app(app) -> None:
    """Re-date applications whenever the calendar changes (the factory connects this for every app)."""
    calendar_changed.connect(redate_after_calendar_change)


def redate_after_calendar_change(sender, *, cause: str) -> list[InfoRequest]:
    """The receiver: re-date open applications in the calendar change's transaction, audit and mail each
    move; returns those whose dates moved."""
    moved = []
    for row in _open_requests():
        before = audit.snapshot(row, REDATE_FIELDS)
        refresh_state(row)
        old, new = audit.changes(before, audit.snapshot(row, REDATE_FIELDS))
        if not new:
            continue
        moved.append(row)
        audit.record(REDATED, OBJECT, row.id,
                     f"{cause}，申请 {row.tracking_number} 重新计算：{describe_redating(old, new)}",
                     before=old, after=new)
        if "due_date" in new:
            _tell_applicant(row, old.get("due_date"), new["due_date"])
    return moved


def _tell_applicant(row: InfoRequest, old_due: str | None, new_due: str | None) -> None:
    """A moved due date is mailed to an applicant who gave an address (sent after the change commits)."""
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
               related=related(row))
