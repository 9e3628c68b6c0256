"""The staff page's linked applications: the same applicant's other applications (applicants.py), with the
count of the natural month this one was received in (重复申请, 条例第三十六条第（六）项; 信息处理费 按件,
收费管理办法第四条). The identifier they are linked by is shown masked only."""
from dataclasses import dataclass
from datetime import date, timedelta

from ...core.clock import OFFICE_TZ
from ...core.masking import mask_id
from ...models import Applicant, InfoRequest
from ..applicants import Linked, applications_of, identity_of


@dataclass(frozen=True)
class LinkedPanel:
    """Whom the applications are linked by (masked), the others, and the month's count including this one."""

    by: str  # 证件号码 or 统一社会信用代码
    masked: str
    others: list[Linked]
    month: str  # e.g. 2026年11月
    month_count: int
    this_counted: bool  # False while this application awaits confirmation (no receipt date yet)


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of the natural month of `day`."""
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def linked_panel(info_request: InfoRequest) -> LinkedPanel | None:
    """The panel, or None when the applicant gave no identifier to link by (or it was removed)."""
    identity = identity_of(info_request.applicant)
    if identity is None:
        return None
    column, value = identity
    day = info_request.receipt_date or info_request.submitted_at.astimezone(OFFICE_TZ).date()
    first, last = month_bounds(day)
    in_month = applications_of(info_request, since=first, until=last)
    counted = info_request.receipt_date is not None
    return LinkedPanel("统一社会信用代码" if column is Applicant.uscc else "证件号码", mask_id(value),
                       applications_of(info_request), f"{day.year}年{day.month}月", len(in_month) + counted, counted)
