"""Staff sign-in: password hashing, checking a sign-in, Flask-Login wiring, role checks.

Every view of the staff area declares who may use it with `require_roles(...)` (or `allow_anonymous`
for the sign-in page): roles in the current office, or the district's roles held on the account
(区级管理员, 政务公开办). The declaration is stored on the view function as `required_roles`, so the
blueprint guard and the route-walking test read the same single source.

Sessions end on the server (sessions.py); guessing is slowed per username and address (throttle.py),
never by locking the account.
"""
from __future__ import annotations

import functools
from datetime import datetime

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from htmx_flask import make_response as htmx_response
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import audit
from ..core.clock import utcnow
from ..core.mail import mail_queued, queue_mail
from ..core.rendering import wants_fragment
from ..core.secrets import spend_check_time
from ..extensions import db, login_manager
from ..models.office import Office
from ..models.staff import DISTRICT_ADMIN, DISTRICT_ROLES, ROLES, User
from ..offices import ENVIRON_KEY, office_url
from . import throttle
from .sessions import PLEASE_SIGN_IN, ended_notice, load_user

MIN_PASSWORD_LENGTH = 10
SIGNIN_IP_LIMIT = "20 per 15 minutes"  # failed sign-ins per address, all usernames (Flask-Limiter syntax)
SIGNIN_FAILED = "用户名或密码不正确，或账户已停用"
ANONYMOUS = "（未登录）"  # the actor of failed sign-ins in the audit log
UNKNOWN_USERNAME = "（不存在的用户名）"  # what the audit log says instead of an unknown username as typed

audit.label_actions(
    {"login": "登录", "login_failed": "登录失败", "account_guessed": "密码被猜测提醒", "logout": "退出登录",
     "account_locked": "账户锁定"},  # account_locked: rows written before accounts stopped being locked
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


def authenticate(username: str, password: str, *, address: str, now: datetime | None = None) -> User | None:
    """Check a sign-in attempt; the user or None. Raises throttle.TooSoon while this address must wait.

    A deactivated account fails exactly like a wrong password, and an unknown username is slowed like
    a real one, so the answer never tells whether an account exists.
    """
    now = now or utcnow()
    subject = throttle.begin(throttle.SIGN_IN, username, address, now)
    user = find_user(username)
    if user is None:
        spend_check_time(password)  # timing does not tell which accounts exist
        throttle.failed(throttle.SIGN_IN, subject, address, now)
        # What was typed may be a password typed into the wrong box: record its length, never the text.
        typed = len((username or "").strip())
        audit.record("login_failed", "user", "", f"登录失败：{UNKNOWN_USERNAME}（{typed} 个字符）",
                     actor=ANONYMOUS)
        db.session.commit()
        return None
    if check_password_hash(user.password_hash, password or "") and user.active:
        throttle.succeeded(throttle.SIGN_IN, subject, address, now)
        user.last_login_at = now
        audit.record("login", "user", user.id, f"{user.name} 登录", actor=user)
        db.session.commit()
        return user
    told = throttle.failed(throttle.SIGN_IN, subject, address, now)
    audit.record("login_failed", "user", user.id, f"账户“{user.username}”登录失败", actor=ANONYMOUS)
    if told:
        _tell_guessed(user, told, throttle.failing_addresses(throttle.SIGN_IN, subject, now), now)
    db.session.commit()
    if told and user.email:
        mail_queued()
    return None


def _tell_guessed(user: User, failures: int, addresses: int, now: datetime) -> None:
    """Mail the holder (if they have an address) that their password is being guessed, and audit it."""
    if user.email:
        queue_mail(user.email, f"您的工作人员账户“{user.username}”多次登录未成功", (
            f"{user.name}：\n\n"
            f"截至 {audit.local_time(now)}，24 小时内有 {failures} 次使用用户名“{user.username}”登录未成功，"
            f"来自 {addresses} 个网络地址。\n\n"
            "如果不是您本人输错，说明有人在尝试猜测您的密码。您的账户没有被锁定，您仍可照常登录；"
            "请确认密码足够长、没有在别处使用，必要时请本单位的系统管理员为您重置密码。\n\n"
            "此类提醒每 24 小时最多发送一次。"), related=f"user:{user.id}")
    told = "已发邮件提醒本人" if user.email else "该账户未登记电子邮箱，未能提醒本人"
    audit.record("account_guessed", "user", user.id,
                 f"账户“{user.username}”24 小时内登录失败 {failures} 次（{addresses} 个地址），{told}", actor=ANONYMOUS)


def init_app(app: Flask) -> None:
    """Bind Flask-Login: sign-in page, Chinese message, strong session protection."""
    login_manager.init_app(app)
    login_manager.login_view = "admin.accounts.login"
    login_manager.login_message = PLEASE_SIGN_IN
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)


