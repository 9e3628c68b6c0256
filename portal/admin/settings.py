"""机关设置 (管理员): the Office row shown on the guide, used in 索引号, letters and local limits, and the list of
other offices named in 非本机关负责公开 answers (Art. 36(五)); every change audited."""
from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from ..accounts.auth import require_roles
from ..core import audit
from ..core.db import transaction
from ..extensions import db
from ..models import Office
from ..models.office import OtherOffice
from ..models.staff import ADMIN
from ..offices.scoping import other_office_or_404
from . import bp
from .forms import OfficeForm, OtherOfficeForm

OFFICE_FIELDS = {
    "name": "机关名称", "short_name": "简称", "org_code": "机构代码", "index_pattern": "索引号格式",
    "disclosure_office": "政府信息公开工作机构", "address": "办公地址", "postcode": "邮政编码",
    "hours": "办公时间", "phone": "咨询电话", "email": "电子邮箱", "review_authority": "行政复议机关",
    "remedy_review_first": "救济途径（不予公开、部分公开）", "remedy_choice": "救济途径（无法提供、不予处理、其他处理）",
    "remedy_disclosed": "救济途径（予以公开）", "art26_workdays": "主动公开期限",
    "correction_min_workdays": "最短补正期限", "fee_payment_text": "信息处理费缴纳方式",
    "letter_prefix": "文书编号前缀", "organisation_text": "信息的分类与编排", "review_required": "发布审核",
    "id_proof": "身份证件复印件", "agent_proof": "授权委托书", "retention_years": "个人信息保存期限",
    "complaint_authority": "受理投诉举报的机关", "complaint_contact": "投诉举报联系方式",
}
OTHER_FIELDS = {"name": "机关名称", "address": "地址", "phone": "电话"}
audit.label_actions({"office_update": "修改机关设置", "other_office_add": "添加其他机关",
                     "other_office_update": "修改其他机关", "other_office_delete": "删除其他机关"},
                    {"office": "机关设置", "other_office": "其他机关"})


def update_office(data: dict) -> list[str]:
    """Save the office's settings in one transaction with an audit entry; the labels of what changed."""
    office = Office.ensure()
    before = audit.snapshot(office, OFFICE_FIELDS)
    for name in OFFICE_FIELDS:
        if name in data:
            value = data[name]
            setattr(office, name, value.strip() if isinstance(value, str) else value)
    old, new = audit.changes(before, audit.snapshot(office, OFFICE_FIELDS))
    labels = [OFFICE_FIELDS[name] for name in OFFICE_FIELDS if name in new]
    with transaction():
        if labels:
            audit.record("office_update", "office", office.id, f"修改机关设置：{'、'.join(labels)}",
                         before=old, after=new)
    return labels


def save_other_office(data: dict, other: OtherOffice | None = None) -> OtherOffice:
    """Add an office to the list (other None) or change one, audited; ValueError when the name is taken."""
    values = {name: (data.get(name) or "").strip() for name in OTHER_FIELDS}
    taken = db.session.scalar(select(OtherOffice).filter_by(office_id=Office.current().id, name=values["name"]))
    if taken is not None and taken is not other:
        raise ValueError(f"列表中已有“{values['name']}”")
    with transaction():
        before = audit.snapshot(other, OTHER_FIELDS) if other else {}
        if other is None:
            other = OtherOffice(office_id=Office.current().id)
            db.session.add(other)
        for name, value in values.items():
            setattr(other, name, value)
        db.session.flush()
        old, new = audit.changes(before, audit.snapshot(other, OTHER_FIELDS))
        action, verb = ("other_office_update", "修改") if before else ("other_office_add", "添加")
        if new:
            audit.record(action, "other_office", other.id, f"{verb}其他机关：{other.name}", before=old, after=new)
    return other


def delete_other_office(other: OtherOffice) -> None:
    """Remove an office from the list, audited (answers already issued keep the text they were sent with)."""
    with transaction():
        audit.record("other_office_delete", "other_office", other.id, f"删除其他机关：{other.name}",
                     before=audit.snapshot(other, OTHER_FIELDS))
        db.session.delete(other)


def settings_page(form: OfficeForm, other_form: OtherOfficeForm, status: int = 200):
    """The settings page with both forms (either may carry what was typed and its errors)."""
    return render_template("admin/settings.html", form=form, other_form=other_form,
                           others=OtherOffice.listed()), status


@bp.route("/settings", methods=["GET", "POST"])
@require_roles(ADMIN)
def settings():
    """Edit the office's settings; the form keeps what was typed when something is wrong."""
    form = OfficeForm(obj=Office.current())
    if form.validate_on_submit():
        changed = update_office({name: getattr(form, name).data for name in OFFICE_FIELDS})
        flash(f"已保存：{'、'.join(changed)}。" if changed else "没有修改。", "success")
        return redirect(url_for("admin.settings"))
    return settings_page(form, OtherOfficeForm(prefix="other", formdata=None))


@bp.post("/settings/offices")
@require_roles(ADMIN)
def add_other_office():
    """Add an office to the list used by 非本机关负责公开 answers."""
    other_form = OtherOfficeForm(prefix="other")
    if other_form.validate_on_submit():
        try:
            other = save_other_office(other_form.data)
        except ValueError as exc:
            other_form.name.errors = [str(exc)]
        else:
            flash(f"已添加：{other.name}。", "success")
            return redirect(url_for("admin.settings") + "#other-offices", 303)
    return settings_page(OfficeForm(obj=Office.current(), formdata=None), other_form, 422)


@bp.route("/settings/offices/<int:other_id>", methods=["GET", "POST"])
@require_roles(ADMIN)
def edit_other_office(other_id: int):
    """Change one listed office's name, address or phone."""
    other = other_office_or_404(other_id)
    form = OtherOfficeForm(obj=other)
    if form.validate_on_submit():
        try:
            save_other_office(form.data, other)
        except ValueError as exc:
            form.name.errors = [str(exc)]
        else:
            flash(f"已保存：{other.name}。", "success")
            return redirect(url_for("admin.settings") + "#other-offices", 303)
    status = 422 if form.errors else 200
    return render_template("admin/settings_office.html", form=form, other=other), status


@bp.post("/settings/offices/<int:other_id>/delete")
@require_roles(ADMIN)
def remove_other_office(other_id: int):
    """Take an office off the list."""
    other = other_office_or_404(other_id)  # the CSRF token is checked for every POST (CSRFProtect)
    delete_other_office(other)
    flash(f"已删除：{other.name}。", "success")
    return redirect(url_for("admin.settings") + "#other-offices", 303)
