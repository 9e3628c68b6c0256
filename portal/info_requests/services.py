"""The statutory steps of an application (条例 Art. 29–39): one function each, one transaction each.

Each records its event (the engine refuses an impossible one, in Chinese), issues its letter, writes its
audit row and queues its mail in one transaction (portal.info_requests.steps), then sends the mail.
Staff steps are taken by a staff User; `submit_online` by the applicant on the portal.
Adding a step: an EventKind (events.py), a function here, a letter (letters.py), a form and a route (staff/).
"""
import secrets
from datetime import date

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..calendar.store import load_calendar
from ..core import audit
from ..core.clock import office_today
from ..core.db import next_serial, transaction
from ..core.secrets import spend_check_time
from ..extensions import db
from ..models import HEAD, Applicant, InfoRequest, Office, User
from . import events as ev
from . import outcomes as rl
from .consultation_steps import (  # noqa: F401  (consultations live in their own module; the views call them here)
    close_consultation,
    consultation_party,
    record_delivery,
    start_consultation,
)
from .letters import (
    abandonment_letter,
    correction_letter,
    delay_letter,
    extension_letter,
    receipt_letter,
    received_letter,
)
from . import proofs as proof_files
from . import releases
from .reply_letters import NOT_OURS, NOT_OURS_GROUND, Competent, needs_ground, reply_letter
from .records import deadline_of, note_told
from .steps import OBJECT, step

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by the elderly


def new_query_code() -> str:
    """A secret query code shown once to the applicant: 8 characters, 40 bits."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    """Accept the code typed in lower case, with or without the dash or spaces."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}"


def find_tracked(tracking_number: str, code: str) -> InfoRequest | None:
    """The application for a tracking number and its code; None for a wrong code or an unknown number alike."""
    number = (tracking_number or "").strip().upper()  # WZ-2026-0001 typed as wz-2026-0001 too
    info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
    if info_request is None:
        spend_check_time(code)  # as long as a real check, so timing does not tell which numbers exist
        return None
    return info_request if check_password_hash(info_request.code_hash, normalize_code(code)) else None


def _new_request(fields: dict, applicant: dict, channel: ev.Channel, year: int) -> tuple[InfoRequest, str]:
    """A new application in the session with its tracking number (sequential per year) and query code."""
    code, office = new_query_code(), Office.current()
    seq = next_serial(office.counter("request"), year)
    info_request = InfoRequest(
        office=office, tracking_number=office.tracking_number(year, seq), code_hash=generate_password_hash(code),
        channel=channel.value, state="待确认", **fields,
    )
    info_request.applicant = Applicant(**applicant)
    db.session.add(info_request)
    return info_request, code


def submit_online(fields: dict, applicant: dict, proofs: list | None = None) -> tuple[InfoRequest, str]:
    """An application filed on the portal: 待确认 until confirmed (Art. 31(三)), its 接收回执 mailed.

    The applicant takes this step: the event names 申请人, and no staff audit row is written. `proofs` are
    the checked (kind, file) pairs of its proof of identity (proofs.py), stored in the same transaction.
    """
    today = office_today()
    with step(None, None) as s:
        s.info_request, code = _new_request(fields, applicant, ev.Channel.ONLINE, today.year)
        proof_files.attach(s.info_request, proofs or [])
        s.record(ev.submitted(today, ev.Channel.ONLINE))
        office = s.info_request.office
        s.issue(receipt_letter(s.info_request, office, today),
                subject=f"【{office.short_name}】政府信息公开申请已收到（{s.info_request.tracking_number}）")
    return s.info_request, code


def register(fields: dict, applicant: dict, *, channel: str, receipt_date: date, user: User) -> tuple[InfoRequest, str]:
    """A counter, postal, plain-letter or fax application: 当面/邮寄 are received that day (their 接收回执
    issued); plain letters and faxes wait as 待确认 to be confirmed with the applicant (Art. 31).
    """
    channel = ev.Channel(channel)
    direct = channel in ev.DIRECT_CHANNELS
    with step(None, user) as s:
        s.info_request, code = _new_request(fields, applicant, channel, receipt_date.year)
        s.record(ev.received(receipt_date, channel) if direct else ev.submitted(receipt_date, channel))
        if direct:
            s.issue(received_letter(s.info_request, s.info_request.office, receipt_date, s.deadline()))
        s.audit("register_request", f"登记{channel}提交的申请，"
                + ("收到申请日期 " if direct else "待确认，登记日期 ") + str(receipt_date))
    return s.info_request, code


