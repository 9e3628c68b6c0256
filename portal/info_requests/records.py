"""Between stored event rows and the deadline engine's plain values: derive, check and append."""
from datetime import date

from ..calendar.store import load_calendar
from ..core.clock import office_today
from ..models import InfoRequest, RequestEvent
from .deadlines import DeadlineState, compute_deadline
from .events import Channel, Event, EventKind, Status


def to_event(row: RequestEvent) -> Event:
    """The engine's value for one stored row."""
    return Event(
        kind=EventKind(row.kind), date=row.date, channel=Channel(row.channel) if row.channel else None,
        workdays=row.workdays, until=row.until, party=row.party, reason=row.reason, outcome=row.outcome,
        opinion=row.opinion or "", decision=row.decision or "", amount=row.amount, told=row.told,
    )


def to_row(event: Event, **extra) -> RequestEvent:
    """A stored row for one engine value; `extra` carries ground, actor and note."""
    return RequestEvent(
        kind=event.kind.value, date=event.date, channel=event.channel.value if event.channel else None,
        workdays=event.workdays, until=event.until, party=event.party, reason=event.reason,
        outcome=event.outcome, opinion=event.opinion, decision=event.decision, amount=event.amount, told=event.told,
        **extra,
    )


def deadline_of(info_request: InfoRequest, extra: Event | None = None, today: date | None = None) -> DeadlineState:
    """Derive an application's state and dates from its events (plus one proposed event).

    An empty calendar is never guessed at silently: every date then comes out provisional.
    """
    events = [to_event(row) for row in info_request.events]
    if extra is not None:
        events.append(extra)
    return compute_deadline(events, load_calendar(), today or office_today())


def refresh_state(info_request: InfoRequest, today: date | None = None) -> None:
    """Copy the derived state and dates onto the row (for lists and sorting); never hand-edited."""
    result = deadline_of(info_request, today=today)
    info_request.state = result.state.value if hasattr(result.state, "value") else str(result.state)
    info_request.receipt_date = result.receipt_date
    info_request.due_date = result.due_date
    info_request.due_provisional = result.due_date is not None and result.is_estimated("due_date")
    info_request.replied_on = result.replied_on
    info_request.replied_late = bool(result.replied_late)
    info_request.outcome = result.outcome
    waiting = result.state == Status.AWAITING_CORRECTION
    info_request.correction_due = result.correction_due if waiting else None
    info_request.correction_provisional = waiting and result.is_estimated("correction_due")
    still_open = [p for p in result.paused_days if p.is_open]
    first = min((p for p in still_open if p.party_due), key=lambda p: p.party_due, default=None)
    info_request.consultation_due = first.party_due if first else None
    info_request.consultation_provisional = first is not None and result.is_estimated(f"party_due:{first.party}")
    info_request.delivery_check_due = min((p.delivery_check for p in still_open if p.delivery_check), default=None)
    awaiting = result.fee is not None and result.fee.awaiting
    info_request.fee_due = result.fee.payment_due if awaiting else None
    info_request.fee_provisional = awaiting and result.is_estimated("payment_due")


def note_told(info_request: InfoRequest, deadline: date, kind: EventKind = EventKind.CORRECTION_REQUESTED) -> None:
    """Remember that the applicant was told this deadline in writing (a letter, a mail): the 补正 deadline
    (视为放弃 waits for the latest one told) or, with kind FEE_NOTIFIED, the last day to pay (逾期未缴费 waits).
    Not a legal event of its own; the 补正 request's or the 收费通知's row carries it."""
    row = told_row(info_request, kind)
    if row is not None and (row.told is None or deadline > row.told):
        row.told = deadline


def told_row(info_request: InfoRequest, kind: EventKind):
    """The latest stored event of this kind (the 补正 request, the 收费通知) whose `told` date is kept, or None."""
    return next((e for e in reversed(info_request.events) if e.kind == kind), None)


def told_date(info_request: InfoRequest, kind: EventKind, computed: date | None) -> date | None:
    """What the applicant goes by: the later of a deadline computed now and the one told in writing."""
    row = told_row(info_request, kind)
    told = row.told if row is not None else None
    if computed is None or told is None:
        return computed
    return max(computed, told)


def record(info_request: InfoRequest, event: Event, *, actor: str, ground: str = "", note: str = "") -> None:
    """Append one event after the engine checked the sequence stays possible (ValueError in Chinese otherwise)."""
    deadline_of(info_request, extra=event)
    info_request.events.append(to_row(event, ground=ground, actor=actor, note=note))
    refresh_state(info_request)
    if event.kind == EventKind.REPLIED:
        info_request.ground = ground
