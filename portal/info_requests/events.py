"""What happens to an application (依申请公开): event values, and the replay that checks their order.

The replay enforces which events may follow which (Chinese ValueError otherwise) and collects the
facts; the deadline engine (deadlines.py) turns those facts into dates.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from .consultations import (  # noqa: F401  (re-exported: the constants belong to the events they describe)
    AGREED,
    CLOSE_REASONS,
    CONSULTED_DAYS,
    DECISIONS,
    DELIVERY_CHECK_DAYS,
    DELIVERY_WAYS,
    DISCLOSE_ANYWAY,
    OBJECTED,
    OPINIONS,
    RECEIVED_OPINION,
    SILENT,
    STOPPED,
    THIRD_PARTY,
    WITHHOLD,
    OpenPause,
    close,
    deliver,
    is_third_party,
    party_due,
)
from .corrections import check_abandon, check_confirmed, check_sent
from .fee_periods import OpenFee, check_lapse, check_notice, check_payment
from .outcomes import DISCLOSED, PARTLY_DISCLOSED


class EventKind(StrEnum):
    """The kinds of event that move an application's clock."""

    SUBMITTED = "submitted"  # arrived online, by fax or plain letter: waits for confirmation (Art. 31)
    RECEIVED = "received"  # handed in, or a signed-for letter: that day is the receipt date
    CONFIRMED = "confirmed"  # office and applicant confirmed it: that day is the receipt date
    CORRECTION_REQUESTED = "correction_requested"  # 补正告知书 sent (Art. 30)
    CORRECTED_RECEIVED = "corrected_received"  # the corrected application arrived: count restarts
    CORRECTION_SUBMITTED = "correction_submitted"  # sent on the portal: received once confirmed (corrections.py)
    CONSULTATION_STARTED = "consultation_started"  # 征求意见书 sent (Art. 32/34): pause from next day
    CONSULTATION_DELIVERED = "consultation_delivered"  # the party received it: its 15 working days run
    CONSULTATION_CLOSED = "consultation_closed"  # opinion received or consultation closed
    EXTENSION_APPROVED = "extension_approved"  # Art. 33: one extension of at most 20 working days
    DELAY_SET = "delay_set"  # Art. 35: a reasonable later date for unreasonably many applications
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    ABANDONED = "abandoned"  # 视为放弃: no correction in time (Art. 30)
    FEE_NOTIFIED = "fee_notified"  # 收费通知 sent (收费管理办法第六条): the reply clock pauses from the next day
    FEE_PAID = "fee_paid"  # the applicant paid: counting resumes the next working day (第七条)
    FEE_UNPAID = "fee_unpaid"  # not paid within the period: 视为放弃 (第六条), report 三(六)2 逾期未缴费
    PASSED = "passed"  # 签收/退回: not yet confirmed, passed to another office of the portal (passing.py)


class Channel(StrEnum):
    """How the application arrived; it decides which day is the receipt date (Art. 31)."""

    IN_PERSON = "当面"
    SIGNED_MAIL = "邮寄"
    PLAIN_LETTER = "平常信函"
    ONLINE = "网络"
    FAX = "传真"


# Art. 31: these channels have their receipt date fixed on the day itself; the others by confirmation.
DIRECT_CHANNELS = frozenset({Channel.IN_PERSON, Channel.SIGNED_MAIL})

@dataclass(frozen=True)
class Event:
    """One dated event; only the fields its kind needs are set (use the constructors below)."""

    kind: EventKind
    date: dt.date
    channel: Channel | None = None
    workdays: int | None = None  # the 补正 period, or the extension's length
    until: dt.date | None = None  # the 补正 deadline as a date, the Art. 35 date, a disclosure's date (Art. 32),
    #                                or the day the applicant received a 收费通知
    party: str = ""  # who is consulted (第三方, another office)
    reason: str = ""  # also: how a 征求意见书 was delivered, or why a consultation ended
    outcome: str = ""
    opinion: str = ""  # a closed consultation: the party's opinion (同意公开, 不同意公开)
    decision: str = ""  # a third party objected: the office's decision (Art. 32)
    amount: int | None = None  # 信息处理费 in 元: the notice's amount, or the amount paid
    told: dt.date | None = None  # a 补正 request or a 收费通知: the latest deadline (补正期限, 缴费期限) the
    #                               applicant was told in writing


def passed(date: dt.date, to_office: str, reason: str) -> Event:
    """An application not yet confirmed was passed to another office of the portal (named in `party`).

    It stays 待确认: the receiving office confirms it, and that day is the receipt date (Art. 31).
    """
    return Event(EventKind.PASSED, date, party=to_office, reason=reason)