def confirm(info_request: InfoRequest, on: date, user: User, *, reason: str = "") -> InfoRequest:
    """Office and applicant confirmed an online/plain-letter/fax application: `on` is the receipt date.

    Art. 31(二)(三) make the confirmation day the receipt day, so a confirmation later than the day the
    application arrived needs its reason recorded (refused without it); the engine flags it.
    """
    reason = reason.strip()
    check_confirmation(deadline_of(info_request).arrived_on, on, reason)
    with step(info_request, user) as s:
        s.record(ev.confirmed(on, ev.Channel(info_request.channel), reason))
        s.issue(received_letter(info_request, info_request.office, on, s.deadline()))
        late = f"（晚于申请到达之日，原因：{reason}）" if reason else ""
        s.audit("confirm_request", f"确认收到申请，收到申请日期 {on}{late}")
    return info_request


def check_confirmation(arrived: date | None, on: date, reason: str) -> None:
    """Refuse (in Chinese) a confirmation later than the day the application arrived without a reason."""
    if arrived is not None and on > arrived and not reason.strip():
        raise ValueError(f"申请于 {arrived} 到达，确认日期 {on} 晚于到达之日：请填写未能当日确认的原因"
                         "（如当日无法联系申请人），该原因将记入办理记录")


def request_correction(info_request: InfoRequest, on: date, user: User, *, points: str,
                       workdays: int | None = None, until: date | None = None) -> InfoRequest:
    """The one 补正告知书 (Art. 30): what to correct and by when (working days or a date), mailed."""
    check_correction_period(on, info_request.office.correction_min_workdays, workdays=workdays, until=until)
    with step(info_request, user) as s:
        s.record(ev.correction_requested(on, workdays=workdays, until=until), note=points)
        deadline = s.deadline()
        s.issue(correction_letter(info_request, info_request.office, on, deadline, points))
        note_told(info_request, deadline.correction_due)  # the letter's date: 视为放弃 waits for it
        s.audit("request_correction", "要求补正")
    return info_request


def check_correction_period(on: date, minimum: int, *, workdays: int | None = None,
                            until: date | None = None) -> None:
    """Refuse (in Chinese) a 补正 period shorter than the office's minimum (Art. 30: a 合理的补正期限)."""
    given = workdays if until is None else load_calendar().workdays_between(on, until).count
    if given is not None and given < minimum:
        what = f"截止日期 {until} 距告知之日只有{max(given, 0)}个工作日" if until else f"补正期限{given}个工作日"
        raise ValueError(f"{what}，少于本机关设置的最短补正期限{minimum}个工作日，申请人没有合理的补正时间")


def record_correction(info_request: InfoRequest, on: date, user: User) -> InfoRequest:
    """The corrected application arrived: the 20 working days start again from zero (no letter)."""
    with step(info_request, user) as s:
        s.record(ev.corrected_received(on))
        s.audit("record_correction", f"收到补正后的申请（{on}），答复期限重新起算")
    return info_request


def _require_head(user: User, what: str) -> None:
    """Only the head of the disclosure office may approve this (Art. 33 / Art. 35)."""
    if not user.has_role(HEAD):
        raise ValueError(f"{what}须经政府信息公开工作机构负责人批准，您没有负责人角色")


def approve_extension(info_request: InfoRequest, on: date, user: User, *, workdays: int, reason: str) -> InfoRequest:
    """The 负责人 approves the one extension of at most 20 working days (Art. 33); 延期答复告知书 mailed."""
    _require_head(user, "延长答复期限")
    with step(info_request, user) as s:
        s.record(ev.extension_approved(on, workdays, reason))
        s.issue(extension_letter(info_request, info_request.office, on, s.deadline()))
        s.audit("approve_extension", f"批准延长答复期限 {workdays} 个工作日")
    return info_request


def set_delay(info_request: InfoRequest, on: date, user: User, *, until: date, reason: str) -> InfoRequest:
    """Art. 35: the 负责人 sets a reasonable later reply date, with its reason; 延迟答复告知书 mailed."""
    _require_head(user, "确定延迟答复期限")
    with step(info_request, user) as s:
        s.record(ev.delay_set(on, until, reason))
        s.issue(delay_letter(info_request, info_request.office, on, s.deadline()))
        s.audit("set_delay", f"依第三十五条确定延迟答复期限至 {until}")
    return info_request


