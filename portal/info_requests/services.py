"""State changes of an application: one function each, one transaction, its event row written in it."""
import secrets
from collections.abc import Callable
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.clock import office_today
from ..core.db import next_serial
from ..core.mail import deliver_after_commit, queue_mail
from ..extensions import db
from ..models import Applicant, InfoRequest, Office
from . import events as ev
from .letters import receipt_letter
from .records import deadline_of, to_row

# Work a caller adds to a change's transaction after its event is recorded: the letter, audit row, mail.
Effects = Callable[[InfoRequest], None] | None

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by the elderly


def new_query_code() -> str:
    """A secret query code shown once to the applicant: 8 characters, 40 bits."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    """Accept the code typed in lower case, with or without the dash or spaces."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}"


def refresh_state(info_request: InfoRequest, today: date | None = None) -> None:
    """Copy the derived state and dates onto the row (for lists and sorting); never hand-edited."""
    result = deadline_of(info_request, today=today)
    info_request.state = result.state.value if hasattr(result.state, "value") else str(result.state)
    info_request.receipt_date = result.receipt_date
    info_request.due_date = result.due_date
    info_request.due_provisional = result.provisional
    info_request.replied_on = result.replied_on
    info_request.outcome = result.outcome


def record(info_request: InfoRequest, event: ev.Event, *, actor: str, ground: str = "", note: str = "") -> None:
    """Append one event after checking the sequence stays possible (ValueError in Chinese otherwise)."""
    deadline_of(info_request, extra=event)
    info_request.events.append(to_row(event, ground=ground, actor=actor, note=note))
    refresh_state(info_request)
    if event.kind == ev.EventKind.REPLIED:
        info_request.ground = ground


def _new_request(fields: dict, applicant: dict, channel: ev.Channel, year: int) -> tuple[InfoRequest, str]:
    """A new application in the session with its tracking number (sequential per year) and query code."""
    code = new_query_code()
    seq = next_serial("request", year)
    info_request = InfoRequest(
        tracking_number=f"{year}-{seq:04d}", code_hash=generate_password_hash(code),
        channel=channel.value, state="待确认", **fields,
    )
    info_request.applicant = Applicant(**applicant)
    db.session.add(info_request)
    return info_request, code


def submit_online(fields: dict, applicant: dict) -> tuple[InfoRequest, str]:
    """An application filed on the portal: saved as 待确认 (Art. 31(三)), a receipt, a mail copy."""
    today = office_today()
    try:
        info_request, code = _new_request(fields, applicant, ev.Channel.ONLINE, today.year)
        record(info_request, ev.submitted(today, ev.Channel.ONLINE), actor="申请人")
        letter = receipt_letter(info_request, Office.current(), today)
        info_request.letters.append(letter)
        if applicant.get("email"):
            subject = f"【{Office.current().short_name}】政府信息公开申请已收到（{info_request.tracking_number}）"
            queue_mail(applicant["email"], subject, letter.body, related=f"info_request:{info_request.tracking_number}")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    deliver_after_commit()
    return info_request, code


def find_tracked(tracking_number: str, code: str) -> InfoRequest | None:
    """The application for a tracking number and its code; None for a wrong code or an unknown number alike."""
    info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=(tracking_number or "").strip()))
    if info_request is None:
        # Spend the same time as a real check, so timing does not tell which numbers exist.
        check_password_hash(_dummy_hash(), "x")
        return None
    return info_request if check_password_hash(info_request.code_hash, normalize_code(code)) else None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when the number is unknown (made on first use, not at import)."""
    return generate_password_hash("not-a-code")


def next_letter_number(kind_code: str, year: int) -> str:
    """A letter number such as 石信公〔2026〕答字第7号; the prefix is the office's setting."""
    seq = next_serial(f"letter-{kind_code}", year)
    return f"{Office.current().letter_prefix}〔{year}〕{kind_code}字第{seq}号"


def register_received(fields: dict, applicant: dict, *, channel: str, receipt_date: date, actor: str,
                      effects: Effects = None) -> tuple[InfoRequest, str]:
    """Staff register an application handed in (当面) or signed for (邮寄): the receipt date is that day.

    Plain letters and faxes are registered as 待确认 and then confirmed (Art. 31(三)).
    """
    channel = ev.Channel(channel)
    event = (ev.received(receipt_date, channel) if channel in ev.DIRECT_CHANNELS
             else ev.submitted(receipt_date, channel))
    try:
        info_request, code = _new_request(fields, applicant, channel, receipt_date.year)
    except Exception:
        db.session.rollback()
        raise
    _change(info_request, event, actor=actor, effects=effects)  # rolls the new application back if refused
    return info_request, code


