"""Open applications re-dated when the working-day calendar changes, and how those moves read back.

The calendar knows nothing of applications: each of its changes sends `calendar_changed` inside its own
transaction. The receiver here recomputes every open application in that transaction, audits each one
that moved under the application, naming which date moved (答复期限, 补正期限, 缴费期限, 对方意见期限; a
re-dating is not a legal event, so it is not in the events), and mails applicants whose reply date, 补正
deadline or last day to pay moved (the letters promised "如有变化将另行告知"); the consulted party's limit is
the office's and the party's business, never mailed to the applicant. A 补正 deadline or last day to pay
mailed is remembered as told (records.note_told): 视为放弃 / 逾期未缴费 waits for the latest date the applicant
was given in writing, and one counted earlier than that keeps the told date (the mail says so).
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
from ..models import InfoRequest
from .events import TERMINAL, EventKind
from .records import note_told, refresh_state, told_row
from .steps import OBJECT, related

# Each cached date a calendar change may move: (its field, its estimate flag, its name in the history).
DATES = (("due_date", "due_provisional", "答复期限"), ("correction_due", "correction_provisional", "补正期限"),
         ("consultation_due", "consultation_provisional", "对方意见期限"), ("fee_due", "fee_provisional", "缴费期限"))
TOLD_APPLICANT = ("due_date", "correction_due", "fee_due")  # the dates the applicant's letters state
# The dates told in writing that a move earlier never shortens: field → the event whose row keeps the told date.
TOLD_ON = {"correction_due": EventKind.CORRECTION_REQUESTED, "fee_due": EventKind.FEE_NOTIFIED}
REDATE_FIELDS = (*(name for field, flag, _ in DATES for name in (field, flag)), "state")
REDATED = "request_redated"  # the audit action of one application re-dated by a calendar change


def describe_redating(before: dict, after: dict) -> str:
    """What a re-dating changed, in words, from its audit row's before/after (only the changed fields):
    each date that moved by its name, then a changed state."""
    parts = []
    for field, flag, label in DATES:
        if field in after:
            text = f"{label}由 {before.get(field) or '未定'} 改为 {after[field] or '未定'}"
            if flag in after:
                text += "（估算）" if after[flag] else "（已按正式安排确定）"
            parts.append(text)
        elif flag in after:
            parts.append(f"{label}改为估算" if after[flag] else f"{label}已按正式安排确定")
    if "state" in after:
        parts.append(f"状态由“{before.get('state')}”改为“{after.get('state')}”")
    return "；".join(parts)


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
    def applicant_lines(self) -> list[str]:
        """The lines the applicant's tracking page shows (no staff names): the reply date, the 补正 deadline
        and the last day to pay that moved, never the consulted party's limit."""
        return [f"因节假日安排调整，{label}于 {self.on.isoformat()} 由 {self.before.get(field) or '未定'} "
                f"调整为 {self.after[field] or '未定'}"
                for field, _, label in DATES if field in TOLD_APPLICANT and field in self.after]

    @property
    def applicant_line(self) -> str | None:
        """The applicant's lines as one ("；"), or None if no date the applicant was told moved."""
        return "；".join(self.applicant_lines) or None


def redatings(info_request_id: int) -> list[Redating]:
    """The application's re-datings after calendar changes, oldest first."""
    return [Redating(e.at, e.actor_name, audit.loads(e.before), audit.loads(e.after))
            for e in audit.history(OBJECT, info_request_id) if e.action == REDATED]


def _open_requests() -> list[InfoRequest]:
    """Applications still open (not answered, withdrawn or 视为放弃: only their dates may depend on the
    calendar, and a closed application's applicant is told nothing more), locked and read afresh.

    Every step of an application locks its row (PostgreSQL; here in id order): a reply committing
    meanwhile is waited for, never overwritten with a stale due date.
    """
    return list(db.session.scalars(
        select(InfoRequest).where(InfoRequest.replied_on.is_(None),
                                  InfoRequest.state.not_in([s.value for s in TERMINAL])).order_by(InfoRequest.id)
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
        _drop_cache_fills(old, new)
        if not new:
            continue
        moved.append(row)
        audit.record(REDATED, OBJECT, row.id,
                     f"{cause}，申请 {row.tracking_number} 重新计算：{describe_redating(old, new)}",
                     before=old, after=new, office=row.office)  # in the application's office's log
        _tell_applicant(row, old, new)
    return moved


def _drop_cache_fills(old: dict, new: dict) -> None:
    """Forget a 补正 deadline, party limit or last day to pay that appears where the cache held none: a calendar
    change never starts one (a step does), so that is a cache filled for the first time (rows older than migration 0010),
    not a date that moved; it is neither audited as a move nor mailed."""
    for field, flag, _ in DATES[1:]:
        if field in new and old.get(field) is None:
            for name in (field, flag):
                old.pop(name, None)
                new.pop(name, None)


def _day(value: str | None) -> dt.date | None:
    """A date from an audit snapshot (ISO text), or None."""
    return dt.date.fromisoformat(value) if value else None


STILL_ESTIMATED = "（仍为按现行放假办法推算的暂定日期）"
# What the applicant may still do until a told date that a move earlier did not shorten.
UNTIL_TOLD = {"correction_due": "在此之前提交补正的均予受理", "fee_due": "在此之前缴纳的均予受理"}


def moved_lines(row: InfoRequest, old: dict, new: dict) -> list[str]:
    """The sentences of the applicant's mail: the reply date, the 补正 deadline and the last day to pay that moved.

    A 补正 deadline or last day to pay counted earlier than the date already told keeps the told date (视为放弃 /
    逾期未缴费 waits for it), and the mail says so; one counted later becomes the date told.
    """
    lines = []
    if "due_date" in new and new["due_date"]:
        lines.append(f"答复期限由 {cn_date(_day(old.get('due_date'))) if old.get('due_date') else '未定'} 调整为 "
                     f"{cn_date(_day(new['due_date']))}" + (STILL_ESTIMATED if row.due_provisional else ""))
    for field, flag, label in DATES:
        if field not in TOLD_ON or not new.get(field):
            continue
        day, kind = _day(new[field]), TOLD_ON[field]
        event = told_row(row, kind)
        told = event.told if event is not None else None
        if told is not None and day < told:
            lines.append(f"按正式安排计算，{label}为 {cn_date(day)}，早于已告知您的 {cn_date(told)}；"
                         f"本机关仍以 {cn_date(told)} 为您的{label}，{UNTIL_TOLD[field]}")
        else:
            lines.append(f"{label}由 {cn_date(_day(old[field]))} 调整为 {cn_date(day)}"
                         + (STILL_ESTIMATED if getattr(row, flag) else ""))
            note_told(row, day, kind)
    return lines


def _tell_applicant(row: InfoRequest, old: dict, new: dict) -> None:
    """Moved dates are mailed to an applicant who gave an address (sent after the change commits)."""
    email = row.applicant.email if row.applicant else ""
    lines = moved_lines(row, old, new) if email else []
    if not lines:
        return
    office = row.office
    body = "\n".join([
        f"{row.applicant.name}：",
        f"因节假日安排调整，您的政府信息公开申请（申请编号 {row.tracking_number}）的期限调整如下：",
        *[f"{line}。" for line in lines],
        "您可以凭申请编号和查询码在门户“依申请公开—查询申请”中查看期限的计算过程。",
        office.name,
    ])
    what = next((label for field, _, label in DATES if field in TOLD_APPLICANT and new.get(field)), "答复期限")
    queue_mail(email, f"【{office.short_name}】申请{what}调整通知（{row.tracking_number}）", body,
               related=related(row))
