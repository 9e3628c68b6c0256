"""Signing in and out, and 账户管理 (管理员): list, create, change roles, reset passwords, deactivate."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from ..core import audit
from ..core.clock import utcnow
from ..core.urls import safe_next
from ..extensions import db, limiter
from ..models.office import Office
from ..models.staff import ADMIN, DISTRICT_ADMIN, DISTRICT_ROLE_LABELS, DISTRICT_ROLES, ROLE_LABELS, ROLES, User
from ..offices.scoping import account_or_404
from . import services as service
from . import throttle
from .auth import (SIGNIN_FAILED, allow_anonymous, authenticate, go_home, require_district_roles, require_roles,
                   signin_ip_limit)
from .sessions import end_sessions, renew_session, start_session
from .forms import EditUserForm, NewUserForm, OwnPasswordForm, PasswordForm, SignInForm

bp = Blueprint("accounts", __name__)


def _failed_signin(response) -> bool:
    """Count only failed attempts against the per-address limit."""
    return g.get("signin_failed", False)


@bp.route("/login", methods=["GET", "POST"])
@allow_anonymous
@limiter.limit(signin_ip_limit, methods=["POST"], deduct_when=_failed_signin)
def login():
    """The sign-in page; one message for every failure, so it never tells whether an account exists."""
    if current_user.is_authenticated and current_user.has_role(*ROLES):
        return go_home()
    form = SignInForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, address=request.remote_addr or "")
        except throttle.TooSoon as wait:
            error, status = f"登录尝试次数过多，{wait.text}。", 429
        else:
            if user is not None:
                start_session(user)
                return redirect(safe_next(request.args.get("next")) or url_for("admin.dashboard"))
            g.signin_failed = True
            error = SIGNIN_FAILED
    return render_template("accounts/login.html", form=form, error=error), status


@bp.post("/logout")
@allow_anonymous
def logout():
    """Sign out (POST with the CSRF token, so a link or an image cannot sign anyone out).

    The account's session token is replaced, so no copy of this session's cookie opens anything again.
    """
    if current_user.is_authenticated:
        end_sessions(current_user)
        audit.record("logout", "user", current_user.id, f"{current_user.name} 退出登录")
        db.session.commit()
        logout_user()
    session.clear()
    flash("您已退出登录。", "info")
    return redirect(url_for("admin.accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
@require_roles(*ROLES)
def own_password():
    """Any staff member changes their own password; their sessions elsewhere end, this one goes on."""
    form = OwnPasswordForm()
    status = 422 if request.method == "POST" else 200  # a POST that reaches the template failed
    if form.validate_on_submit():
        try:
            service.change_own_password(current_user, form.current.data, form.password.data,
                                        address=request.remote_addr or "", now=utcnow())
        except throttle.TooSoon as wait:
            form.current.errors.append(f"尝试次数过多，{wait.text}。")
            status = 429
        except ValueError as exc:
            target = form.current if str(exc) == service.WRONG_CURRENT_PASSWORD else form.password
            target.errors.append(str(exc))
        else:
            renew_session(current_user)
            flash("密码已修改。您在其他设备上的登录已失效。", "success")
            return redirect(url_for("admin.dashboard"))
    return render_template("accounts/own_password.html", form=form), status


MANAGERS = (DISTRICT_ADMIN,)  # besides an office's 管理员 (its accounts), the 区级管理员 (every account)


def _district_admin() -> bool:
    """Whether the signed-in account manages every office's accounts."""
    return current_user.has_district_role(DISTRICT_ADMIN)


def _account(user_id: int) -> User:
    """An account the signed-in 管理员 may manage (a member of this office; any, for the 区级管理员), else 404."""
    return account_or_404(user_id, every_office=_district_admin())


SHARED_ACCOUNT = "该账户也属于其他机关或持有区级角色，请由区级管理员操作。"


def _may_manage(user: User) -> bool:
    """Whether the signed-in 管理员 may edit the account, reset its password or deactivate it: the 区级管理员 any
    account, an office's 管理员 only one that belongs to no other office and holds no district role."""
    return _district_admin() or not service.shared_account(user, Office.current().id)


def _managed_account(user_id: int) -> User:
    """An account the signed-in 管理员 may change (see _may_manage), else 404 (not theirs) or 403 (shared)."""
    user = _account(user_id)
    if not _may_manage(user):
        abort(403)
    return user


@bp.get("/accounts")
@require_roles(ADMIN, district=MANAGERS)
def accounts():
    """The office's accounts (every account, for the 区级管理员) with their roles here and state."""
    users = service.all_users(office_id=None if _district_admin() else Office.current().id)
    return render_template("accounts/accounts.html", users=users, now=utcnow())


