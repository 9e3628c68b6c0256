"""The tracking form's guard: a tracking number and its query code, slowed per number and address.

The old per-number limit (20 tries an hour from anywhere) let a stranger keep the applicant's own right
code out for an hour. Now a guesser only slows the address it guesses from, a second address gets in at
once with the right code, and the applicant is told by mail, at most once a day, that someone is trying;
the rules and why the owner always gets in are in portal/accounts/throttle.py.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...accounts import throttle
from ...core import audit
from ...core.clock import utcnow
from ...core.mail import mail_queued, queue_mail
from ...extensions import db
from ...models import InfoRequest
from ..services import find_tracked
from ..steps import related


def track(number: str, code: str, address: str, now: datetime | None = None) -> InfoRequest | None:
    """The application for this number and code, or None; raises throttle.TooSoon while this address waits."""
    now = now or utcnow()
    number = (number or "").strip()
    subject = throttle.begin(throttle.TRACKING, number, address, now)
    info_request = find_tracked(number, code)
    if info_request is not None:
        throttle.succeeded(throttle.TRACKING, subject, address, now)
        db.session.commit()
        return info_request
    told = throttle.failed(throttle.TRACKING, subject, address, now)
    mailed = bool(told) and _tell_applicant(number, told, now)
    db.session.commit()
    if mailed:
        mail_queued()
    return None


def _tell_applicant(number: str, failures: int, now: datetime) -> bool:
    """Queue the notice to the applicant of `number`, if it exists and has an e-mail address; whether it did."""
    info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
    email = info_request.applicant.email if info_request is not None and info_request.applicant else ""
    if not email:
        return False
    queue_mail(email, f"有人多次尝试查询您的政府信息公开申请（{number}）", (
        f"{info_request.applicant.name}：\n\n"
        f"截至 {audit.local_time(now)}，24 小时内有 {failures} 次使用申请编号 {number} 和错误的查询码查询申请进度。\n\n"
        "如果不是您本人输错，说明有人在尝试猜测查询码。您的申请和查询码都不受影响，您仍可随时用申请编号和查询码查询；"
        "查询码只在提交时显示过一次，请勿告诉他人。如有疑问，请与本机关联系。\n\n"
        "此类提醒每 24 小时最多发送一次。"), related=related(info_request))
    return True
