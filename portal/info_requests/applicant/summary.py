"""The tracking page's summary from the stored application: which letter closed it and when it was delivered.

The delivery date is known to the portal when the closing letter went out by e-mail (the day the outbox sent
it, office time), or when staff recorded that the applicant collected the information at the office (自行领取,
当场阅读抄录: the answer is handed over with it, that day). A letter posted is delivered on a day the portal
does not know (the recorded day is the posting day), and the summary then states the rule without a date.
"""
from datetime import date

from sqlalchemy import select

from ...calendar.store import load_calendar
from ...core.clock import OFFICE_TZ
from ...extensions import db
from ...models import InfoRequest, Letter, OutboxMessage
from ..deadlines import DeadlineState
from ..events import Status
from ..releases import handovers_of
from ..standing import Standing, standing
from ..steps import related

CLOSING_LETTER = {Status.REPLIED: "答复书", Status.ABANDONED: "视为放弃告知书"}


def closing_letter(info_request: InfoRequest, state: Status) -> Letter | None:
    """The 答复书 (or 视为放弃告知书) that closed the application, if any."""
    kind = CLOSING_LETTER.get(state)
    return next((l for l in reversed(info_request.letters) if l.kind == kind), None) if kind else None


COLLECTED = frozenset({"自行领取", "当场阅读抄录"})  # handed over at the office: the answer with it, that day


def delivered_on(info_request: InfoRequest, letter: Letter | None) -> date | None:
    """The office-local day the letter's e-mail to the applicant was sent, else the day the applicant collected
    the information at the office, or None when not (yet) known."""
    if letter is None:
        return None
    return _mailed_on(info_request, letter) or min(
        (h.on for h in handovers_of(info_request) if h.method in COLLECTED), default=None)


def _mailed_on(info_request: InfoRequest, letter: Letter) -> date | None:
    """The office-local day the letter's e-mail to the applicant was sent, if it was."""
    email = (info_request.applicant.email or "").strip()
    if not email:
        return None
    sent = db.session.scalar(select(OutboxMessage.sent_at).where(
        OutboxMessage.related == related(info_request), OutboxMessage.to_address == email,
        OutboxMessage.body == letter.body, OutboxMessage.sent_at.is_not(None),
    ).order_by(OutboxMessage.sent_at).limit(1))
    return sent.astimezone(OFFICE_TZ).date() if sent else None


def summary_of(info_request: InfoRequest, deadline: DeadlineState) -> Standing:
    """The Standing shown at the top of the tracking page."""
    end = deadline.replied_on or next((e.date for e in reversed(info_request.events)
                                       if e.kind in ("withdrawn", "abandoned")), None)
    letter = closing_letter(info_request, deadline.state)
    return standing(deadline, load_calendar(), ended_on=end, delivered_on=delivered_on(info_request, letter))
