"""Staff sign-in: password hashing, Flask-Login wiring, role checks, and throttling per account.

Every view of the staff area declares who may use it with `require_roles(...)` (or `allow_anonymous`
for the sign-in page). The declaration is stored on the view function as `required_roles`, so the
blueprint guard and the route-walking test read the same single source.
"""
from __future__ import annotations

import functools
from datetime import datetime, timedelta

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user
from htmx_flask import make_response as htmx_response
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import audit
from ..core.clock import utcnow
from ..core.rendering import wants_fragment
from ..core.secrets import spend_check_time
from ..extensions import db, login_manager
from ..models.staff import ROLES, User, new_session_token

MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5            # failed sign-ins in a row before the account is locked …
LOCK_MINUTES = 15           # … for this long
SIGNIN_IP_LIMIT = "20 per 15 minutes"  # failed sign-ins per address (Flask-Limiter syntax)
SIGNIN_FAILED = "用户名或密码不正确，或账户已被暂时锁定"
ANONYMOUS = "（未登录）"  # the actor of failed sign-ins in the audit log
UNKNOWN_USERNAME = "（不存在的用户名）"  # what the audit log says instead of an unknown username as typed

audit.label_actions(
    {"login": "登录", "login_failed": "登录失败", "account_locked": "账户锁定", "logout": "退出登录"},
    {"user": "账户"})


def hash_password(password: str) -> str:
    """A salted scrypt hash (werkzeug's default)."""
    return generate_password_hash(password)


def password_problem(password: str) -> str | None:
    """Why a new password is refused, in Chinese; None when it is acceptable."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符"
    return None


def _setting(name: str, default):
    """A sign-in setting, overridable in the app config (tests shorten them)."""
    return current_app.config.get(name, default)


def signin_ip_limit() -> str:
    """The per-address limit on failed sign-ins."""
    return _setting("SIGNIN_IP_LIMIT", SIGNIN_IP_LIMIT)


def find_user(username: str) -> User | None:
    """The account with this username (case-insensitive), or None."""
    name = (username or "").strip()
    if not name:
        return None
    return db.session.scalar(select(User).where(func.lower(User.username) == name.lower()))


def authenticate(username: str, password: str, now: datetime | None = None) -> User | None:
    """Check a sign-in attempt in one transaction (counting failures, locking); the user or None.

    A locked or deactivated account fails exactly like a wrong password, so the answer never tells
    whether an account exists.
    """
    now = now or utcnow()
    user = find_user(username)
    if user is None:
        spend_check_time(password)  # timing does not tell which accounts exist
        # What was typed may be a password typed into the wrong box: record its length, never the text.
        typed = len((username or "").strip())
        audit.record("login_failed", "user", "", f"登录失败：{UNKNOWN_USERNAME}（{typed} 个字符）",
                     actor=ANONYMOUS)
        db.session.commit()
        return None
    good = check_password_hash(user.password_hash, password or "")
    locked = user.locked_until is not None and user.locked_until > now
    if good and not locked and user.active:
        user.failed_logins = 0
        user.locked_until = None
        user.last_login_at = now
        audit.record("login", "user", user.id, f"{user.name} 登录", actor=user)
        db.session.commit()
        return user
    if not locked:
        user.failed_logins += 1
        if user.failed_logins >= _setting("SIGNIN_MAX_FAILURES", MAX_FAILURES):
            user.locked_until = now + timedelta(minutes=_setting("SIGNIN_LOCK_MINUTES", LOCK_MINUTES))
            user.failed_logins = 0
            audit.record("account_locked", "user", user.id,
                         f"账户“{user.username}”连续登录失败，已锁定至 {audit.local_time(user.locked_until)}",
                         actor=ANONYMOUS)
    audit.record("login_failed", "user", user.id, f"账户“{user.username}”登录失败", actor=ANONYMOUS)
    db.session.commit()
    return None


def load_user(user_id: str) -> User | None:
    """Flask-Login: the signed-in account, if it still exists, is active and its token matches."""
    raw_id, _, token = (user_id or "").partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign the account out everywhere (after a password reset or deactivation); caller commits."""
    user.session_token = new_session_token()


def init_app(app: Flask) -> None:
    """Bind Flask-Login: sign-in page, Chinese message, strong session protection."""
    login_manager.init_app(app)
    login_manager.login_view = "admin.accounts.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def require_roles(*roles: str):
    """Decorate a staff view: anonymous users go to sign-in, users without any of `roles` get 403."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"require_roles needs known roles, got {roles!r}")

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            refusal = check_access(frozenset(roles))
            if refusal is not None:
                return refusal
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        return wrapped

    return decorate


def allow_anonymous(view):
    """Mark a staff-area view that anyone may open (the sign-in page)."""
    view.required_roles = frozenset()
    view.allow_anonymous = True
    return view


def check_access(roles: frozenset[str] | None):
    """None when the current user may proceed; otherwise the redirect to sign-in, or abort(403)."""
    if not current_user.is_authenticated:
        return to_sign_in()
    if roles is None:
        current_app.logger.error("endpoint %s declares no roles: add @require_roles(...)", request.endpoint)
        abort(403)
    if not current_user.has_role(*roles):
        abort(403)
    return None


def to_sign_in():
    """Send an anonymous visitor to the sign-in page, coming back here afterwards."""
    if wants_fragment():
        # An htmx swap would paste the sign-in page into a fragment: make the browser go there instead.
        return htmx_response("", 204, redirect=url_for("admin.accounts.login", next=request.full_path.rstrip("?")))
    return login_manager.unauthorized()


def guard_blueprint():
    """before_request for the staff area: every endpoint must declare its roles; deny by default."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "allow_anonymous", False):
        return None
    # A route that forgot require_roles is closed to everybody rather than open to everybody.
    return check_access(getattr(view, "required_roles", None))


def safe_next(target: str | None) -> str | None:
    """A local path to return to after sign-in, or None (never another host)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def go_home():
    """Where a signed-in user lands."""
    return redirect(url_for("admin.dashboard"))
