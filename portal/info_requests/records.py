"""Between stored event rows and the deadline engine's plain values."""
from datetime import date

from ..calendar.store import load_calendar
from ..core.clock import office_today
from ..models import InfoRequest, RequestEvent
from .deadlines import DeadlineState, compute_deadline
from .events import Channel, Event, EventKind


def to_event(row: RequestEvent) -> Event:
    """The engine's value for one stored row."""
    return Event(
        kind=EventKind(row.kind), date=row.date, channel=Channel(row.channel) if row.channel else None,
        workdays=row.workdays, until=row.until, party=row.party, reason=row.reason, outcome=row.outcome,
    )


def to_row(event: Event, **extra) -> RequestEvent:
    """A stored row for one engine value; `extra` carries ground, actor and note."""
    return RequestEvent(
        kind=event.kind.value, date=event.date, channel=event.channel.value if event.channel else None,
        workdays=event.workdays, until=event.until, party=event.party, reason=event.reason,
        outcome=event.outcome, **extra,
    )


def deadline_of(info_request: InfoRequest, extra: Event | None = None, today: date | None = None) -> DeadlineState:
    """Derive an application's state and dates from its events (plus one proposed event).

    An empty calendar is never guessed at silently: every date then comes out provisional.
    """
    events = [to_event(row) for row in info_request.events]
    if extra is not None:
        events.append(extra)
    return compute_deadline(events, load_calendar(), today or office_today())
