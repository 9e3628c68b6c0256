"""机关管理 (区级管理员): the district's offices, added and edited through portal.offices.services; and the staff
bar's office switch (the current office, and links to the other offices the signed-in account belongs to).

The pages need no office in their URL (/admin/offices): the district's role is held on the account.
"""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.auth import require_district_roles
from ..extensions import db
from ..models import DISTRICT_ADMIN, Office
from ..offices import office_url
from ..offices.services import FIELDS, OfficeProblem, create_office, edit_office
from . import bp
from .forms import DistrictOfficeForm


def _values(form: DistrictOfficeForm) -> dict:
    """The form's fields as the service takes them (a blank 排列顺序 is left as it is)."""
    values = {name: getattr(form, name).data for name in FIELDS}
    if values.get("position") is None:
        values.pop("position")
    return values


def _show_problems(form: DistrictOfficeForm, problem: OfficeProblem) -> None:
    """Put the service's messages on their fields (what was typed stays in the form)."""
    for name, message in problem.problems.items():
        field = getattr(form, name, None) or form.name
        field.errors = [*field.errors, message]


@bp.get("/offices")
@require_district_roles(DISTRICT_ADMIN)
def offices():
    """Every office of the portal, in list order, with its codes and a link to change it."""
    return render_template("admin/offices.html", offices=Office.listed())


@bp.route("/offices/new", methods=["GET", "POST"])
@require_district_roles(DISTRICT_ADMIN)
def office_new():
    """Add an office; refused values are shown on their fields with what was typed."""
    form = DistrictOfficeForm()
    if form.validate_on_submit():
        try:
            office = create_office(_values(form))
        except OfficeProblem as problem:
            _show_problems(form, problem)
        else:
            flash(f"已新增机关“{office.name}”。请为该机关的管理员分配角色。", "success")
            return redirect(url_for("admin.offices"), 303)
    return render_template("admin/office_form.html", form=form, office=None), 422 if form.errors else 200


@bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
@require_district_roles(DISTRICT_ADMIN)
def office_edit(office_id: int):
    """Change what makes an office distinct (its own settings stay with its 管理员)."""
    office = db.get_or_404(Office, office_id)
    form = DistrictOfficeForm(obj=office)
    if form.validate_on_submit():
        try:
            changed = edit_office(office, _values(form))
        except OfficeProblem as problem:
            db.session.rollback()
            _show_problems(form, problem)
        else:
            flash(f"已保存：{'、'.join(changed)}。" if changed else "没有修改。", "success")
            return redirect(url_for("admin.offices"), 303)
    return render_template("admin/office_form.html", form=form, office=office), 422 if form.errors else 200


def staff_offices() -> dict | None:
    """For the staff bar of a multi-office portal: the current office and whether the account is one of its
    members, the account's other offices (name, URL of their 工作台) and whether to link 机关管理; None in a
    single-office portal."""
    if not (current_user.is_authenticated and Office.several()):
        return None
    current = Office.current()
    others = [(o, office_url(o, "admin.dashboard")) for o in Office.listed()
              if o.id != current.id and current_user.roles_in(o.id)]
    return {"current": current, "member": bool(current_user.roles_in(current.id)), "others": others,
            "manage": current_user.has_district_role(DISTRICT_ADMIN)}


@bp.app_context_processor
def inject_staff_offices():
    """The staff bar asks for the office switch (computed only when the template asks)."""
    return {"staff_offices": staff_offices}
