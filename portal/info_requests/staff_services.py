"""Staff actions on an application: the shared state change, plus its letter, audit row and mail, in one
transaction (portal.apply.services runs our `effects` before it commits and sends mail after).
"""
from collections.abc import Callable
from datetime import date

from werkzeug.security import generate_password_hash

from ..core import audit
from ..core.db import commit
from ..core.mail import queue_mail
from ..extensions import db
from ..models import HANDLER, HEAD, InfoRequest, Letter, Office, User
from . import outcomes as rl
from . import services
from .deadlines import DeadlineState
from .letters import (
    THIRD_PARTY,
    abandonment_letter,
    consultation_letter,
    correction_letter,
    delay_letter,
    extension_letter,
    received_letter,
)
from .records import deadline_of
from .reply_letters import needs_ground, reply_letter

STATE_FIELDS = ("state", "receipt_date", "due_date", "due_provisional", "handler_id")
OBJECT = "info_request"
LetterMaker = Callable[[InfoRequest, Office, DeadlineState], Letter | None]


def notify(info_request: InfoRequest, letter: Letter) -> None:
    """Queue the letter to the applicant's e-mail, if one was given (sent after commit)."""
    email = (info_request.applicant.email or "").strip()
    if email and letter.for_applicant:
        queue_mail(email, f"【{Office.current().short_name}】{letter.title}（{info_request.tracking_number}）",
                   letter.body, related=f"info_request:{info_request.tracking_number}")


def _effects(user: User, action: str, summary: str, before: dict, make: LetterMaker | None = None):
    """The work added to a change's transaction: default handler, letter, mail, audit row with before/after."""

    def run(info_request: InfoRequest) -> None:
        """Runs after the event is recorded, before the commit."""
        if info_request.handler_id is None and user.has_role(HANDLER):
            info_request.handler_id = user.id
        db.session.flush()  # a new application needs its id for the audit row
        letter = make(info_request, Office.current(), deadline_of(info_request)) if make else None
        if letter is not None:
            notify(info_request, letter)
        old, new = audit.changes(before, audit.snapshot(info_request, STATE_FIELDS))
        text = f"申请 {info_request.tracking_number}：{summary}" + (f"（{letter.title} {letter.number}）" if letter else "")
        audit.record(action, OBJECT, info_request.id, text, before=old, after=new, actor=user)

    return run


def _before(info_request: InfoRequest | None) -> dict:
    """The fields an audit row compares, before the change."""
    return audit.snapshot(info_request, STATE_FIELDS) if info_request is not None else {}


def register(fields: dict, applicant: dict, *, channel: str, receipt_date: date, user: User) -> tuple[InfoRequest, str]:
    """A paper, postal or counter application; 当面/邮寄 get their 接收回执, the others wait as 待确认."""
    direct = channel in ("当面", "邮寄")
    make = (lambda r, office, d: received_letter(r, office, receipt_date, d)) if direct else None
    summary = f"登记{channel}提交的申请，" + ("收到申请日期 " if direct else "待确认，登记日期 ") + str(receipt_date)
    return services.register_received(fields, applicant, channel=channel, receipt_date=receipt_date, actor=user.name,
                                      effects=_effects(user, "register_request", summary, {}, make))


def confirm(info_request: InfoRequest, on: date, user: User) -> InfoRequest:
    """Confirm an online/plain-letter/fax application with the applicant: `on` is the receipt date."""
    make = lambda r, office, d: received_letter(r, office, on, d)  # noqa: E731
    return services.confirm(info_request, on, actor=user.name, effects=_effects(
        user, "confirm_request", f"确认收到申请，收到申请日期 {on}", _before(info_request), make))


