"""Staff accounts: one function per change, one transaction each, audited. Rules raise ValueError in Chinese."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from ..core import audit
from ..core.db import commit, transaction
from ..extensions import db
from ..models.office import Office
from ..models.staff import (ADMIN, DISTRICT_ADMIN, DISTRICT_ROLE_LABELS, DISTRICT_ROLES, ROLE_LABELS, ROLES,
                            Membership, User)
from . import throttle
from .auth import find_user, hash_password, password_problem
from .sessions import end_sessions

WRONG_CURRENT_PASSWORD = "当前密码不正确"
USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,49}$")
FIELDS = ("username", "display_name", "email", "roles", "active")

audit.label_actions({"user_create": "新建账户", "user_update": "修改账户", "user_password": "重置密码",
                     "user_password_own": "修改本人密码", "user_password_failed": "修改密码未成功",
                     "user_activate": "启用账户", "user_deactivate": "停用账户",
                     "user_offices": "修改账户的机关和角色"}, {"user": "账户"})


def _labels(roles: Iterable[str]) -> str:
    """Role codes as Chinese labels, 、-separated."""
    return "、".join(ROLE_LABELS[r] for r in ROLES if r in set(roles)) or "无"



def office_words(office: Office) -> str:
    """How pages and the log name the office an account's roles are for (在“石泉路街道”), in a district's portal."""
    return f"在“{office.short_name or office.name}”"


def _roles_here(roles: Iterable[str]) -> str:
    """The roles given in the current office, in words; the office is named in a district's portal."""
    return f"{office_words(Office.current())}：{_labels(roles)}" if Office.several() else _labels(roles)


def check_username(username: str) -> str:
    """A valid, unused username (letters, digits, . _ -); ValueError otherwise."""
    name = (username or "").strip()
    if not USERNAME_RE.match(name):
        raise ValueError("用户名为 2 至 50 个字母、数字或 . _ -，以字母或数字开头")
    if find_user(name) is not None:
        raise ValueError(f"用户名“{name}”已被使用")
    return name


def create_user(username: str, display_name: str, roles: Iterable[str], password: str, *,
                email: str = "", actor: User | str | None = None, district_roles: Iterable[str] = ()) -> User:
    """Create an account with its roles in the current office, first password, (optional) e-mail address and
    (optional) district roles."""
    name = check_username(username)
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    user = User(username=name, display_name=(display_name or "").strip() or name,
                email=(email or "").strip(), password_hash=hash_password(password))
    user.role_set = set(roles)
    user.district_role_set = set(district_roles)
    db.session.add(user)
    db.session.flush()
    district = "、".join(DISTRICT_ROLE_LABELS[r] for r in DISTRICT_ROLES if r in user.district_role_set)
    audit.record("user_create", "user", user.id,
                 f"新建账户“{user.username}”（{_roles_here(user.role_set)}{'；' + district if district else ''}）",
                 after=audit.snapshot(user, FIELDS), actor=actor, office=Office.current())  # roles given there
    commit()
    return user


def active_admins(office_id: int | None = None) -> int:
    """How many active accounts hold the 管理员 role in the office (the current office unless given)."""
    office_id = Office.current().id if office_id is None else office_id
    users = db.session.scalars(select(User).join(Membership).where(
        User.active.is_(True), Membership.office_id == office_id, Membership.roles.contains(ADMIN)))
    return sum(ADMIN in u.roles_in(office_id) for u in users)


def last_admin_problem(offices: Iterable[Office], *, leaving: int = 0) -> str | None:
    """The refusal when one of these offices would be left without an enabled 管理员 (`leaving`: how many of
    those counted now are about to stop being one), else None."""
    for office in offices:
        if active_admins(office.id) <= leaving:
            return (f"“{office.name}”至少要保留一位启用的管理员" if Office.several()
                    else "系统中至少要保留一位启用的管理员")
    return None


def admin_offices(user: User) -> list[Office]:
    """The offices in which the account holds the 管理员 role."""
    return [o for o in Office.listed() if ADMIN in user.roles_in(o.id)]


def shared_account(user: User, office_id: int) -> bool:
    """Whether the account also belongs to another office (with roles there) or holds a district role: then only
    the 区级管理员 edits it, resets its password or deactivates it, or one office's 管理员 could take over
    another office's account, or the district's."""
    elsewhere = {m.office_id for m in user.memberships if m.roles and m.office_id != office_id}
    return bool(elsewhere or user.district_role_set)


def update_user(user: User, *, display_name: str, roles: Iterable[str], by: User,
                email: str | None = None) -> bool:
    """Change an account's name, e-mail and roles; nobody removes their own 管理员 role. True if anything changed.

    A change of roles ends the account's sessions, so it signs in again under its new roles.
    """
    roles = set(roles)
    if user.id == by.id and ADMIN in user.role_set and ADMIN not in roles:
        raise ValueError("不能取消自己的管理员角色；请由另一位管理员操作")
    with transaction():  # a refusal below rolls the changed name and roles back
        before = audit.snapshot(user, FIELDS)
        user.display_name = (display_name or "").strip() or user.username
        if email is not None:
            user.email = email.strip()
        if roles != user.role_set:
            end_sessions(user)
        user.role_set = roles
        old, new = audit.changes(before, audit.snapshot(user, FIELDS))
        if not new:
            return False
        if ADMIN in before["roles"].split(",") and ADMIN not in roles and user.active:
            problem = last_admin_problem([Office.current()])
            if problem:
                raise ValueError(problem)
        where = office_words(Office.current()) if Office.several() else ""
        audit.record("user_update", "user", user.id, f"修改账户“{user.username}”：{where}角色为{_labels(roles)}",
                     before=old, after=new, office=Office.current())  # the roles are the office's
    return True


