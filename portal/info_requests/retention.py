"""个人信息保存期限: when an application has ended (答复, 撤回, 视为放弃), its applicant's personal data — identity,
contact details, the request text, the proof files, a 补正 sent online with its files — is kept for the office's `retention_years` (default
3) and then removed by the operator (`flask purge-personal-data`, cli.py, office by office), audited.

DOMAIN.md (Privacy) makes identity, contact details and request text personal data, never public; it
sets no period, so the office sets one. What the annual report counts stays: the application, its type
and 组织类型, channel, dates, events, outcome, ground and fees. Letters keep their title, number and date;
their text, which names and addresses the applicant, is replaced by a note. The mail sent to the
applicant goes too. An application with a 行政复议 or 行政诉讼 not yet decided is held until it is.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from ..core import audit
from ..core.db import transaction
from ..extensions import db
from ..models import InfoRequest, OutboxMessage, ReleaseLink
from ..models.reports import ReviewCase
from . import proofs
from .correction_online import remove_correction
from .events import TERMINAL, EventKind
from .steps import OBJECT, related

ENDS = frozenset({EventKind.REPLIED, EventKind.WITHDRAWN, EventKind.ABANDONED, EventKind.FEE_UNPAID})
REMOVED = "（已删除）"
UNDECIDED = "尚未审结"
APPLICANT_FIELDS = ("id_type", "id_number", "uscc", "legal_representative", "contact_person", "phone", "email",
                    "address", "postcode", "agent_name")

audit.label_actions({"purge_personal_data": "删除过期个人信息"})


def closed_on(info_request: InfoRequest) -> date | None:
    """The day the application ended (its reply, withdrawal or 视为放弃); None while it is open."""
    if info_request.state not in {status.value for status in TERMINAL}:
        return None
    return next((row.date for row in reversed(info_request.events) if row.kind in ENDS), None)


def kept_until(closed: date, years: int) -> date:
    """The last day personal data is kept: the same day `years` later (29 February → 28 February)."""
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:
        return closed.replace(year=closed.year + years, day=28)


@dataclass(frozen=True)
class Due:
    """An application whose retention passed: when it ended, the last day its data was kept, its files;
    `held` names an undecided 复议/诉讼 that keeps it for now."""

    info_request: InfoRequest
    closed_on: date
    kept_until: date
    proof_files: int
    held: str = ""


def due(today: date, years: int, *, office_id: int) -> list[Due]:
    """The office's ended applications, personal data not yet removed, whose last day of keeping (its `years`)
    is before `today`."""
    rows = db.session.scalars(select(InfoRequest).where(
        InfoRequest.office_id == office_id, InfoRequest.personal_data_removed_on.is_(None),
        InfoRequest.state.in_([status.value for status in TERMINAL])).order_by(InfoRequest.id))
    found = []
    for info_request in rows:
        closed = closed_on(info_request)
        if closed is None or kept_until(closed, years) >= today:
            continue
        cases = db.session.scalars(select(ReviewCase.kind).filter_by(info_request_id=info_request.id,
                                                                     result=UNDECIDED)).all()
        held = f"{'、'.join(sorted(set(cases)))}尚未审结" if cases else ""
        found.append(Due(info_request, closed, kept_until(closed, years), len(proofs.files_of(info_request)), held))
    return found


def remove_personal_data(item: Due, today: date, actor) -> None:
    """Remove one application's personal data in one transaction, audited; its proof files go on commit."""
    info_request = item.info_request
    with transaction():
        files = proofs.remove_all(info_request) + remove_correction(info_request, REMOVED)
        applicant = info_request.applicant
        applicant.name = REMOVED
        for name in APPLICANT_FIELDS:
            setattr(applicant, name, "")
        info_request.description, info_request.doc_title, info_request.doc_number = REMOVED, "", ""
        for row in info_request.events:
            row.note = ""
        for letter in info_request.letters:
            letter.body = (f"（本文书载有申请人的个人信息，已于 {today.isoformat()} 按个人信息保存期限删除；"
                           "文书名称、编号和日期保留。）")
        db.session.execute(delete(ReleaseLink).where(ReleaseLink.info_request_id == info_request.id))
        mails = db.session.execute(delete(OutboxMessage).where(OutboxMessage.related == related(info_request)))
        info_request.personal_data_removed_on = today
        audit.record("purge_personal_data", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：个人信息保存期限已满（{item.closed_on.isoformat()} 办结，"
                     f"保存至 {item.kept_until.isoformat()}），删除申请人个人信息、申请内容、文书正文、"
                     f"邮件 {mails.rowcount} 封和身份证明、补正文件 {files} 个", actor=actor)
