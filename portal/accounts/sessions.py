"""Staff sessions that end on the server, and their idle and absolute timeouts.

The session cookie names the account and its `session_token` (User.get_id), checked on every request;
the token is replaced at sign-out, at a password reset and at a role change or deactivation, which ends
every session of that account: a saved copy of the cookie no longer opens anything. The cookie also
carries when the session began and when it was last used (signed with SECRET_KEY, so not forgeable): a
session unused for SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS however active, ends too, and
the sign-in page says which. Remember-me cookies are never issued, and one presented is refused (it
carries no such times).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, g, session
from flask_login import login_user

from ..core.clock import utcnow
from ..extensions import db
from ..models.staff import User, new_session_token

SESSION_IDLE_MINUTES = 30
SESSION_MAX_HOURS = 12
SIGNED_IN_AT, SEEN_AT = "signed_in_at", "seen_at"  # session keys: POSIX seconds
PLEASE_SIGN_IN = "请先登录。"
ENDED = {
    "idle": "您已 {idle} 分钟没有操作，为安全起见已自动退出，请重新登录。",
    "absolute": "您已登录超过 {hours} 小时，为安全起见已自动退出，请重新登录。",
}


def start_session(user: User) -> None:
    """Sign `user` in to a fresh session (nothing carried over), stamping when it began."""
    session.clear()
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(utcnow().timestamp())


def renew_session(user: User) -> None:
    """After the signed-in user's own token changed: keep this session (its start time), end the others."""
    began = session.get(SIGNED_IN_AT)
    login_user(user)
    session[SIGNED_IN_AT] = began
    session[SEEN_AT] = int(utcnow().timestamp())


def session_ended(now: datetime) -> str | None:
    """Why this session has timed out ("idle" or "absolute"), or None while it may go on."""
    began, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(began, int) or not isinstance(seen, int):
        return "absolute"  # not made by start_session (e.g. a remember-me cookie): never accepted
    stamp = now.timestamp()
    if stamp - began > timedelta(hours=current_app.config.get("SESSION_MAX_HOURS", SESSION_MAX_HOURS)).total_seconds():
        return "absolute"
    if stamp - seen > timedelta(minutes=current_app.config.get("SESSION_IDLE_MINUTES", SESSION_IDLE_MINUTES)).total_seconds():
        return "idle"
    return None


def load_user(user_id: str) -> User | None:
    """Flask-Login: the account, if it is active, its token matches and the session has not timed out."""
    raw_id, _, token = (user_id or "").partition(":")
    if not raw_id.isdecimal() or not raw_id.isascii():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_token != token:
        return None
    now = utcnow()
    ended = session_ended(now)
    if ended:
        for key in ("_user_id", "_fresh", "_id", SIGNED_IN_AT, SEEN_AT):
            session.pop(key, None)
        g.session_ended = ended
        return None
    session[SEEN_AT] = int(now.timestamp())
    return user


def end_sessions(user: User) -> None:
    """End every session of the account (sign-out, password reset, role change, deactivation); caller commits."""
    user.session_token = new_session_token()


def ended_notice() -> str | None:
    """Why this request's session ended, in Chinese for the sign-in page; None if it did not time out."""
    ended = g.get("session_ended")
    if not ended:
        return None
    return ENDED[ended].format(idle=current_app.config.get("SESSION_IDLE_MINUTES", SESSION_IDLE_MINUTES),
                               hours=current_app.config.get("SESSION_MAX_HOURS", SESSION_MAX_HOURS))