def reset_password(user: User, password: str, *, actor: User | str | None = None) -> None:
    """Set a new password, end the account's sessions and clear its sign-in delays."""
    problem = password_problem(password)
    if problem:
        raise ValueError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user)
    throttle.forget(throttle.SIGN_IN, user.username)
    audit.record("user_password", "user", user.id, f"重置账户“{user.username}”的密码", actor=actor)
    commit()


def change_own_password(user: User, current: str, password: str, *, address: str, now: datetime) -> None:
    """The holder's own change: the current password first (a wrong one counts as a failed sign-in, so this form
    is no way around the sign-in delays), then the new one; the account's other sessions end.

    Raises ValueError in Chinese, or throttle.TooSoon while this address must wait."""
    subject = throttle.begin(throttle.SIGN_IN, user.username, address, now)
    if not check_password_hash(user.password_hash, current or ""):
        throttle.failed(throttle.SIGN_IN, subject, address, now)
        audit.record("user_password_failed", "user", user.id, f"账户“{user.username}”修改本人密码时当前密码错误",
                     actor=user)
        commit()
        raise ValueError(WRONG_CURRENT_PASSWORD)
    throttle.succeeded(throttle.SIGN_IN, subject, address, now)  # the right secret, whatever follows
    problem = "新密码不能与当前密码相同" if current == password else password_problem(password)
    if problem:
        commit()
        raise ValueError(problem)
    user.password_hash = hash_password(password)
    end_sessions(user)
    audit.record("user_password_own", "user", user.id, f"账户“{user.username}”修改了本人密码", actor=user)
    commit()


def set_active(user: User, active: bool, *, by: User) -> None:
    """Deactivate (signing the account out everywhere) or reactivate an account; never one's own."""
    if user.id == by.id:
        raise ValueError("不能停用或启用自己的账户")
    if user.active == active:
        return
    problem = None if active else last_admin_problem(admin_offices(user), leaving=1)
    if problem:  # checked in every office the account is 管理员 of
        raise ValueError(problem)
    user.active = active
    if not active:
        end_sessions(user)
    audit.record("user_activate" if active else "user_deactivate", "user", user.id,
                 f"{'启用' if active else '停用'}账户“{user.username}”",
                 before={"active": not active}, after={"active": active})
    commit()


def all_users(*, office_id: int | None = None) -> list[User]:
    """Every account (or, with `office_id`, the members of that office), active first, then by username."""
    stmt = select(User)
    if office_id is not None:
        stmt = stmt.where(User.id.in_(select(Membership.user_id).where(Membership.office_id == office_id)))
    return list(db.session.scalars(stmt.order_by(User.active.desc(), func.lower(User.username))))


def district_admin_exists() -> bool:
    """Whether an active account holds the 区级管理员 role (the first 管理员 made at the command line gets it)."""
    users = db.session.scalars(select(User).where(User.active.is_(True), User.district_roles.contains(DISTRICT_ADMIN)))
    return any(u.has_district_role(DISTRICT_ADMIN) for u in users)


def set_offices(user: User, roles_by_office: dict[int, Iterable[str]], district_roles: Iterable[str], *,
                by: User) -> bool:
    """The 区级管理员 sets an account's roles in each office and its district roles, in one audited transaction;
    an office given no roles no longer counts the account among its members. Nobody removes their own 区级管理员
    role. True if anything changed (the account's sessions then end, so it signs in under its new roles)."""
    wanted = {office_id: frozenset(roles) for office_id, roles in roles_by_office.items()}
    district = frozenset(district_roles)
    if user.id == by.id and DISTRICT_ADMIN in user.district_role_set and DISTRICT_ADMIN not in district:
        raise ValueError("不能取消自己的区级管理员角色；请由另一位区级管理员操作")
    offices = {o.id: o for o in Office.listed()}
    if set(wanted) - set(offices):
        raise ValueError("请选择列出的机关")
    with transaction():
        was_admin = admin_offices(user)
        before = {"district_roles": user.district_roles,
                  **{f"office:{offices[i].code}": ",".join(sorted(user.roles_in(i))) for i in offices}}
        for office_id, roles in wanted.items():
            member = user.membership(office_id)
            if roles:
                user.set_roles_in(office_id, roles)
            elif member is not None:
                user.memberships.remove(member)  # no roles there: no longer one of the office's accounts
        user.district_role_set = district
        dropped = [o for o in was_admin if ADMIN not in user.roles_in(o.id)]
        problem = last_admin_problem(dropped) if user.active and dropped else None
        if problem:  # rolls the whole change back
            raise ValueError(problem)
        after = {"district_roles": user.district_roles,
                 **{f"office:{offices[i].code}": ",".join(sorted(user.roles_in(i))) for i in offices}}
        old, new = audit.changes(before, after)
        if not new:
            return False
        end_sessions(user)
        shown = "；".join(f"{offices[i].short_name or offices[i].name}：{_labels(user.roles_in(i))}"
                         for i in offices if user.roles_in(i))
        audit.record("user_offices", "user", user.id, f"修改账户“{user.username}”的机关和角色：{shown or '无'}",
                     before=old, after=new)
    return True