def submitted(date: dt.date, channel: Channel | str = Channel.ONLINE) -> Event:
    """An online, fax or plain-letter application arrived and awaits confirmation."""
    return Event(EventKind.SUBMITTED, date, channel=Channel(channel))


def received(date: dt.date, channel: Channel | str = Channel.IN_PERSON) -> Event:
    """Handed in (当面) or signed for (邮寄): the receipt date is this day."""
    return Event(EventKind.RECEIVED, date, channel=Channel(channel))


def confirmed(date: dt.date, channel: Channel | str = Channel.ONLINE, reason: str = "") -> Event:
    """Office and applicant confirmed an online/fax/plain-letter application: the receipt date.

    `reason`: why it was confirmed later than the day it arrived (the engine flags such a confirmation).
    """
    return Event(EventKind.CONFIRMED, date, channel=Channel(channel), reason=reason)


def correction_requested(date: dt.date, workdays: int | None = None, until: dt.date | None = None) -> Event:
    """A 补正告知书 giving the applicant either a number of working days or a date to correct by."""
    return Event(EventKind.CORRECTION_REQUESTED, date, workdays=workdays, until=until)


def corrected_received(date: dt.date, reason: str = "") -> Event:
    """The corrected application was received: the 20 working days start again from zero.

    `reason`: why a correction sent online after the 补正 period was accepted (corrections.py)."""
    return Event(EventKind.CORRECTED_RECEIVED, date, reason=reason)


def correction_submitted(date: dt.date) -> Event:
    """The applicant sent the corrected application on the portal: it waits for confirmation (Art. 31(三))."""
    return Event(EventKind.CORRECTION_SUBMITTED, date, channel=Channel.ONLINE)


def consultation_started(date: dt.date, party: str = "第三方") -> Event:
    """A 征求意见书 was sent to a third party or another office."""
    return Event(EventKind.CONSULTATION_STARTED, date, party=party)


def consultation_delivered(date: dt.date, party: str = "", how: str = "邮寄签收") -> Event:
    """The consulted party received the 征求意见书 on `date` (the day it is known to have arrived).

    Its 15 working days (Art. 32/34) are counted from the next day. The event may be recorded after later
    events (the signed receipt comes back days later), so the replay orders it by its consultation only.
    """
    return Event(EventKind.CONSULTATION_DELIVERED, date, party=party, reason=how)


def consultation_closed(date: dt.date, party: str = "", reason: str = RECEIVED_OPINION, *, opinion: str = "",
                        decision: str = "", disclose_on: dt.date | None = None) -> Event:
    """The opinion arrived (or the consultation was closed); party may be omitted when only one is open.

    A third party's objection needs the office's decision (Art. 32): 不予公开, or 予以公开 for the public
    interest with the day from which it will be disclosed (the 告知书 to the third party states it).
    """
    return Event(EventKind.CONSULTATION_CLOSED, date, party=party, reason=reason, opinion=opinion,
                 decision=decision, until=disclose_on)


def extension_approved(date: dt.date, workdays: int, reason: str) -> Event:
    """The head of the disclosure office approved extending the reply period."""
    return Event(EventKind.EXTENSION_APPROVED, date, workdays=workdays, reason=reason)


def delay_set(date: dt.date, until: dt.date, reason: str) -> Event:
    """Art. 35: the office set a later reply date, with a recorded reason."""
    return Event(EventKind.DELAY_SET, date, until=until, reason=reason)


def replied(date: dt.date, outcome: str) -> Event:
    """The office replied (答复书) with the given outcome."""
    return Event(EventKind.REPLIED, date, outcome=outcome)


def withdrawn(date: dt.date, reason: str = "") -> Event:
    """The applicant withdrew the application."""
    return Event(EventKind.WITHDRAWN, date, reason=reason)


def abandoned(date: dt.date) -> Event:
    """No correction within the period without good reason: the application is 视为放弃."""
    return Event(EventKind.ABANDONED, date)


def fee_notified(date: dt.date, amount: int, received: dt.date | None = None) -> Event:
    """A 收费通知 for `amount` 元 sent on `date`, received by the applicant on `received` (default: that day)."""
    return Event(EventKind.FEE_NOTIFIED, date, amount=amount, until=received or date)


def fee_paid(date: dt.date, amount: int | None = None, receipt_number: str = "") -> Event:
    """The applicant paid the 信息处理费 on `date` (the receipt number, if any, in reason)."""
    return Event(EventKind.FEE_PAID, date, amount=amount, reason=receipt_number)


