"""账户管理 (管理员): list, create, change roles, reset passwords, deactivate."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import accounts as service
from ..auth import require_roles
from ..extensions import db
from ..models.staff import ADMIN, User
from ..models.types import utcnow
from . import bp
from .forms import EditUserForm, NewUserForm, PasswordForm
from .views import add_area

add_area("账户管理", "admin.accounts", "新建工作人员账户、分配角色、重置密码、停用账户")


def _user_or_404(user_id: int) -> User:
    """The account, or the 404 page."""
    return db.session.get(User, user_id) or abort(404)


@bp.get("/accounts")
@require_roles(ADMIN)
def accounts():
    """Every account with its roles and state."""
    return render_template("admin/accounts.html", users=service.all_users(), now=utcnow())


@bp.route("/accounts/new", methods=["GET", "POST"])
@require_roles(ADMIN)
def account_new():
    """Create an account."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = service.create_user(form.username.data, form.display_name.data, form.roles.data,
                                       form.password.data)
        except ValueError as exc:
            form.username.errors.append(str(exc))
        else:
            flash(f"已新建账户“{user.username}”。", "success")
            return redirect(url_for("admin.accounts"))
    return render_template("admin/account_new.html", form=form)


def _edit_page(user: User, form=None, password_form=None, error=None, status=200):
    """The account page with its three forms (roles, password, active)."""
    form = form or EditUserForm(obj=user, roles=sorted(user.role_set))
    return render_template("admin/account_edit.html", user=user, form=form, now=utcnow(),
                           password_form=password_form or PasswordForm(formdata=None), error=error), status


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@require_roles(ADMIN)
def account_edit(user_id: int):
    """Change an account's name and roles."""
    user = _user_or_404(user_id)
    form = EditUserForm(obj=user, roles=sorted(user.role_set))
    if form.validate_on_submit():
        try:
            changed = service.update_user(user, display_name=form.display_name.data, roles=form.roles.data,
                                          by=current_user)
        except ValueError as exc:
            form.roles.errors.append(str(exc))
        else:
            flash("已保存。" if changed else "没有修改。", "success")
            return redirect(url_for("admin.account_edit", user_id=user.id))
    return _edit_page(user, form=form)


@bp.post("/accounts/<int:user_id>/password")
@require_roles(ADMIN)
def account_password(user_id: int):
    """Set a new password for an account (also unlocks it)."""
    user = _user_or_404(user_id)
    password_form = PasswordForm()
    if password_form.validate_on_submit():
        try:
            service.reset_password(user, password_form.password.data)
        except ValueError as exc:
            password_form.password.errors.append(str(exc))
        else:
            flash(f"已重置“{user.username}”的密码，并解除锁定。请当面或电话告知本人。", "success")
            return redirect(url_for("admin.account_edit", user_id=user.id))
    return _edit_page(user, password_form=password_form)


@bp.post("/accounts/<int:user_id>/active")
@require_roles(ADMIN)
def account_active(user_id: int):
    """Deactivate or reactivate an account (the button says which)."""
    user = _user_or_404(user_id)
    try:
        service.set_active(user, request.form.get("active") == "1", by=current_user)
    except ValueError as exc:
        return _edit_page(user, error=str(exc), status=200)
    flash(f"已{'启用' if user.active else '停用'}账户“{user.username}”。", "success")
    return redirect(url_for("admin.account_edit", user_id=user.id))
