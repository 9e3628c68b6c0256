"""Where an application stands, for the applicant at a glance: the outcome in words, what can be done next,
and the last days for 行政复议 and 行政诉讼 (pure: the state, dates and a calendar in, a Standing out).

Remedy periods (remedies.py says which route applies to which outcome):
- 行政复议: 60 days from knowing of the answer (行政复议法 2023 第二十条), i.e. from its delivery.
- 行政诉讼 where the applicant may choose (remedies.CHOICE): 6 months (行政诉讼法 第四十六条).
- 复议 first (remedies.REVIEW_FIRST): a lawsuit only within 15 days of receiving the 复议决定书 (第四十五条).
Counting, by the 民法典 rules the procedure laws share (第二百零一条 to 第二百零三条; 行政复议法 第八十八条 and
行政诉讼法 第一百零一条 refer to the civil procedure rules on periods, which are the same): the day of delivery
is not counted, days are calendar days, so 60 days end on delivery + 60; a period in months ends on the same
day of the month that many months later, or the month's last day when it has no such day; a last day that is
not a working day (a weekend or statutory holiday on the office calendar) moves to the next working day.
A last day in a year the calendar does not hold is moved past the rest days the statute alone gives (weekends,
放假办法 holidays and their 补假, as the deadline engine estimates them) and marked 暂定: leaving a Sunday as the
last day would tell the applicant a day that is not the law's. The page states the rule beside every date, and a
closed case shows no calendar warning.
"""
from __future__ import annotations

import calendar as months
import datetime as dt
from dataclasses import dataclass, replace

from ..calendar.workdays import WorkCalendar, describe_missing
from ..core.templating import cn_date
from . import outcomes as rl
from .deadlines import DeadlineState
from .events import TERMINAL, Status
from .remedies import CHOICE, REVIEW_FIRST

REVIEW_DAYS = 60
LAWSUIT_MONTHS = 6


@dataclass(frozen=True)
class NextStep:
    """One thing the applicant can do: its words, and the tracking page's action it links to (if any)."""

    text: str
    action: str = ""  # "withdraw", "apply", "correct" or "" (words only)


@dataclass(frozen=True)
class Remedy:
    """行政复议/行政诉讼 after an answer: from when they count and their last days (None when not known)."""

    delivered_on: dt.date | None
    review_by: dt.date | None
    lawsuit_by: dt.date | None  # only where the applicant may go to court directly
    review_first: bool
    estimated: frozenset[str] = frozenset()  # "review_by" / "lawsuit_by" moved by the statutory estimate (暂定)

    def is_estimated(self, name: str) -> bool:
        """Whether that last day was found on an estimated calendar (the year's schedule not loaded)."""
        return name in self.estimated


@dataclass(frozen=True)
class Standing:
    """The summary at the top of the tracking page."""

    headline: str
    steps: tuple[NextStep, ...] = ()
    remedy: Remedy | None = None


def add_months(day: dt.date, n: int) -> dt.date:
    """The same day n months later, or that month's last day when it has none (民法典 第二百零二条)."""
    year, month = divmod(day.month - 1 + n, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, months.monthrange(year, month)[1]))


def last_day(nominal: dt.date, calendar: WorkCalendar) -> tuple[dt.date, bool]:
    """The period's last day moved past rest days (民法典 第二百零三条), and whether a day it looked at lies in a
    year the calendar does not hold (then the statutory estimate decided, and the date is 暂定)."""
    moved = calendar.workday_from(nominal)
    return moved.date, moved.provisional


def remedy_for(outcome: str, delivered_on: dt.date | None, calendar: WorkCalendar) -> Remedy:
    """The routes open after an answer with this outcome, dated from its delivery when known."""
    review_first = outcome in REVIEW_FIRST
    if delivered_on is None:
        return Remedy(None, None, None, review_first)
    review_by, review_estimated = last_day(delivered_on + dt.timedelta(days=REVIEW_DAYS), calendar)
    lawsuit_by, lawsuit_estimated = (last_day(add_months(delivered_on, LAWSUIT_MONTHS), calendar)
                                     if outcome in CHOICE else (None, False))
    estimated = frozenset(name for name, flag in (("review_by", review_estimated), ("lawsuit_by", lawsuit_estimated))
                          if flag)
    return Remedy(delivered_on, review_by, lawsuit_by, review_first, estimated)


def headline(deadline: DeadlineState, ended_on: dt.date | None) -> str:
    """The state in words, e.g. 已答复：部分公开."""
    state = deadline.state
    if state == Status.REPLIED:
        return f"已答复：{deadline.outcome or '见答复书'}"
    if state == Status.WITHDRAWN:
        return f"已撤回：您于{cn_date(ended_on)}撤回了申请，本机关不再处理" if ended_on else "已撤回"
    if state == Status.ABANDONED:
        return "视为放弃申请：补正期限届满未收到补正，本机关不再处理"
    if state == Status.AWAITING_CONFIRMATION:
        return "待确认：工作人员与您确认后开始计算答复期限"
    if state == Status.AWAITING_CORRECTION and deadline.correction_sent_on:
        return f"待补正：您已于{cn_date(deadline.correction_sent_on)}在线提交补正，等待工作人员确认"
    if state == Status.AWAITING_CORRECTION:
        return f"待补正：请在{cn_date(deadline.correction_due)}前提交补正后的申请" if deadline.correction_due else "待补正"
    if deadline.due_date:
        return f"{state}：本机关将于{cn_date(deadline.due_date)}前答复" + ("（最迟）" if deadline.due_at_latest else "")
    return f"{state}"


def standing(deadline: DeadlineState, calendar: WorkCalendar, *, ended_on: dt.date | None = None,
             delivered_on: dt.date | None = None) -> Standing:
    """The summary: headline, next steps, and (after an answer or 视为放弃) the remedy with its last days."""
    state, steps, remedy = deadline.state, [], None
    if state == Status.AWAITING_CORRECTION and deadline.correction_sent_on is None:
        steps.append(NextStep("补正：按补正告知书写明的事项，在线提交补正后的申请", "correct"))
    if state not in TERMINAL:
        steps.append(NextStep("撤回：不再需要这些信息的，可以在线撤回申请", "withdraw"))
    if state == Status.REPLIED or state == Status.ABANDONED:
        remedy = remedy_for(deadline.outcome if state == Status.REPLIED else rl.OTHER, delivered_on, calendar)
    if state in (Status.WITHDRAWN, Status.ABANDONED):
        steps.append(NextStep("重新申请：仍需要这些信息的，可以重新提出申请", "apply"))
    return Standing(headline(deadline, ended_on), tuple(steps), remedy)


def settled(deadline: DeadlineState) -> DeadlineState:
    """A closed case shows no calendar warnings: its dates no longer run, so an estimated year changes nothing."""
    if deadline.state not in TERMINAL or not deadline.missing_years:
        return deadline
    warning = describe_missing(deadline.missing_years)
    return replace(deadline, missing_years=(), estimated={},
                   explanation=tuple(l for l in deadline.explanation if l != warning))
