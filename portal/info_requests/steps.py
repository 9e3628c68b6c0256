"""How every change of an application runs: one transaction with its event, letter, audit row and mail.

Modelled on portal.catalog.workflow's step/finish: lock the row, let the engine check the event, write
the event, the letter and the audit row, commit, then carry out what cannot roll back (the mail).

    with step(info_request, user) as s:
        s.record(ev.correction_requested(on, workdays=10), note=points)  # refused → ValueError (Chinese)
        s.issue(correction_letter(info_request, info_request.office, on, s.deadline(), points))
        s.audit("request_correction", "要求补正")
    # committed here and the mail handed to the sender; on any exception everything is rolled back and re-raised
"""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import inspect

from ..core import audit
from ..core.db import transaction
from ..core.mail import mail_queued, queue_mail
from ..extensions import db
from ..models import HANDLER, InfoRequest, Letter, User
from .deadlines import DeadlineState
from .events import Event
from .records import deadline_of, record

STATE_FIELDS = ("state", "receipt_date", "due_date", "due_provisional", "handler_id", "office_id")
OBJECT = "info_request"
APPLICANT = "申请人"  # who the event names when the applicant takes the step on the portal

audit.label_actions({
    "register_request": "登记申请", "confirm_request": "确认收到申请", "request_correction": "要求补正",
    "record_correction": "收到补正", "start_consultation": "征求意见", "record_delivery": "登记征求意见书送达",
    "close_consultation": "结束征求意见",
    "approve_extension": "批准延期", "set_delay": "确定延迟答复", "reply": "答复", "withdraw_request": "申请撤回",
    "withdraw_online": "申请人在线撤回",
    "mark_abandoned": "视为放弃", "assign_request": "指定经办人", "reset_query_code": "重新生成查询码",
    "reveal_applicant": "查看完整申请人信息", "view_request": "查看申请", "view_letter": "查看文书",
    "request_redated": "申请期限重新计算", "pass_request": "转至其他机关办理",
}, {OBJECT: "依申请公开申请"})


def related(info_request: InfoRequest) -> str:
    """What the outbox files a message about this application under."""
    return f"info_request:{info_request.tracking_number}"


def notify(info_request: InfoRequest, letter: Letter, subject: str | None = None, extra: str = "") -> None:
    """Queue the letter to the applicant's e-mail, if one was given (sent after commit); `extra` follows
    the letter in the mail only (a download link, never kept in the letter)."""
    email = (info_request.applicant.email or "").strip()
    if email and letter.for_applicant:
        subject = subject or f"【{info_request.office.short_name}】{letter.title}（{info_request.tracking_number}）"
        body = letter.body + (f"\n\n{extra}" if extra else "")
        queue_mail(email, subject, body, related=related(info_request))


class Step:
    """One change in progress: the application, who takes it, its fields before, the letter it issues."""

    def __init__(self, info_request: InfoRequest | None, user: User | None, before: dict):
        """A step on a stored application, or (info_request None) one that creates it."""
        self.info_request, self.user, self.before = info_request, user, before
        self.letter: Letter | None = None

    def record(self, event: Event, *, ground: str = "", note: str = "") -> None:
        """Append the event if the engine accepts it; a 经办人 acting on an unassigned application takes it on."""
        info_request = self.info_request
        record(info_request, event, actor=self.user.name if self.user else APPLICANT, ground=ground, note=note)
        if info_request.handler_id is None and self.user is not None and self.user.has_role(HANDLER):
            info_request.handler_id = self.user.id
        db.session.flush()  # a new application gets its id (for the audit row) and a letter its number

    def deadline(self) -> DeadlineState:
        """The engine's state after the event, for the letter's dates."""
        return deadline_of(self.info_request)

    def issue(self, letter: Letter, subject: str | None = None, mail_extra: str = "") -> Letter:
        """Keep the letter this step issued and queue it to the applicant by e-mail (with `mail_extra`)."""
        self.letter = letter
        notify(self.info_request, letter, subject, mail_extra)
        return letter

    def audit(self, action: str, summary: str) -> None:
        """The audit row: the summary naming any letter issued, and the state fields that changed."""
        info_request, letter = self.info_request, self.letter
        old, new = audit.changes(self.before, audit.snapshot(info_request, STATE_FIELDS))
        text = f"申请 {info_request.tracking_number}：{summary}" + (f"（{letter.title} {letter.number}）" if letter else "")
        audit.record(action, OBJECT, info_request.id, text, before=old, after=new, actor=self.user or APPLICANT)


@contextmanager
def step(info_request: InfoRequest | None, user: User | None) -> Iterator[Step]:
    """Run one change in one transaction, then wake the mail sender; a refusal leaves nothing behind."""
    with transaction():
        yield Step(info_request, user, lock(info_request))
    mail_queued()


def lock(info_request: InfoRequest | None) -> dict:
    """Lock a stored application's row and reload its events (a concurrent step is seen, not overwritten);
    return the fields its audit row compares against ({} for a new application)."""
    if info_request is None or inspect(info_request).pending:
        return {}
    db.session.refresh(info_request, with_for_update=True)
    db.session.expire(info_request, ["events", "letters"])
    return audit.snapshot(info_request, STATE_FIELDS)
