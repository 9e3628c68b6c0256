"""The year's 信息处理费 for section 六 of the annual report (收费管理办法; 条例 Art. 42), computed from the events.

Counted in year Y: the 收费通知 sent in Y, the payments recorded in Y and their amount in 元 (a payment in
January for a December notice counts in the year it was paid). The sentence opens section 六, before the
office's own text; the tables of section 三 are untouched (a fee is not an outcome; an unpaid one ends as
其他处理 · 逾期未缴费 there).
"""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..info_requests.events import EventKind
from ..models import InfoRequest, RequestEvent
from .compute import year_bounds


@dataclass(frozen=True)
class FeeYear:
    """A year's fees: notices sent, payments recorded and the amount collected in 元."""

    year: int
    notices: int
    payments: int
    collected: int

    def sentence(self) -> str:
        """The opening of section 六."""
        if not (self.notices or self.payments):
            return f"{self.year}年，本机关未收取政府信息公开信息处理费。"
        return (f"{self.year}年，本机关依据《政府信息公开信息处理费管理办法》发出收费通知{self.notices}件，"
                f"申请人缴费{self.payments}件，收取信息处理费共计{self.collected}元。")


def fee_year(session: Session, year: int, *, office_id: int) -> FeeYear:
    """Count the office's notices and payments of the year (event dates in the year) and sum what was paid."""
    start, end = year_bounds(year)

    def of(kind: EventKind):
        """count and sum of the amounts of one kind of event in the year."""
        return session.execute(
            select(func.count(), func.coalesce(func.sum(RequestEvent.amount), 0))
            .join(InfoRequest, InfoRequest.id == RequestEvent.info_request_id)
            .where(InfoRequest.office_id == office_id, RequestEvent.kind == kind.value,
                   RequestEvent.date >= start, RequestEvent.date <= end)).one()

    notices, _ = of(EventKind.FEE_NOTIFIED)
    payments, collected = of(EventKind.FEE_PAID)
    return FeeYear(year, int(notices), int(payments), int(collected))


def section_six(computed_line: str, typed: str) -> str:
    """Section 六 as published: the computed fee sentence, then the office's text."""
    return "\n".join(part for part in (computed_line, (typed or "").strip()) if part)
