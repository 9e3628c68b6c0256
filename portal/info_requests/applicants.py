"""One applicant, many applications: the applications made by the same 证件号码 or 统一社会信用代码.

The one place that answers "this applicant's other applications", for the 信息处理费 count of a natural
month (fee_steps, 收费管理办法第四条) and for the staff page's linked applications (重复申请, 条例第三十六条
第（六）项). The identifier links rows in SQL only; no page shows it unmasked.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..extensions import db
from ..models import Applicant, InfoRequest


@dataclass(frozen=True)
class Linked:
    """Another application of the same applicant: what the staff page and the fee count need of it."""

    id: int
    tracking_number: str
    state: str
    receipt_date: date | None


def identity_of(applicant: Applicant):
    """The column and value an applicant's applications are linked by (trimmed, upper case), or None."""
    if (applicant.uscc or "").strip():
        return Applicant.uscc, applicant.uscc.strip().upper()
    if (applicant.id_number or "").strip():
        return Applicant.id_number, applicant.id_number.strip().upper()
    return None


def applications_of(info_request: InfoRequest, *, since: date | None = None,
                    until: date | None = None) -> list[Linked] | None:
    """The same applicant's other applications to the same office, by receipt date (those awaiting confirmation last), then
    number; only those received from `since` to `until` when given. None: no identifier to link by."""
    identity = identity_of(info_request.applicant)
    if identity is None:
        return None
    column, value = identity
    query = (select(InfoRequest.id, InfoRequest.tracking_number, InfoRequest.state, InfoRequest.receipt_date)
             .join(Applicant, Applicant.info_request_id == InfoRequest.id)
             .where(func.upper(func.trim(column)) == value, InfoRequest.id != info_request.id,
                    InfoRequest.office_id == info_request.office_id))  # never another office's applications
    if since is not None:
        query = query.where(InfoRequest.receipt_date >= since)
    if until is not None:
        query = query.where(InfoRequest.receipt_date <= until)
    rows = [Linked(*row) for row in db.session.execute(query)]
    return sorted(rows, key=lambda r: (r.receipt_date is None, r.receipt_date or date.min, r.id))