def request_correction(info_request: InfoRequest, on: date, user: User, *, points: str,
                       workdays: int | None = None, until: date | None = None) -> InfoRequest:
    """补正告知书 (Art. 30), mailed to the applicant."""
    make = lambda r, office, d: correction_letter(r, office, on, d, points)  # noqa: E731
    return services.request_correction(info_request, on, actor=user.name, points=points, workdays=workdays,
                                       until=until, effects=_effects(user, "request_correction", "要求补正",
                                                                     _before(info_request), make))


def record_correction(info_request: InfoRequest, on: date, user: User) -> InfoRequest:
    """The corrected application arrived: the count restarts."""
    return services.record_correction(info_request, on, actor=user.name, effects=_effects(
        user, "record_correction", f"收到补正后的申请（{on}），答复期限重新起算", _before(info_request)))


def consultation_party(info_request: InfoRequest, party_kind: str, recipient: str) -> str:
    """The name a consultation goes by in the timeline (and on the applicant's page).

    A third party is never named there ("第三方", "第三方2" …); another office is.
    """
    if party_kind != THIRD_PARTY:
        return f"{party_kind}：{recipient.strip()}"
    earlier = sum(1 for e in info_request.events
                  if e.kind == "consultation_started" and e.party.startswith(THIRD_PARTY))
    return THIRD_PARTY if earlier == 0 else f"{THIRD_PARTY}{earlier + 1}"


def start_consultation(info_request: InfoRequest, on: date, user: User, *, party_kind: str, recipient: str,
                       matter: str) -> InfoRequest:
    """征求意见书 to a third party or another office; the clock pauses from the next day."""
    party = consultation_party(info_request, party_kind, recipient)
    make = lambda r, office, d: consultation_letter(r, office, on, party_kind=party_kind,  # noqa: E731
                                                    recipient=recipient, matter=matter)
    return services.start_consultation(info_request, on, actor=user.name, party=party, effects=_effects(
        user, "start_consultation", f"征求{party_kind}（{recipient.strip()}）意见", _before(info_request), make))


def close_consultation(info_request: InfoRequest, on: date, user: User, *, party: str, reason: str) -> InfoRequest:
    """The opinion arrived, the period ran out, or the consultation was withdrawn."""
    return services.close_consultation(info_request, on, actor=user.name, party=party, reason=reason, effects=_effects(
        user, "close_consultation", f"结束征求{party}意见：{reason}", _before(info_request)))


def _require_head(user: User, what: str) -> None:
    """Only the head of the disclosure office may approve this (Art. 33 / Art. 35)."""
    if not user.has_role(HEAD):
        raise ValueError(f"{what}须经政府信息公开工作机构负责人批准，您没有负责人角色")


def approve_extension(info_request: InfoRequest, on: date, user: User, *, workdays: int, reason: str) -> InfoRequest:
    """The 负责人's approval of the one extension; 延期答复告知书 mailed to the applicant."""
    _require_head(user, "延长答复期限")
    make = lambda r, office, d: extension_letter(r, office, on, d)  # noqa: E731
    return services.approve_extension(info_request, on, approver=user.name, workdays=workdays, reason=reason,
                                      effects=_effects(user, "approve_extension", f"批准延长答复期限 {workdays} 个工作日",
                                                       _before(info_request), make))


def set_delay(info_request: InfoRequest, on: date, user: User, *, until: date, reason: str) -> InfoRequest:
    """Art. 35: the 负责人 sets a later reply date; 延迟答复告知书 mailed to the applicant."""
    _require_head(user, "确定延迟答复期限")
    make = lambda r, office, d: delay_letter(r, office, on, d)  # noqa: E731
    return services.set_delay(info_request, on, approver=user.name, until=until, reason=reason, effects=_effects(
        user, "set_delay", f"依第三十五条确定延迟答复期限至 {until}", _before(info_request), make))