def fee_unpaid(date: dt.date) -> Event:
    """The payment period passed without payment: the application is 视为放弃 (收费管理办法第六条)."""
    return Event(EventKind.FEE_UNPAID, date)


class Status(StrEnum):
    """An application's state as shown to staff and applicants."""

    AWAITING_CONFIRMATION = "待确认"
    IN_PROGRESS = "办理中"
    AWAITING_CORRECTION = "待补正"
    CONSULTING = "征求意见中"
    EXTENDED = "已延期"
    REPLIED = "已答复"
    WITHDRAWN = "已撤回"
    ABANDONED = "视为放弃"
    AWAITING_PAYMENT = "待缴费"


TERMINAL = frozenset({Status.REPLIED, Status.WITHDRAWN, Status.ABANDONED})
HANDLING = frozenset({Status.IN_PROGRESS, Status.CONSULTING, Status.EXTENDED})
MAX_EXTENSION_DAYS = 20

LABELS = {
    EventKind.SUBMITTED: "登记提交", EventKind.RECEIVED: "登记收到申请", EventKind.CONFIRMED: "确认收到申请",
    EventKind.CORRECTION_REQUESTED: "发出补正告知", EventKind.CORRECTED_RECEIVED: "登记收到补正",
    EventKind.CORRECTION_SUBMITTED: "申请人在线提交补正",
    EventKind.CONSULTATION_STARTED: "征求意见", EventKind.CONSULTATION_DELIVERED: "登记对方收到征求意见书",
    EventKind.CONSULTATION_CLOSED: "结束征求意见",
    EventKind.EXTENSION_APPROVED: "延长答复期限", EventKind.DELAY_SET: "确定延迟答复期限",
    EventKind.REPLIED: "答复", EventKind.WITHDRAWN: "撤回申请", EventKind.ABANDONED: "视为放弃",
    EventKind.FEE_NOTIFIED: "发出收费通知", EventKind.FEE_PAID: "登记缴费", EventKind.FEE_UNPAID: "逾期未缴费",
    EventKind.PASSED: "转至其他机关办理",
}

# The states each kind of event may follow; None is "nothing recorded yet".
ALLOWED: dict[EventKind, frozenset] = {
    EventKind.SUBMITTED: frozenset({None}),
    EventKind.RECEIVED: frozenset({None}),
    EventKind.CONFIRMED: frozenset({None, Status.AWAITING_CONFIRMATION}),
    EventKind.CORRECTION_REQUESTED: frozenset({Status.IN_PROGRESS}),
    EventKind.CORRECTED_RECEIVED: frozenset({Status.AWAITING_CORRECTION}),
    EventKind.CORRECTION_SUBMITTED: frozenset({Status.AWAITING_CORRECTION}),
    EventKind.CONSULTATION_STARTED: HANDLING,
    EventKind.CONSULTATION_DELIVERED: frozenset({Status.CONSULTING}),
    EventKind.CONSULTATION_CLOSED: frozenset({Status.CONSULTING}),
    EventKind.EXTENSION_APPROVED: HANDLING,
    EventKind.DELAY_SET: HANDLING,
    EventKind.REPLIED: HANDLING | {Status.AWAITING_CORRECTION},
    EventKind.WITHDRAWN: HANDLING | {Status.AWAITING_CONFIRMATION, Status.AWAITING_CORRECTION,
                                     Status.AWAITING_PAYMENT},
    EventKind.ABANDONED: frozenset({Status.AWAITING_CORRECTION}),
    # A fee is decided while handling, not during a consultation (one pause at a time), and once only.
    EventKind.FEE_NOTIFIED: frozenset({Status.IN_PROGRESS, Status.EXTENDED}),
    EventKind.FEE_PAID: frozenset({Status.AWAITING_PAYMENT}),
    EventKind.FEE_UNPAID: frozenset({Status.AWAITING_PAYMENT}),
    # 签收/退回 only before confirmation: once received, the office answers 非本机关负责公开 (Art. 36(五)).
    EventKind.PASSED: frozenset({Status.AWAITING_CONFIRMATION}),
}


