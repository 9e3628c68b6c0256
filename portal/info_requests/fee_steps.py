"""信息处理费 as steps (条例 Art. 42; 收费管理办法): decide and notify, record the payment, end an unpaid application.

The amount comes from the pure tiers of fees.py: 按件 from the applicant's count in the natural month (their
applications linked by 证件号码 or 统一社会信用代码, applicants.py, never shown unmasked), 按量 from the pages provided.
Each change is one steps.step() transaction with its event, letter, audit row and mail; the engine (events.py,
fee_periods.py) refuses what the sequence does not allow.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..core import audit
from ..core.clock import office_today
from ..extensions import db
from ..models import InfoRequest, RequestEvent, User
from . import events as ev
from .applicants import applications_of
from .fee_letters import fee_notice, unpaid_letter
from .fees import BASES, PER_ITEM, PER_PAGE, Fee, per_item_fee, per_page_fee
from .records import note_told
from .steps import step

audit.label_actions({"notify_fee": "发出收费通知", "record_payment": "登记缴费", "end_unpaid": "逾期未缴费"})


@dataclass(frozen=True)
class MonthCount:
    """The applicant's applications received earlier in the same natural month (按件, 第四条)."""

    month: str  # e.g. 2026年3月
    earlier: tuple[str, ...]  # their tracking numbers, in order of receipt
    earlier_items: int  # items they count for (an application charged 按件 counts its split items)
    linked: bool  # False: no 证件号码/统一社会信用代码 to link by, only this application counts

    def sentence(self) -> str:
        """How the count was found, for the staff form and the 收费通知书 (no identifier in it)."""
        if not self.linked:
            return f"申请人未提供证件号码或统一社会信用代码，无法关联其他申请，{self.month}按本件计算。"
        if not self.earlier:
            return f"{self.month}，本机关此前未收到该申请人的其他申请。"
        return (f"{self.month}，本机关此前已收到该申请人的申请 {len(self.earlier)} 件"
                f"（按“一事一申请”计 {self.earlier_items} 件）。")


def month_count(info_request: InfoRequest) -> MonthCount:
    """The same applicant's applications received in this one's natural month before it (by date, then number)."""
    day = info_request.receipt_date
    month = f"{day.year}年{day.month}月"
    rows = applications_of(info_request, since=day.replace(day=1), until=day)
    if rows is None:
        return MonthCount(month, (), 0, False)
    earlier = [r for r in rows if (r.receipt_date, r.id) < (day, info_request.id)]
    split = dict(db.session.execute(
        select(RequestEvent.info_request_id, RequestEvent.fee_units)
        .where(RequestEvent.info_request_id.in_([r.id for r in earlier]),
               RequestEvent.kind == ev.EventKind.FEE_NOTIFIED.value, RequestEvent.fee_basis == PER_ITEM)).all())
    items = sum(split.get(r.id) or 1 for r in earlier)
    return MonthCount(month, tuple(r.tracking_number for r in earlier), items, True)


def compute_fee(info_request: InfoRequest, basis: str, *, items: int | None = None,
                pages: int | None = None) -> tuple[Fee, MonthCount | None]:
    """The fee on one basis (never both, 第三条); ValueError (Chinese) for a missing count or nothing to charge."""
    if basis not in BASES:
        raise ValueError("请选择计收方式：按件或按量")
    if info_request.receipt_date is None:
        raise ValueError("尚未收到申请，不能计算信息处理费")
    count = None
    if basis == PER_ITEM:
        if not items or items < 1:
            raise ValueError("请填写本申请按“一事一申请”拆分的件数（至少1件）")
        count = month_count(info_request)
        fee = per_item_fee(count.earlier_items, items)
    else:
        if pages is None or pages < 0:
            raise ValueError("请填写提供的页数")
        fee = per_page_fee(pages)
    if fee.amount == 0:
        raise ValueError(f"{fee.explanation()}无需发出收费通知")
    return fee, count


def notify_fee(info_request: InfoRequest, on: date, user: User, *, basis: str, items: int | None = None,
               pages: int | None = None, received_on: date | None = None) -> Fee:
    """The 收费通知书 (第六条): the fee computed now, the day the applicant received it (default: sent that day)."""
    received_on = received_on or on
    if received_on > office_today():
        raise ValueError(f"申请人收到收费通知的日期 {received_on} 晚于今天")
    fee, count = compute_fee(info_request, basis, items=items, pages=pages)
    with step(info_request, user) as s:
        s.record(ev.fee_notified(on, fee.amount, received_on), note=fee.explanation())
        row = info_request.events[-1]
        row.fee_basis, row.fee_units = basis, items if basis == PER_ITEM else pages
        deadline = s.deadline()
        s.issue(fee_notice(info_request, info_request.office, on, deadline, fee, count.sentence() if count else ""))
        # The notice's last day to pay: 逾期未缴费 waits for it even if a calendar import moves it earlier.
        note_told(info_request, deadline.fee.payment_due, ev.EventKind.FEE_NOTIFIED)
        s.audit("notify_fee", f"发出收费通知：{fee.explanation()}")
    return fee


def record_payment(info_request: InfoRequest, on: date, user: User, *, receipt_number: str = "") -> InfoRequest:
    """The applicant paid (date, optional receipt number): counting resumes the next working day (第七条)."""
    notice = next((e for e in reversed(info_request.events) if e.kind == ev.EventKind.FEE_NOTIFIED), None)
    amount = notice.amount if notice is not None else None
    with step(info_request, user) as s:
        s.record(ev.fee_paid(on, amount, receipt_number.strip()))
        s.audit("record_payment", f"登记缴费 {amount} 元（{on}）" + (f"，票据号 {receipt_number.strip()}"
                                                                 if receipt_number.strip() else ""))
    return info_request


def end_unpaid(info_request: InfoRequest, on: date, user: User) -> InfoRequest:
    """Not paid in time: 视为放弃 (第六条; the engine checks the period is over), 其他处理 · 逾期未缴费; letter mailed."""
    with step(info_request, user) as s:
        s.record(ev.fee_unpaid(on))
        s.issue(unpaid_letter(info_request, info_request.office, on, s.deadline()))
        s.audit("end_unpaid", "逾期未缴纳信息处理费，视为放弃申请")
    return info_request


__all__ = ["BASES", "PER_ITEM", "PER_PAGE", "MonthCount", "compute_fee", "end_unpaid", "month_count", "notify_fee",
           "record_payment"]
