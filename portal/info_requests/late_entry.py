"""A paper application entered days after it arrived: how late, and whether its reply deadline has already come.

Pure: the channel, the receipt day typed in, a calendar and today in; the deadline engine counts the reply
deadline exactly as it will once the application is registered, so the warning and the page agree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..calendar.workdays import WorkCalendar
from .deadlines import CORRECTION_NOTICE_DAYS, compute_deadline
from .events import DIRECT_CHANNELS, Channel, received

CHECK_AFTER_WORKDAYS = 5  # a receipt day more than this many working days back is confirmed before registering


@dataclass(frozen=True)
class LateEntry:
    """How far back the receipt day lies, and (当面/邮寄 only) the reply deadline counted from it."""

    received_on: dt.date
    workdays_ago: int
    due_date: dt.date | None  # None for 平常信函/传真: their clock starts when confirmed with the applicant
    today: dt.date
    provisional: bool = False  # the deadline crossed a year whose holiday schedule is not loaded
    correction_notice_by: dt.date | None = None  # the last day to ask for a 补正 (当面/邮寄 only)

    @property
    def verdict(self) -> str:
        """已逾期 when the reply deadline counted from that receipt day has passed, 今天到期 when it is today."""
        if self.due_date is None or self.due_date > self.today:
            return ""
        return "已逾期" if self.due_date < self.today else "今天到期"

    @property
    def alarming(self) -> bool:
        """The reply deadline has passed or is today: the warning is drawn as an error."""
        return bool(self.verdict)

    @property
    def correction_window_closed(self) -> bool:
        """The 7 working days to ask for a 补正 (条例第三十条) ended before today (当面/邮寄 only)."""
        return self.correction_notice_by is not None and self.correction_notice_by < self.today

    def sentences(self) -> list[str]:
        """What staff read before confirming, in Chinese."""
        due = (self.due_date.isoformat() + ("（暂定，所在年份的节假日安排尚未载入）" if self.provisional else "")
               if self.due_date else "")
        lines = [f"收到日期 {self.received_on.isoformat()} 距今已 {self.workdays_ago} 个工作日（超过"
                 f"{CHECK_AFTER_WORKDAYS}个工作日），请核对：当面提交填提交之日，邮寄填签收之日。"]
        if self.due_date is None:
            lines.append("平常信函、传真登记后仍须与申请人确认，确认之日为收到申请之日。")
        elif self.due_date < self.today:
            lines.append(f"按此收到日期计算，答复期限 {due} 已过，登记后本申请即为已逾期。")
        elif self.due_date == self.today:
            lines.append(f"按此收到日期计算，答复期限就是今天（{due}），已到期：今天不答复即逾期。")
        else:
            lines.append(f"按此收到日期计算，答复期限为 {due}。")
        if self.correction_window_closed:
            lines.append(f"需要补正的，应在收到申请后{CORRECTION_NOTICE_DAYS}个工作日内一次性告知（条例第三十条），"
                         "此期限已过：现在发出补正告知将被标为逾期。")
        return lines


def late_entry(channel: str, received_on: dt.date, calendar: WorkCalendar, today: dt.date) -> LateEntry | None:
    """The warning for a receipt day more than 5 working days before today, or None when there is nothing to check
    (a recent day, or a future one, which registering refuses on its own)."""
    if received_on >= today:
        return None
    ago = calendar.workdays_between(received_on, today).count
    if ago <= CHECK_AFTER_WORKDAYS:
        return None
    how = Channel(channel)
    if how not in DIRECT_CHANNELS:
        return LateEntry(received_on, ago, None, today)
    state = compute_deadline([received(received_on, how)], calendar, today)
    return LateEntry(received_on, ago, state.due_date, today, state.is_estimated("due_date"),
                     calendar.add_workdays(received_on, CORRECTION_NOTICE_DAYS).date)