@bp.route("/accounts/new", methods=["GET", "POST"])
@require_roles(ADMIN, district=MANAGERS)
def account_new():
    """Create an account (with roles in the current office, which a district's portal names)."""
    form = _name_office(NewUserForm())
    if form.validate_on_submit():
        try:
            user = service.create_user(form.username.data, form.display_name.data, form.roles.data,
                                       form.password.data, email=form.email.data or "")
        except ValueError as exc:
            form.username.errors.append(str(exc))
        else:
            flash(f"已新建账户“{user.username}”。", "success")
            return redirect(url_for("admin.accounts.accounts"))
    return render_template("accounts/account_new.html", form=form)


def _name_office(form):
    """In a district's portal the roles field says which office its roles are for (the request's office)."""
    if Office.several():
        form.roles.label.text = f"{service.office_words(Office.current())}的角色"
    return form


def _edit_page(user: User, form=None, password_form=None, error=None, status=200, offices_error=None):
    """The account page with its forms (roles here, password, active) and, in a multi-office portal, its roles in
    every office (editable by the 区级管理员 only)."""
    form = _name_office(form or EditUserForm(obj=user, roles=sorted(user.role_set)))
    now = utcnow()
    memberships = [(o, user.roles_in(o.id)) for o in Office.listed()] if Office.several() else []
    return render_template("accounts/account_edit.html", user=user, form=form, now=now,
                           failures=throttle.recent_failures(throttle.SIGN_IN, user.username, now),
                           password_form=password_form or PasswordForm(formdata=None), error=error,
                           memberships=memberships, may_set_offices=_district_admin(), roles=ROLES,
                           role_labels=ROLE_LABELS, district_roles=DISTRICT_ROLES,
                           district_labels=DISTRICT_ROLE_LABELS, offices_error=offices_error,
                           may_manage=_may_manage(user), shared_notice=SHARED_ACCOUNT), status


@bp.post("/accounts/<int:user_id>/offices")
@require_district_roles(DISTRICT_ADMIN)
def account_offices(user_id: int):
    """The 区级管理员 sets the account's roles in each office (checkboxes office-<id>) and its district roles."""
    user = account_or_404(user_id, every_office=True)
    by_office = {o.id: request.form.getlist(f"office-{o.id}") for o in Office.listed()}
    district = request.form.getlist("district")
    if any(set(r) - set(ROLES) for r in by_office.values()) or set(district) - set(DISTRICT_ROLES):
        return _edit_page(user, offices_error="请选择列出的角色", status=422)
    try:
        changed = service.set_offices(user, by_office, district, by=current_user)
    except ValueError as exc:
        return _edit_page(user, offices_error=str(exc), status=422)
    if changed and user.id == current_user.id:
        renew_session(user)  # a change of one's own roles ends one's other sessions, not this one
    flash("已保存各机关的角色。" if changed else "没有修改。", "success")
    return redirect(url_for("admin.accounts.account_edit", user_id=user.id) + "#offices", 303)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@require_roles(ADMIN, district=MANAGERS)
def account_edit(user_id: int):
    """Change an account's name and roles (a shared account's page only explains who may)."""
    user = _account(user_id) if request.method == "GET" else _managed_account(user_id)
    form = EditUserForm(obj=user, roles=sorted(user.role_set))
    if form.validate_on_submit():
        try:
            changed = service.update_user(user, display_name=form.display_name.data, roles=form.roles.data,
                                          email=form.email.data or "", by=current_user)
        except ValueError as exc:
            form.roles.errors.append(str(exc))
        else:
            if user.id == current_user.id:
                renew_session(user)  # a role change ends the account's sessions; keep this one
            flash("已保存。" if changed else "没有修改。", "success")
            return redirect(url_for("admin.accounts.account_edit", user_id=user.id))
    return _edit_page(user, form=form)


@bp.post("/accounts/<int:user_id>/password")
@require_roles(ADMIN, district=MANAGERS)
def account_password(user_id: int):
    """Set a new password for an account (its sessions end, its sign-in delays are cleared)."""
    user = _managed_account(user_id)
    password_form = PasswordForm()
    if password_form.validate_on_submit():
        try:
            service.reset_password(user, password_form.password.data)
        except ValueError as exc:
            password_form.password.errors.append(str(exc))
        else:
            if user.id == current_user.id:
                renew_session(user)  # one's own reset ends one's other sessions, not this one
            flash(f"已重置“{user.username}”的密码。请当面或电话告知本人。", "success")
            return redirect(url_for("admin.accounts.account_edit", user_id=user.id))
    return _edit_page(user, password_form=password_form)


@bp.post("/accounts/<int:user_id>/active")
@require_roles(ADMIN, district=MANAGERS)
def account_active(user_id: int):
    """Deactivate or reactivate an account (the button says which)."""
    user = _managed_account(user_id)
    try:
        service.set_active(user, request.form.get("active") == "1", by=current_user)
    except ValueError as exc:
        return _edit_page(user, error=str(exc), status=200)
    flash(f"已{'启用' if user.active else '停用'}账户“{user.username}”。", "success")
    return redirect(url_for("admin.accounts.account_edit", user_id=user.id))
