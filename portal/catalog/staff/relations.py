"""关联信息 on an entry's staff page: link it to another entry by 索引号 or 发文字号, or remove a link."""
from flask import flash, redirect, url_for
from flask_login import current_user

from ...accounts.auth import require_roles
from ...models.staff import EDITOR, REVIEWER
from ...offices.scoping import entry_or_404
from .. import relations
from ..rules import WorkflowError
from . import bp
from .entries import entry_page
from .forms import RelationForm, UnrelateForm


def _back(doc_id: int):
    """Return to the entry's links (303: the browser follows with a GET)."""
    return redirect(url_for("admin.entries.entry", doc_id=doc_id) + "#relations-title", 303)


@bp.post("/entries/<int:doc_id>/relations")
@require_roles(EDITOR, REVIEWER)
def entry_relate(doc_id: int):
    """Add a link; a refusal is shown on the entry's page with what was typed."""
    doc = entry_or_404(doc_id)
    form = RelationForm(prefix="relation")
    if form.validate_on_submit():
        try:
            relation = relations.relate(doc, form.reference.data, form.role.data, current_user)
        except WorkflowError as exc:
            form.reference.errors = [*form.reference.errors, str(exc)]
        else:
            other = relation.target if relation.source_id == doc.id else relation.source
            flash(f"已关联：{relations.ROLES[form.role.data][2]}《{other.title}》。", "success")
            return _back(doc_id)
    return entry_page(doc, relation_form=form)


@bp.post("/entries/<int:doc_id>/relations/<int:relation_id>/delete")
@require_roles(EDITOR, REVIEWER)
def entry_unrelate(doc_id: int, relation_id: int):
    """Remove one link of the entry."""
    doc = entry_or_404(doc_id)
    if not UnrelateForm().validate_on_submit():
        flash("页面已过期，请刷新后重试", "error")
        return _back(doc_id)
    try:
        other = relations.unrelate(doc, relation_id, current_user)
    except WorkflowError as exc:
        flash(str(exc), "error")
    else:
        flash(f"已取消与《{other.title}》的关联。", "success")
    return _back(doc_id)
