"""The queue's rows as shown: masked names, working days left, 即将到期, 补正期限, and how long a 待确认 waits."""
from dataclasses import dataclass
from datetime import date

from ...calendar.workdays import WorkCalendar
from ...core.masking import mask_name
from ...core.templating import office_time
from ...models import InfoRequest
from ..correction_online import sent_correction
from ..events import HANDLING, Channel, EventKind, Status
from ..records import told_date
from ..withdrawal import withdrawn_online
from .page import days_left_text

SOON_WORKDAYS = 3  # 即将到期: at most this many working days left
CLOCK_STATES = [s.value for s in HANDLING]  # where a due date runs


def soon_limit(today: date, calendar: WorkCalendar) -> date:
    """The last due date that still counts as 即将到期: the 3rd working day after today."""
    return calendar.add_workdays(today, SOON_WORKDAYS).date


def consultation_text(r: InfoRequest, today: date, soon: date | None = None) -> str:
    """An open consultation's party limit as the queue and the 工作台 show it ("" when none is running)."""
    if r.state != Status.CONSULTING.value:
        return ""
    parts = []
    if r.consultation_due is not None:
        when = ("已届满，请结束征求意见" if r.consultation_due < today
                else "即将届满" if soon is not None and r.consultation_due <= soon else "")
        estimate = "（暂定）" if r.consultation_provisional else ""
        parts.append(f"意见期限 {r.consultation_due.isoformat()}{estimate}" + (f"（{when}）" if when else ""))
    if r.delivery_check_due is not None and r.delivery_check_due < today:
        parts.append("征求意见书发出已超过5个工作日，未登记对方收到日期")
    return "；".join(parts)


@dataclass(frozen=True)
class QueueRow:
    """One line of the queue as shown: only masked personal data."""

    info_request: InfoRequest
    name: str
    days_left: str
    overdue: bool
    handler: str
    consultation: str = ""
    withdrawn_online: bool = False
    correction_until: date | None = None  # the 补正 deadline the applicant goes by: the later of counted and told
    correction_sent: bool = False  # 待补正 with a correction sent online, waiting for confirmation
    soon: bool = False  # 即将到期: due today or within SOON_WORKDAYS working days
    waiting: str = ""  # 待确认: when it arrived and for how many working days it has waited


def queue_rows(rows: list[InfoRequest], today: date, calendar: WorkCalendar) -> list[QueueRow]:
    """Rows with the working days left counted on the office calendar."""
    result, soon = [], soon_limit(today, calendar)
    for r in rows:
        if r.state == Status.AWAITING_CONFIRMATION.value:
            result.append(QueueRow(r, mask_name(r.applicant.name), days_left_text(r, None), False,
                                   r.handler.name if r.handler else "未指定", waiting=waiting_text(r, today, calendar)))
            continue
        running = r.state in CLOCK_STATES and r.due_date is not None
        if running and r.state == Status.CONSULTING.value and r.consultation_due is not None:
            # A party's limit still to come with the due date after today: the clock is paused (due at the latest).
            running = not (r.consultation_due >= today and r.due_date > today)
        left = calendar.workdays_between(today, r.due_date).count if running else None
        result.append(QueueRow(r, mask_name(r.applicant.name), days_left_text(r, left),
                               running and r.due_date < today, r.handler.name if r.handler else "未指定",
                               consultation_text(r, today, soon),
                               r.state == Status.WITHDRAWN.value and withdrawn_online(r),
                               told_date(r, EventKind.CORRECTION_REQUESTED, r.correction_due),
                               r.state == Status.AWAITING_CORRECTION.value and sent_correction(r) is not None,
                               running and today <= r.due_date <= soon))
    return result


def waiting_text(r: InfoRequest, today: date, calendar: WorkCalendar) -> str:
    """A 待确认 application's wait, in working days after the day it arrived (that day not counted, as every
    period here): 「提交于 2026-11-30 14:05，已 1 个工作日」; a letter or fax gives the day staff entered."""
    arrived = next((e.date for e in r.events if e.kind == EventKind.SUBMITTED.value), None)
    if arrived is None:
        return ""
    since = (f"提交于 {office_time(r.submitted_at)}" if r.channel == Channel.ONLINE.value
             else f"{arrived.isoformat()} 收到")
    if arrived >= today:
        return f"{since}，今天到达"
    return f"{since}，已 {calendar.workdays_between(arrived, today).count} 个工作日"
