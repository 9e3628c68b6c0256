"""The applicant withdraws an open application on the portal (撤回), and how staff learn of it.

The same event as a withdrawal staff record (services.withdraw), so the state, the timeline and the annual
report's 其他处理 count follow alike; taken by the applicant (the event and audit row name 申请人), with a
撤回确认书 to the applicant and a notice to the office's address, both through the outbox.
"""
from datetime import date, timedelta

from sqlalchemy import exists, select

from ..core.clock import office_today
from ..core.mail import queue_mail
from ..core.templating import cn_date
from ..models import InfoRequest, Letter, Office, RequestEvent
from . import events as ev
from .letters import REGULATION, compose, contact_line, make_letter, subject_of
from .records import deadline_of
from .steps import APPLICANT, related, step

ONLINE_NOTE = "申请人通过门户在线撤回"
REASON_MAX = 200
RECENT_DAYS = 30  # the queue's and the 工作台's 申请人在线撤回: withdrawn within this many calendar days


def may_withdraw(info_request: InfoRequest) -> bool:
    """Whether the engine would accept a withdrawal today (any open application, Art. 29–35 states)."""
    return ev.EventKind.WITHDRAWN in deadline_of(info_request).allowed


def withdrawal_letter(info_request: InfoRequest, office: Office, day: date, reason: str) -> Letter:
    """撤回确认书: the application is withdrawn and no longer handled; it may be made again."""
    paragraphs = [
        f"您于{cn_date(day)}通过本机关政府信息公开门户撤回了政府信息公开申请"
        f"（申请编号：{info_request.tracking_number}，申请公开“{subject_of(info_request)}”）。",
        *([f"您填写的撤回理由：{reason}"] if reason else []),
        "本机关确认已收到您的撤回，不再处理该申请，也不再计算答复期限。",
        f"您仍需要获取相关政府信息的，可以依照{REGULATION}第二十九条的规定重新提出申请。",
        "如果撤回并非您本人所为，请尽快与本机关联系。",
        contact_line(office),
    ]
    return make_letter("撤回确认书", info_request, day, compose(info_request.applicant.name, paragraphs, office, day))


def withdraw_online(info_request: InfoRequest, reason: str = "") -> InfoRequest:
    """The applicant withdraws on the portal today: event, 撤回确认书 (mailed), audit row, office notice.

    Refused (ValueError in Chinese, nothing written) when the application is already closed.
    """
    reason = " ".join((reason or "").split())[:REASON_MAX]
    today = office_today()
    office = info_request.office
    with step(info_request, None) as s:
        s.record(ev.withdrawn(today, reason), note=ONLINE_NOTE)
        s.issue(withdrawal_letter(info_request, office, today, reason),
                subject=f"【{office.short_name}】您已撤回政府信息公开申请（{info_request.tracking_number}）")
        s.audit("withdraw_online", "申请人在线撤回申请" + (f"：{reason}" if reason else ""))
        _tell_office(info_request, office, today, reason)
    return info_request


def _tell_office(info_request: InfoRequest, office: Office, day: date, reason: str) -> None:
    """Queue a notice to the office's address, if it has one; no personal data beyond the number."""
    if "@" not in (office.email or ""):
        return
    queue_mail(office.email, f"申请人在线撤回政府信息公开申请（{info_request.tracking_number}）", "\n".join([
        f"申请 {info_request.tracking_number} 的申请人已于{cn_date(day)}通过门户在线撤回申请。",
        *([f"撤回理由：{reason}"] if reason else []),
        "该申请已不再计算答复期限；撤回确认书已发给申请人。请在工作台“依申请公开办理”中查看。",
    ]), related=related(info_request))


def withdrawn_online_condition(today: date):
    """SQL for applications the applicant withdrew on the portal within the last RECENT_DAYS days."""
    return exists(select(RequestEvent.id).where(
        RequestEvent.info_request_id == InfoRequest.id, RequestEvent.kind == ev.EventKind.WITHDRAWN.value,
        RequestEvent.actor == APPLICANT, RequestEvent.date >= today - timedelta(days=RECENT_DAYS),
    )) & (InfoRequest.state == ev.Status.WITHDRAWN.value)


def withdrawn_online(info_request: InfoRequest) -> bool:
    """Whether this application was withdrawn by its applicant on the portal."""
    return any(e.kind == ev.EventKind.WITHDRAWN and e.actor == APPLICANT for e in info_request.events)