@dataclass
class Facts:
    """What the events established, before any counting."""

    status: Status | None = None
    submitted: Event | None = None
    receipt_event: Event | None = None
    receipt: dt.date | None = None
    correction: Event | None = None
    corrected_on: dt.date | None = None
    correction_sent: dt.date | None = None  # sent online, waiting for (or given) confirmation
    correction_sent_late: bool = False  # sent after the 补正 period: staff decide
    clock_start: dt.date | None = None
    pauses: list[OpenPause] = field(default_factory=list)
    extension: Event | None = None
    delays: list[Event] = field(default_factory=list)
    end: Event | None = None
    fee: OpenFee | None = None
    passed: list[Event] = field(default_factory=list)  # passed between offices before confirmation

    def open_pauses(self) -> list[OpenPause]:
        """Consultations not yet closed."""
        return [p for p in self.pauses if p.last is None]

    def handling_status(self) -> Status:
        """The state while handling: consulting wins, then extended/delayed, else in progress."""
        if self.open_pauses():
            return Status.CONSULTING
        return Status.EXTENDED if self.extension or self.delays else Status.IN_PROGRESS


def correction_due(request: Event, calendar) -> dt.date:
    """The applicant's 补正 deadline: the date given, or that many working days after the notice."""
    return request.until or calendar.add_workdays(request.date, request.workdays).date


def abandon_after(request: Event, calendar) -> dt.date:
    """The day after which 视为放弃 may be recorded: the latest of the deadline computed now and the one the
    applicant was told in writing (a calendar change never shortens what the letter promised)."""
    due = correction_due(request, calendar)
    return max(due, request.told) if request.told else due


NOT_PASSED_AFTER_RECEIPT = (
    "申请已于 {receipt} 确认收到，收到申请之日已经确定，只能由本机关答复，不能再转至其他机关。"
    "所申请的信息不属于本机关负责公开的，请作出“非本机关负责公开”的答复（条例第三十六条第（五）项），"
    "告知申请人负责公开该信息的机关及其联系方式")


def _refuse(facts: Facts, event: Event) -> ValueError:
    """The Chinese error for an event that cannot follow the current state."""
    label = LABELS[event.kind]
    if facts.status in TERMINAL:
        return ValueError(f"申请已办结（{facts.status}，{facts.end.date}），不能再{label}")
    if facts.status is None:
        return ValueError(f"尚未收到申请，不能{label}（{event.date}）")
    if event.kind == EventKind.PASSED:
        return ValueError(NOT_PASSED_AFTER_RECEIPT.format(receipt=facts.receipt or "此前"))
    if facts.status == Status.AWAITING_CONFIRMATION:
        return ValueError(f"申请尚未确认收到，不能{label}（{event.date}）")
    return ValueError(f"申请当前为“{facts.status}”，不能{label}（{event.date}）")


def check_disclosure_date(f: Facts, e: Event) -> None:
    """Art. 32: the 决定公开告知书 told the third party "本机关将自{disclose_on}起向申请人提供…在此之前不予提供";
    a reply that provides the information (予以公开, 部分公开) before that day is refused."""
    if e.outcome not in (DISCLOSED, PARTLY_DISCLOSED):
        return
    for p in f.pauses:
        if p.decision == DISCLOSE_ANYWAY and p.disclose_on is not None and e.date < p.disclose_on:
            raise ValueError(f"已书面告知{p.party}本机关将自 {p.disclose_on} 起向申请人提供相关信息、在此之前不予提供"
                             f"（条例第三十二条），不能于 {e.date} 作出“{e.outcome}”的答复；请于 {p.disclose_on} 或之后答复")


def replay(events, calendar, today: dt.date) -> Facts:
    """Check the events' order and transitions and collect the facts; ValueError (Chinese) if impossible."""
    facts, previous = Facts(), None
    for event in events:
        delivery = event.kind == EventKind.CONSULTATION_DELIVERED  # dated by its consultation, see its constructor
        if previous is not None and event.date < previous.date and not delivery:
            raise ValueError(f"事件顺序有误：{LABELS[event.kind]}（{event.date}）早于"
                             f"{LABELS[previous.kind]}（{previous.date}）")
        if event.date > today:
            raise ValueError(f"{LABELS[event.kind]}的日期 {event.date} 晚于今天 {today}")
        if facts.status not in ALLOWED[event.kind]:
            raise _refuse(facts, event)
        _apply(facts, event, calendar)
        previous = previous if delivery else event
    return facts