def check_reply(outcome: str, ground: str, note: str) -> None:
    """Refuse (in Chinese) a ground that does not fit the outcome, or a missing explanation."""
    if outcome not in rl.OUTCOMES:
        raise ValueError("请选择答复结果")
    allowed = needs_ground(outcome)
    if outcome == rl.DISCLOSED:
        if ground not in ("", rl.ALREADY_PUBLISHED):
            raise ValueError("予以公开无需选择理由")
        if ground == rl.ALREADY_PUBLISHED and not note.strip():
            raise ValueError("已经主动公开的，请写明获取该信息的方式和途径")
    elif ground not in allowed:
        what = "不予公开部分的理由" if outcome == rl.PARTLY_DISCLOSED else "理由"
        raise ValueError(f"“{outcome}”须从以下{what}中选择一项：{'、'.join(allowed)}")
    if outcome == rl.OTHER and ground == rl.OTHER_GROUND and not note.strip():
        raise ValueError("其他处理的，请在说明中写明处理情况")


def reply(info_request: InfoRequest, on: date, user: User, *, outcome: str, ground: str = "",
          note: str = "") -> InfoRequest:
    """The 答复书 for this outcome (and ground), mailed to the applicant."""
    check_reply(outcome, ground, note)
    make = lambda r, office, d: reply_letter(r, office, on, d, outcome, ground, note)  # noqa: E731
    label = rl.ALREADY_PUBLISHED if ground == rl.ALREADY_PUBLISHED else outcome
    summary = f"答复：{label}" + (f"（{ground}）" if ground and ground != rl.ALREADY_PUBLISHED else "")
    return services.reply(info_request, on, actor=user.name, outcome=outcome, ground=ground, note=note.strip(),
                          effects=_effects(user, "reply", summary, _before(info_request), make))


def withdraw(info_request: InfoRequest, on: date, user: User, *, reason: str = "") -> InfoRequest:
    """The applicant withdrew the application (no letter)."""
    return services.withdraw(info_request, on, actor=user.name, reason=reason, effects=_effects(
        user, "withdraw_request", "登记申请人撤回申请" + (f"：{reason}" if reason else ""), _before(info_request)))


def mark_abandoned(info_request: InfoRequest, on: date, user: User) -> InfoRequest:
    """No correction within the period: 视为放弃 (the engine checks the period is over); 告知书 mailed to the applicant."""
    make = lambda r, office, d: abandonment_letter(r, office, on, d)  # noqa: E731
    return services.mark_abandoned(info_request, on, actor=user.name, effects=_effects(
        user, "mark_abandoned", "逾期未补正，视为放弃申请", _before(info_request), make))


def assign(info_request: InfoRequest, handler: User | None, user: User) -> None:
    """Give the application to a 经办人 (or to nobody), audited."""
    before = {"handler": info_request.handler.name if info_request.handler else ""}
    info_request.handler_id = handler.id if handler else None
    audit.record("assign_request", OBJECT, info_request.id,
                 f"申请 {info_request.tracking_number}：经办人改为 {handler.name if handler else '（未指定）'}",
                 before=before, after={"handler": handler.name if handler else ""}, actor=user)
    db.session.commit()


def reset_query_code(info_request: InfoRequest, user: User) -> str:
    """Replace a lost query code: the old one stops working at once; the new one is returned to show once."""
    code = services.new_query_code()
    info_request.code_hash = generate_password_hash(code)
    audit.record("reset_query_code", OBJECT, info_request.id,
                 f"申请 {info_request.tracking_number}：重新生成查询码，原查询码失效", actor=user)
    commit()
    return code


ACCESS = {"view_request": "查看申请", "reveal_applicant": "查看申请人完整信息", "view_letter": "查看文书"}


def log_access(info_request: InfoRequest, user: User, action: str, detail: str = "") -> None:
    """Record that a staff member looked at the application, its applicant's full data, or a letter."""
    audit.record(action, OBJECT, info_request.id,
                 f"申请 {info_request.tracking_number}：{ACCESS[action]}" + (f"（{detail}）" if detail else ""), actor=user)
    db.session.commit()