def check_reply(outcome: str, ground: str, note: str, competent: Competent | None = None) -> None:
    """Refuse (in Chinese) a ground that does not fit the outcome, or a missing explanation; a 视为放弃 ground
    (outcomes.LAPSES) goes to its own step, which checks the date told in writing has passed."""
    if competent is not None and (outcome, ground) != (rl.UNABLE, NOT_OURS_GROUND):
        raise ValueError(f"{NOT_OURS}的答复按“无法提供—{NOT_OURS_GROUND}”办理")
    if competent is not None and not note.strip():
        raise ValueError(f"{NOT_OURS}的，请在答复说明中写明理由（第三十六条第（五）项）")
    if competent is not None and competent.name.strip() and not (competent.address.strip() or competent.phone.strip()):
        raise ValueError("请填写负责公开的机关的联系方式（地址或电话）")
    if outcome not in rl.OUTCOMES:
        raise ValueError("请选择答复结果")
    if outcome == rl.OTHER and ground in rl.LAPSES:
        raise ValueError(f"“{ground}”不能以答复办理：请在申请页面使用“{rl.LAPSES[ground]}”操作，"
                         "系统核对已书面告知申请人的期限届满后生成视为放弃告知书")
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
          note: str = "", competent: Competent | None = None, released: list | None = None) -> InfoRequest:
    """The 答复书 with this outcome (and the ground it needs, Art. 36–39), mailed to the applicant.

    `competent` makes it the Art. 36(五) answer (非本机关负责公开, counted as 无法提供 · 本机关不掌握相关政府信息).
    `released` are the checked files of 予以公开 / 部分公开 (portal.info_requests.releases): stored, listed in
    the letter, downloadable from the tracking page, and linked from the mail when the applicant asked for e-mail.
    """
    check_reply(outcome, ground, note, competent)
    releases.check_released(outcome, ground, released or [])
    label = rl.ALREADY_PUBLISHED if ground == rl.ALREADY_PUBLISHED else outcome
    detail = f"（{ground}）" if ground and ground != rl.ALREADY_PUBLISHED else ""
    if competent is not None:
        label, detail = NOT_OURS, f"（负责公开的机关：{competent.name.strip() or '无法确定'}）"
    with step(info_request, user) as s:
        s.record(ev.replied(on, outcome), ground=ground, note=note.strip())
        files = releases.attach(info_request, released or [])
        letter = reply_letter(info_request, info_request.office, on, s.deadline(), outcome, ground, note, competent,
                              released=files)
        for item in files:
            item.letter = letter
        s.issue(letter, mail_extra=releases.mail_link(info_request, files))
        s.audit("reply", f"答复：{label}{detail}" + (f"，公开文件 {len(files)} 个" if files else ""))
    return info_request


def withdraw(info_request: InfoRequest, on: date, user: User, *, reason: str = "") -> InfoRequest:
    """The applicant withdrew the application (no letter)."""
    with step(info_request, user) as s:
        s.record(ev.withdrawn(on, reason))
        s.audit("withdraw_request", "登记申请人撤回申请" + (f"：{reason}" if reason else ""))
    return info_request


def mark_abandoned(info_request: InfoRequest, on: date, user: User) -> InfoRequest:
    """No correction within the period: 视为放弃 (Art. 30; the engine checks the period is over); 告知书 mailed."""
    with step(info_request, user) as s:
        s.record(ev.abandoned(on))
        s.issue(abandonment_letter(info_request, info_request.office, on, s.deadline()))
        s.audit("mark_abandoned", "逾期未补正，视为放弃申请")
    return info_request


def assign(info_request: InfoRequest, handler: User | None, user: User) -> None:
    """Give the application to a 经办人 (or to nobody), audited."""
    with transaction():
        before = {"handler": info_request.handler.name if info_request.handler else ""}
        info_request.handler_id = handler.id if handler else None
        audit.record("assign_request", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：经办人改为 {handler.name if handler else '（未指定）'}",
                     before=before, after={"handler": handler.name if handler else ""}, actor=user)


def reset_query_code(info_request: InfoRequest, user: User) -> str:
    """Replace a lost query code: the old one stops working at once; the new one is returned to show once."""
    code = new_query_code()
    with transaction():
        info_request.code_hash = generate_password_hash(code)
        audit.record("reset_query_code", OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：重新生成查询码，原查询码失效", actor=user)
    return code


ACCESS = {"view_request": "查看申请", "reveal_applicant": "查看申请人完整信息", "view_letter": "查看文书",
          "view_proof": "查看身份证明材料"}


def log_access(info_request: InfoRequest, user: User, action: str, detail: str = "") -> None:
    """Record that a staff member looked at the application, its applicant's full data, or a letter."""
    with transaction():
        audit.record(action, OBJECT, info_request.id,
                     f"申请 {info_request.tracking_number}：{ACCESS[action]}" + (f"（{detail}）" if detail else ""),
                     actor=user)