def _apply(f: Facts, e: Event, calendar) -> None:
    """Apply one allowed event to the facts, with the checks specific to its kind."""
    k = e.kind
    if k in (EventKind.SUBMITTED, EventKind.CONFIRMED) and e.channel in DIRECT_CHANNELS:
        raise ValueError(f"{e.channel}提交的申请以{'提交' if e.channel == Channel.IN_PERSON else '签收'}"
                         "之日为收到申请之日，无需确认，请登记为“收到申请”")
    if k == EventKind.RECEIVED and e.channel not in DIRECT_CHANNELS:
        raise ValueError(f"{e.channel}提交的申请以双方确认之日为收到申请之日，请登记为“确认收到申请”")
    if k == EventKind.SUBMITTED:
        f.submitted, f.status = e, Status.AWAITING_CONFIRMATION
    elif k == EventKind.PASSED:
        f.passed.append(e)  # still 待确认, now with the receiving office
    elif k in (EventKind.RECEIVED, EventKind.CONFIRMED):
        f.receipt_event, f.receipt, f.clock_start, f.status = e, e.date, e.date, Status.IN_PROGRESS
    elif k == EventKind.CORRECTION_REQUESTED:
        if f.correction is not None:
            raise ValueError(f"补正告知应一次性作出，已于 {f.correction.date} 告知过，不能再次要求补正")
        if (e.workdays is None) == (e.until is None):
            raise ValueError("补正期限须给出工作日数或截止日期，二者取其一")
        if e.workdays is not None and e.workdays < 1:
            raise ValueError("补正期限至少为1个工作日")
        if e.until is not None and e.until <= e.date:
            raise ValueError(f"补正截止日期 {e.until} 须晚于告知日期 {e.date}")
        f.correction, f.clock_start, f.status = e, None, Status.AWAITING_CORRECTION
    elif k == EventKind.CORRECTION_SUBMITTED:
        check_sent(f.correction_sent, e.date)
        f.correction_sent, f.correction_sent_late = e.date, e.date > abandon_after(f.correction, calendar)
    elif k == EventKind.CORRECTED_RECEIVED:
        check_confirmed(f.correction_sent, f.correction_sent_late, e.date, e.reason)
        f.corrected_on, f.clock_start, f.status = e.date, e.date, Status.IN_PROGRESS
    elif k == EventKind.CONSULTATION_STARTED:
        if any(p.party == e.party for p in f.open_pauses()):
            raise ValueError(f"正在征求{e.party}意见，尚未结束，不能重复发出")
        f.pauses.append(OpenPause(e.party, e.date))
        f.status = Status.CONSULTING
    elif k == EventKind.CONSULTATION_DELIVERED:
        deliver(f.open_pauses(), e)
    elif k == EventKind.CONSULTATION_CLOSED:
        close(f.open_pauses(), e, calendar)
        f.status = f.handling_status()
    elif k == EventKind.EXTENSION_APPROVED:
        if f.extension is not None:
            raise ValueError(f"答复期限只能延长一次，已于 {f.extension.date} 延长过")
        if e.workdays is None or not 1 <= e.workdays <= MAX_EXTENSION_DAYS:
            raise ValueError(f"延长的期限应为1至{MAX_EXTENSION_DAYS}个工作日（条例第三十三条），"
                             f"收到 {e.workdays}")
        f.extension = e
        f.status = f.handling_status()
    elif k == EventKind.DELAY_SET:
        if e.until is None or e.until <= e.date:
            raise ValueError("依第三十五条确定的延迟答复期限须晚于决定日期")
        if not e.reason.strip():
            raise ValueError("依第三十五条延迟答复，须记录理由")
        f.delays.append(e)
        f.status = f.handling_status()
    elif k == EventKind.FEE_NOTIFIED:
        check_notice(e, f.fee)
        f.fee, f.status = OpenFee(e.date, e.until, e.amount, told=e.told), Status.AWAITING_PAYMENT
    elif k == EventKind.FEE_PAID:
        check_payment(f.fee, e)
        f.fee.paid, f.fee.receipt_number = e.date, e.reason
        f.status = f.handling_status()
    else:
        if k == EventKind.REPLIED:
            check_disclosure_date(f, e)
        if k == EventKind.FEE_UNPAID:
            check_lapse(f.fee, e, calendar)
            f.fee.lapsed_on = e.date
        if k == EventKind.ABANDONED:
            check_abandon(f.correction_sent, f.correction_sent_late, e.date)
        if k == EventKind.ABANDONED and e.date <= abandon_after(f.correction, calendar):
            told = f.correction.told
            what = (f"已书面告知申请人的补正期限 {told}" if told and told > correction_due(f.correction, calendar)
                    else f"补正期限 {correction_due(f.correction, calendar)}")
            raise ValueError(f"{what} 尚未届满，不能于 {e.date} 视为放弃申请")
        for p in f.open_pauses():
            p.last, p.how = e.date, f"{LABELS[k]}时仍未收到意见"
        f.end = e
        f.status = {EventKind.REPLIED: Status.REPLIED, EventKind.WITHDRAWN: Status.WITHDRAWN,
                    EventKind.ABANDONED: Status.ABANDONED, EventKind.FEE_UNPAID: Status.ABANDONED}[k]
