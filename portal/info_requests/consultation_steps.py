"""Consultations (条例 Art. 32, 34) as steps: send the 征求意见书, record its receipt, close with the opinion.

Each is one transaction with its event, letter and audit row (portal.info_requests.steps); the engine
(events.py, consultations.py) refuses what the sequence does not allow. services.py re-exports them.
"""
from datetime import date

from ..models import InfoRequest, User
from . import events as ev
from .consultation_letters import disclosure_notice
from .consultations import DISCLOSING, check_closing
from .letters import THIRD_PARTY, consultation_letter
from .records import deadline_of
from .steps import step


def consultation_party(info_request: InfoRequest, party_kind: str, recipient: str) -> str:
    """The name a consultation goes by in the timeline (and on the applicant's page).

    A third party is never named there ("第三方", "第三方2" …); another office is.
    """
    if party_kind != THIRD_PARTY:
        return f"{party_kind}：{recipient.strip()}"
    earlier = sum(1 for e in info_request.events
                  if e.kind == ev.EventKind.CONSULTATION_STARTED and e.party.startswith(THIRD_PARTY))
    return THIRD_PARTY if earlier == 0 else f"{THIRD_PARTY}{earlier + 1}"


def start_consultation(info_request: InfoRequest, on: date, user: User, *, party_kind: str, recipient: str,
                       matter: str) -> InfoRequest:
    """A 征求意见书 to a third party (Art. 32) or another office (Art. 34): the clock pauses from the next day."""
    with step(info_request, user) as s:
        s.record(ev.consultation_started(on, consultation_party(info_request, party_kind, recipient)),
                 note=recipient.strip())  # the addressee, for a later 告知书 (Art. 32); staff pages only
        s.issue(consultation_letter(info_request, info_request.office, on, party_kind=party_kind,
                                    recipient=recipient, matter=matter))
        s.audit("start_consultation", f"征求{party_kind}（{recipient.strip()}）意见")
    return info_request


def record_delivery(info_request: InfoRequest, on: date, user: User, *, party: str = "",
                    how: str = "邮寄签收") -> InfoRequest:
    """The day the consulted party received the 征求意见书 (by hand, signed post, e-mail: the day it is known
    to have arrived): its 15 working days (Art. 32/34) run from the next day, and the pause ends with them."""
    if how not in ev.DELIVERY_WAYS:
        raise ValueError(f"送达方式应为：{'、'.join(ev.DELIVERY_WAYS)}")
    with step(info_request, user) as s:
        s.record(ev.consultation_delivered(on, party, how))
        pause = next(p for p in s.deadline().paused_days if p.delivered == on and (not party or p.party == party))
        s.audit("record_delivery", f"登记{pause.party}于 {on} 收到征求意见书（{how}），意见期限至 {pause.party_due}")
    return info_request


def close_consultation(info_request: InfoRequest, on: date, user: User, *, party: str = "",
                       reason: str = ev.RECEIVED_OPINION, opinion: str = "", decision: str = "",
                       disclose_on: date | None = None, disclosed: str = "", grounds: str = "") -> InfoRequest:
    """The opinion arrived, the party's limit passed, or the consultation was withdrawn: counting resumes.

    The rules are consultations.py's (`check_closing` for what a new closing carries, the engine's `close`
    for the rest); this step only builds the event. On a third party's objection (Art. 32) the reasons are
    recorded with it when the office discloses; only a disclosure for the public interest issues the
    numbered 决定公开告知书 to the third party — Art. 32 asks for the written notice in that case alone.
    """
    event = ev.consultation_closed(on, party, reason, opinion=opinion, decision=decision,
                                   disclose_on=disclose_on if decision == ev.DISCLOSE_ANYWAY else None)
    open_now = [p for p in deadline_of(info_request).paused_days if p.is_open and (not party or p.party == party)]
    pause = open_now[0] if len(open_now) == 1 else None  # else the engine refuses with the reason
    if pause is not None:
        check_closing(pause.party, event, disclosed=disclosed, grounds=grounds)
    with step(info_request, user) as s:
        s.record(event, note=grounds.strip() if decision in DISCLOSING else "")
        if decision == ev.DISCLOSE_ANYWAY:
            s.issue(disclosure_notice(info_request, info_request.office, on, party=pause.party, sent=pause.sent,
                                      disclosed=disclosed, grounds=grounds, disclose_on=disclose_on))
        said = f"，意见：{opinion}" if opinion else ""
        s.audit("close_consultation", f"结束征求{party or (pause.party if pause else '')}意见：{reason}{said}"
                + (f"，决定：{decision}" if decision else ""))
    return info_request