def _change(info_request: InfoRequest, event: ev.Event, *, actor: str, ground: str = "", note: str = "",
            effects: Effects = None) -> InfoRequest:
    """Record one event (and the caller's `effects`) in its own transaction; roll back and re-raise if refused."""
    try:
        record(info_request, event, actor=actor, ground=ground, note=note)
        if effects is not None:
            effects(info_request)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    deliver_after_commit()
    return info_request


def confirm(info_request: InfoRequest, on: date, *, actor: str, effects: Effects = None) -> InfoRequest:
    """Office and applicant confirmed an online/plain-letter/fax application: `on` is the receipt date."""
    return _change(info_request, ev.confirmed(on, ev.Channel(info_request.channel)), actor=actor, effects=effects)


def request_correction(info_request: InfoRequest, on: date, *, actor: str, points: str,
                       workdays: int | None = None, until: date | None = None,
                       effects: Effects = None) -> InfoRequest:
    """A 补正告知书 (Art. 30): what to correct and by when."""
    return _change(info_request, ev.correction_requested(on, workdays=workdays, until=until), actor=actor,
                   note=points, effects=effects)


def record_correction(info_request: InfoRequest, on: date, *, actor: str, effects: Effects = None) -> InfoRequest:
    """The corrected application arrived: the 20 working days start again from zero."""
    return _change(info_request, ev.corrected_received(on), actor=actor, effects=effects)


def start_consultation(info_request: InfoRequest, on: date, *, actor: str, party: str,
                       effects: Effects = None) -> InfoRequest:
    """A 征求意见书 was sent (Art. 32/34): the clock pauses from the next day."""
    return _change(info_request, ev.consultation_started(on, party), actor=actor, effects=effects)


def close_consultation(info_request: InfoRequest, on: date, *, actor: str, party: str = "",
                       reason: str = "收到意见", effects: Effects = None) -> InfoRequest:
    """The opinion arrived or the consultation was closed: counting resumes the next working day."""
    return _change(info_request, ev.consultation_closed(on, party, reason), actor=actor, effects=effects)


def approve_extension(info_request: InfoRequest, on: date, *, approver: str, workdays: int, reason: str,
                      effects: Effects = None) -> InfoRequest:
    """The 负责人 approved one extension of at most 20 working days (Art. 33)."""
    return _change(info_request, ev.extension_approved(on, workdays, reason), actor=approver, effects=effects)


def set_delay(info_request: InfoRequest, on: date, *, approver: str, until: date, reason: str,
              effects: Effects = None) -> InfoRequest:
    """Art. 35: a reasonable later reply date, with its reason."""
    return _change(info_request, ev.delay_set(on, until, reason), actor=approver, effects=effects)


def reply(info_request: InfoRequest, on: date, *, actor: str, outcome: str, ground: str = "", note: str = "",
          effects: Effects = None) -> InfoRequest:
    """The 答复书 went out with this outcome (and ground, where the outcome needs one)."""
    return _change(info_request, ev.replied(on, outcome), actor=actor, ground=ground, note=note, effects=effects)


def withdraw(info_request: InfoRequest, on: date, *, actor: str, reason: str = "",
             effects: Effects = None) -> InfoRequest:
    """The applicant withdrew the application."""
    return _change(info_request, ev.withdrawn(on, reason), actor=actor, effects=effects)


def mark_abandoned(info_request: InfoRequest, on: date, *, actor: str, effects: Effects = None) -> InfoRequest:
    """No correction within the period without good reason: 视为放弃 (Art. 30)."""
    return _change(info_request, ev.abandoned(on), actor=actor, effects=effects)


def redate_open(today: date | None = None, *, commit: bool = True) -> list[InfoRequest]:
    """Recompute every open application after the calendar changed; returns those whose dates moved.

    With commit=False the caller's transaction (the calendar change, its audit rows) commits them.
    """
    moved = []
    open_rows = db.session.scalars(select(InfoRequest).where(InfoRequest.replied_on.is_(None))).all()
    for info_request in open_rows:
        before = (info_request.due_date, info_request.due_provisional, info_request.state)
        refresh_state(info_request, today=today)
        if before != (info_request.due_date, info_request.due_provisional, info_request.state):
            moved.append(info_request)
    if commit:
        db.session.commit()
    return moved
