"""基层政务公开标准目录 in the settings area (管理员): add, change, delete and reorder rows with plain forms."""
from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from ..accounts.auth import require_roles
from ..catalog import standard
from ..models import STANDARD_COLUMNS, StandardCatalogItem
from ..models.staff import ADMIN
from ..offices.scoping import catalog_item_or_404
from . import bp
from .forms import StandardItemForm

ANCHOR = "#standard-rows"


def _list_url() -> str:
    """The table of rows on the staff page."""
    return url_for("admin.standard_catalog") + ANCHOR


def _page(form: StandardItemForm, status: int = 200):
    """The rows and the form for a new one (carrying what was typed and its errors)."""
    return render_template("admin/standard_catalog.html", items=StandardCatalogItem.ordered(),
                           columns=STANDARD_COLUMNS, form=form), status


@bp.route("/settings/standard-catalog", methods=["GET", "POST"])
@require_roles(ADMIN)
def standard_catalog():
    """The rows of the 标准目录; a POST adds one at the end."""
    form = StandardItemForm()
    if form.validate_on_submit():
        item = standard.add_item(form.data)
        flash(f"已添加事项：{item.matter}。", "success")
        return redirect(_list_url(), 303)
    return _page(form, 422 if form.errors else 200)


@bp.route("/settings/standard-catalog/<int:item_id>", methods=["GET", "POST"])
@require_roles(ADMIN)
def standard_item(item_id: int):
    """Change one row."""
    item = catalog_item_or_404(item_id)
    form = StandardItemForm(obj=item)
    if form.validate_on_submit():
        changed = standard.update_item(item, form.data)
        flash(f"已保存“{item.matter}”：{'、'.join(changed)}。" if changed else "没有修改。", "success")
        return redirect(_list_url(), 303)
    status = 422 if form.errors else 200
    return render_template("admin/standard_item.html", form=form, item=item), status


@bp.post("/settings/standard-catalog/<int:item_id>/delete")
@require_roles(ADMIN)
def standard_item_delete(item_id: int):
    """Remove one row."""
    item = catalog_item_or_404(item_id)
    if FlaskForm().validate_on_submit():
        standard.delete_item(item)
        flash(f"已删除事项：{item.matter}。", "success")
    else:
        flash("页面已过期，请刷新后重试", "error")
    return redirect(_list_url(), 303)


@bp.post("/settings/standard-catalog/<int:item_id>/move")
@require_roles(ADMIN)
def standard_item_move(item_id: int):
    """Move one row up or down (the button's value says which)."""
    item = catalog_item_or_404(item_id)
    direction = request.form.get("direction", "")
    if not FlaskForm().validate_on_submit():
        flash("页面已过期，请刷新后重试", "error")
    elif direction not in ("up", "down"):
        flash("请选择上移或下移", "error")
    elif standard.move_item(item, -1 if direction == "up" else 1):
        flash(f"已{'上移' if direction == 'up' else '下移'}：{item.matter}。", "success")
    else:
        flash(f"“{item.matter}”已在{'最前' if direction == 'up' else '最后'}，无法再{'上移' if direction == 'up' else '下移'}。", "warn")
    return redirect(_list_url(), 303)
