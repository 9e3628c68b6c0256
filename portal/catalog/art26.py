"""Art. 26: an entry must be published within 20 working days of being made (成文日期) or changed.

The 20 days are the regulation's; some cities set a shorter local limit (15 or 10 working days), so the
limit is the office's setting (Office.art26_workdays, default ART26_WORKDAYS) passed in by the caller.
Pure: entries, the calendar, the limit and today come in, nothing is read here. Counting is the engine's:
the last day to publish is the N-th working day strictly after the 成文日期; an unpublished entry is
逾期未公开 from the day after it, and 即将到期 while at most `within` working days remain. A change to
a published entry republishes it at once (portal.catalog.workflow), so only drafts and entries under
review can run late. Dates that needed a year the calendar does not hold are marked provisional.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..calendar.workdays import WorkCalendar, describe_missing

ART26_WORKDAYS = 20
DEFAULT_WITHIN = 5
PENDING = ("draft", "review")


@dataclass(frozen=True)
class PublishingDue:
    """One unpublished entry's Art. 26 date: the last day to publish and the working days left."""

    entry: object
    written_date: dt.date
    due_date: dt.date
    overdue: bool  # the last day to publish has passed
    # Working days after today up to the due date; once overdue, minus the working days since it.
    days_left: int
    missing_years: tuple[int, ...] = ()
    workdays: int = ART26_WORKDAYS  # the limit it was counted with

    @property
    def provisional(self) -> bool:
        """True when the count depended on a year whose schedule is not loaded."""
        return bool(self.missing_years)

    @property
    def explanation(self) -> str:
        """How the date was derived, for staff."""
        text = f"成文日期 {self.written_date.isoformat()} 后第 {self.workdays} 个工作日为 {self.due_date.isoformat()}"
        if self.provisional:
            text += f"（{describe_missing(self.missing_years)}）"
        return text


@dataclass
class Art26Report:
    """Entries past their Art. 26 date (逾期未公开) and those coming due (即将到期), most urgent first."""

    overdue: list[PublishingDue] = field(default_factory=list)
    coming_due: list[PublishingDue] = field(default_factory=list)
    workdays: int = ART26_WORKDAYS  # the office's limit, for the panel's heading

    @property
    def provisional(self) -> bool:
        """Whether any date shown is provisional."""
        return any(d.provisional for d in (*self.overdue, *self.coming_due))

    def __bool__(self) -> bool:
        """True when there is anything to show."""
        return bool(self.overdue or self.coming_due)

    def most_urgent(self, limit: int) -> list[PublishingDue]:
        """The first `limit` entries: the longest overdue first, then those coming due soonest."""
        return [*self.overdue, *self.coming_due][:limit]


def publishing_due(entry, calendar: WorkCalendar, today: dt.date, *,
                   workdays: int = ART26_WORKDAYS) -> PublishingDue | None:
    """The Art. 26 date of one unpublished entry with a 成文日期 (limit `workdays`); None for any other entry."""
    written = getattr(entry, "written_date", None)
    if written is None or getattr(entry, "status", None) not in PENDING:
        return None
    due = calendar.add_workdays(written, workdays)
    left = calendar.workdays_between(today, due.date)
    missing = tuple(sorted({*due.missing_years, *left.missing_years}))
    return PublishingDue(entry, written, due.date, today > due.date, left.count, missing, workdays)


def art26_report(entries: Iterable, calendar: WorkCalendar, today: dt.date, *,
                 within: int = DEFAULT_WITHIN, workdays: int = ART26_WORKDAYS) -> Art26Report:
    """Sort unpublished entries into 逾期未公开 and 即将到期 (at most `within` working days left)."""
    report = Art26Report(workdays=workdays)
    for entry in entries:
        due = publishing_due(entry, calendar, today, workdays=workdays)
        if due is None:
            continue
        if due.overdue:
            report.overdue.append(due)
        elif due.days_left <= within:
            report.coming_due.append(due)
    report.overdue.sort(key=lambda d: (d.due_date, d.written_date))
    report.coming_due.sort(key=lambda d: (d.due_date, d.written_date))
    return report