def require_roles(*roles: str, district: tuple[str, ...] = ()):
    """Decorate a staff view: anonymous users go to sign-in, users without any of `roles` in the request's office
    (nor any of the `district` roles, held on the account) get 403."""
    unknown = set(roles) - set(ROLES) | set(district) - set(DISTRICT_ROLES)
    if not (roles or district) or unknown:
        raise ValueError(f"require_roles needs known roles, got {roles!r} {district!r}")

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            refusal = check_access(frozenset(roles), frozenset(district))
            if refusal is not None:
                return refusal
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        wrapped.required_district_roles = frozenset(district)
        return wrapped

    return decorate


def require_district_roles(*roles: str):
    """Decorate a district page (区级管理员, 政务公开办): held on the account, in whichever office's URL."""
    unknown = set(roles) - set(DISTRICT_ROLES)
    if not roles or unknown:
        raise ValueError(f"require_district_roles needs district roles, got {roles!r}")

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            refusal = check_access(frozenset(), frozenset(roles))
            if refusal is not None:
                return refusal
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset()  # no office role opens it
        wrapped.required_district_roles = frozenset(roles)
        return wrapped

    return decorate


def allow_anonymous(view):
    """Mark a staff-area view that anyone may open (the sign-in page)."""
    view.required_roles = frozenset()
    view.allow_anonymous = True
    return view


def check_access(roles: frozenset[str] | None, district_roles: frozenset[str] = frozenset()):
    """None when the current user may proceed; otherwise the redirect to sign-in, or abort(403).

    Office roles are those held in the request's office (Office.current()): a member of another office only
    is refused every page of this one, the dashboard included (which sends them to their own office instead).
    """
    if not current_user.is_authenticated:
        return to_sign_in()
    if roles is None:
        current_app.logger.error("endpoint %s declares no roles: add @require_roles(...)", request.endpoint)
        abort(403)
    if current_user.has_role(*roles) or (district_roles and current_user.has_district_role(*district_roles)):
        return None
    elsewhere = own_office_home()
    if elsewhere is not None:
        return redirect(elsewhere)
    abort(403)



def to_sign_in():
    """Send a visitor who is not (or no longer) signed in to the sign-in page, coming back here afterwards."""
    flash(ended_notice() or PLEASE_SIGN_IN, "info")
    # script_root keeps an office's /o/<code> prefix in the address to come back to.
    target = url_for("admin.accounts.login", next=(request.script_root + request.full_path).rstrip("?"))
    if wants_fragment():
        # An htmx swap would paste the sign-in page into a fragment: make the browser go there instead.
        return htmx_response("", 204, redirect=target)
    return redirect(target)


def guard_blueprint():
    """before_request for the staff area: every endpoint must declare its roles; deny by default."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "allow_anonymous", False):
        return None
    # A route that forgot require_roles is closed to everybody rather than open to everybody.
    return check_access(getattr(view, "required_roles", None), getattr(view, "required_district_roles", frozenset()))


def own_office_home() -> str | None:
    """For the dashboard at /admin/ (no office in the URL) opened by an account that is not a member of the
    portal's first office: the dashboard of its own first office (or, for a 区级管理员 of none, the office list).
    None everywhere else: a page of an office the account does not belong to is refused, never redirected."""
    if request.endpoint != "admin.dashboard" or request.method != "GET" or ENVIRON_KEY in request.environ:
        return None
    if not current_user.is_authenticated or not current_user.active:
        return None
    offices = [o for o in Office.listed() if o.id in current_user.office_ids and current_user.roles_in(o.id)]
    if offices:
        return office_url(offices[0], "admin.dashboard")
    if current_user.has_district_role(DISTRICT_ADMIN) and "admin.offices" in current_app.view_functions:
        return url_for("admin.offices")
    return None


def go_home():
    """Where a signed-in user lands: the dashboard (which at /admin/ sends them on to their own office)."""
    return redirect(url_for("admin.dashboard"))
