"""机关设置 (管理员): the Office row shown on the guide, used in 索引号 and letters; every change audited."""
from flask import flash, redirect, render_template, url_for

from ..accounts.auth import require_roles
from ..core import audit
from ..core.db import transaction
from ..models import Office
from ..models.staff import ADMIN
from . import bp
from .forms import OfficeForm

OFFICE_FIELDS = {
    "name": "机关名称", "short_name": "简称", "org_code": "机构代码", "index_pattern": "索引号格式",
    "disclosure_office": "政府信息公开工作机构", "address": "办公地址", "postcode": "邮政编码",
    "hours": "办公时间", "phone": "咨询电话", "email": "电子邮箱", "review_authority": "行政复议机关",
    "letter_prefix": "文书编号前缀", "organisation_text": "信息的分类与编排", "review_required": "发布审核",
}
audit.label_actions({"office_update": "修改机关设置"}, {"office": "机关设置"})


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


@bp.route("/settings", methods=["GET", "POST"])
@require_roles(ADMIN)
def settings():
    """Edit the office's settings; the form keeps what was typed when something is wrong."""
    form = OfficeForm(obj=Office.current())
    if form.validate_on_submit():
        changed = update_office({name: getattr(form, name).data for name in OFFICE_FIELDS})
        flash(f"已保存：{'、'.join(changed)}。" if changed else "没有修改。", "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)
