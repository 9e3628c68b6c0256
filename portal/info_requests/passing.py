"""签收/退回: an application not yet confirmed is passed to the office of the portal that holds the information.

Before confirmation an online, plain-letter or fax application has no receipt date (Art. 31(二)(三)): the office
it reached may pass it on — as may the district's 政务公开办 — and the receiving office confirms it, that day being
the receipt date. Once confirmed it stays with its office, which answers 非本机关负责公开 (Art. 36(五)) when the
information is another office's (events.NOT_PASSED_AFTER_RECEIPT says so). The tracking number and query code
stay; the event names the office it went to, the audit row both offices, and the applicant is mailed.
"""
from datetime import date

from sqlalchemy import select

from ..core.clock import office_today
from ..core.mail import queue_mail
from ..core.templating import cn_date
from ..extensions import db
from ..models import COORDINATOR, HANDLER, InfoRequest, Office, User
from . import events as ev
from .letters import subject_of
from .records import deadline_of
from .steps import related, step

REASON_MAX = 500

# The applicant's view of each pass, shown on the tracking page: from the event row's note.
PASSED_NOTE = "由{from_office}转至{to_office}"


def may_pass(user: User, info_request: InfoRequest) -> bool:
    """A 经办人 of the application's office, or the district's 政务公开办, may pass it on."""
    return user.active and (HANDLER in user.roles_in(info_request.office_id) or user.has_district_role(COORDINATOR))


def pass_targets(info_request: InfoRequest) -> list[Office]:
    """The portal's other offices, in list order: where the application may be passed."""
    return [o for o in Office.listed() if o.id != info_request.office_id]


def why_not_passed(info_request: InfoRequest) -> str | None:
    """Why the application cannot be passed on today (in Chinese), or None when it can."""
    deadline = deadline_of(info_request)
    if not pass_targets(info_request):
        return "本门户只有一个机关，没有可以接收申请的其他机关"
    if ev.EventKind.PASSED in deadline.allowed:
        return None
    if deadline.state in ev.TERMINAL:
        return f"申请已办结（{deadline.state}），不能再转至其他机关"
    return ev.NOT_PASSED_AFTER_RECEIPT.format(receipt=deadline.receipt_date or "此前")


def check_pass(info_request: InfoRequest, to_office: Office | None, user: User, reason: str) -> None:
    """Refuse (in Chinese) a pass by someone not allowed, to no or the same office, or without a reason."""
    if not may_pass(user, info_request):
        raise ValueError("只有本申请所属机关的经办人或区政务公开办可以将申请转至其他机关")
    if to_office is None:
        raise ValueError("请选择接收申请的机关")
    if to_office.id == info_request.office_id:
        raise ValueError(f"申请已属于{to_office.name}，请选择其他机关")
    if not reason.strip():
        raise ValueError("请写明转办理由（将告知申请人），例如：所申请的信息由该机关制作")
    if len(reason.strip()) > REASON_MAX:
        raise ValueError(f"转办理由不能超过{REASON_MAX}个字")


def pass_on(info_request: InfoRequest, to_office: Office | None, user: User, *, reason: str,
            on: date | None = None) -> InfoRequest:
    """Pass an unconfirmed application to another office of the portal (签收/退回), in one transaction.

    The engine refuses it once confirmed (events.NOT_PASSED_AFTER_RECEIPT: answer 非本机关负责公开 instead).
    The application leaves its 经办人 behind; the receipt date stays unset until the new office confirms it.
    """
    reason, on = (reason or "").strip(), on or office_today()
    check_pass(info_request, to_office, user, reason)
    with step(info_request, user) as s:
        from_office = info_request.office
        check_pass(info_request, to_office, user, reason)  # again under the row lock: it may have moved meanwhile
        note = PASSED_NOTE.format(from_office=from_office.name, to_office=to_office.name)
        s.record(ev.passed(on, to_office.name, reason), note=note)
        info_request.office, info_request.handler_id = to_office, None
        db.session.flush()
        tell_applicant(info_request, from_office, to_office, on, reason)
        s.audit("pass_request", f"{note}办理（尚未确认收到），理由：{reason}")
    return info_request


def notice_text(info_request: InfoRequest, from_office: Office, to_office: Office, on: date, reason: str) -> str:
    """The mail telling the applicant where the application went, why, and that number and code stay."""
    submitted = next((e.date for e in info_request.events if e.kind == ev.EventKind.SUBMITTED), None)
    when = f"于{cn_date(submitted)}" if submitted else ""
    lines = [
        f"{info_request.applicant.name}：",
        f"您{when}提交的政府信息公开申请（申请编号：{info_request.tracking_number}，"
        f"申请公开“{subject_of(info_request)}”）尚未确认收到。{from_office.name}于{cn_date(on)}"
        f"将该申请转至{to_office.name}办理。理由：{reason}",
        f"申请编号和查询码不变，您可以继续在门户“依申请公开—查询申请”中查看办理进度。{to_office.name}将与您确认"
        "收到申请，确认之日为收到申请之日，答复期限自次日起算（《中华人民共和国政府信息公开条例》第三十一条）。",
        f"{to_office.name}联系方式：{to_office.disclosure_office}，电话：{to_office.phone}；地址：{to_office.address}。",
        "",
        from_office.name,
        cn_date(on),
    ]
    return "\n".join(lines)


def tell_applicant(info_request: InfoRequest, from_office: Office, to_office: Office, on: date, reason: str) -> None:
    """Queue the notice to the applicant's e-mail, if one was given (sent after commit)."""
    email = (info_request.applicant.email or "").strip()
    if email:
        queue_mail(email, f"【{from_office.short_name}】您的政府信息公开申请已转至{to_office.short_name}办理"
                   f"（{info_request.tracking_number}）",
                   notice_text(info_request, from_office, to_office, on, reason), related=related(info_request))


def passes_of(info_request: InfoRequest) -> list[tuple[date, str, str]]:
    """(day, "由A转至B", reason) for each time the application was passed on, oldest first."""
    return [(e.date, e.note, e.reason) for e in info_request.events if e.kind == ev.EventKind.PASSED]


def find_office(office_id: str | int | None) -> Office | None:
    """The office with this id (as a form posts it), or None for anything else."""
    try:
        number = int(office_id or 0)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(select(Office).where(Office.id == number)) if 0 < number < 2**31 else None


def unconfirmed_everywhere(limit: int = 200) -> list[InfoRequest]:
    """Every office's applications still 待确认, longest waiting first: the 政务公开办's list (district-wide)."""
    return list(db.session.scalars(select(InfoRequest).where(InfoRequest.state == ev.Status.AWAITING_CONFIRMATION.value)
                                   .order_by(InfoRequest.submitted_at, InfoRequest.id).limit(limit)))
