"""The workflow buttons of an entry's page: each parses its form, calls one service, and goes back.

Roles here are the widest that may ever take the step; portal.catalog.rules decides per entry.
"""
from flask import flash, redirect, url_for
from flask_login import current_user

from ...accounts.auth import require_roles
from ...extensions import db
from ...models import Attachment
from ...models.staff import EDITOR, REVIEWER
from ...offices.scoping import entry_or_404
from .. import workflow
from ..rules import WorkflowError
from . import bp
from .forms import step_form


def _back(doc_id: int):
    """Return to the entry's page (303: the browser follows with a GET)."""
    return redirect(url_for("admin.entries.entry", doc_id=doc_id), 303)


def _run(doc_id: int, form, step, done: str):
    """Validate the step's form, run the service, and report the outcome in Chinese."""
    doc = entry_or_404(doc_id)
    if not form.validate_on_submit():
        problems = [f"{form[name].label.text}：{'；'.join(errors)}" if name != "csrf_token"
                    else "页面已过期，请刷新后重试" for name, errors in form.errors.items()]
        flash("；".join(problems), "error")
        return _back(doc_id)
    try:
        step(doc, form)
    except WorkflowError as exc:
        flash(str(exc), "error")
    else:
        flash(done.format(doc=doc), "success")
    return _back(doc_id)


@bp.post("/entries/<int:doc_id>/submit")
@require_roles(EDITOR)
def entry_submit(doc_id: int):
    """提交审核."""
    return _run(doc_id, step_form("submit"), lambda doc, f: workflow.submit_for_review(
        doc, current_user, version=f.version_seen), "已提交审核，请等待审核人员发布。")


@bp.post("/entries/<int:doc_id>/return")
@require_roles(EDITOR, REVIEWER)
def entry_return(doc_id: int):
    """退回修改 (a 审核) or take back (an 编辑)."""
    return _run(doc_id, step_form("return"), lambda doc, f: workflow.return_to_draft(
        doc, current_user, f.reason.data or "", version=f.version_seen), "已退回修改，现为草稿。")


@bp.post("/entries/<int:doc_id>/publish")
@require_roles(EDITOR, REVIEWER)
def entry_publish(doc_id: int):
    """发布 (an 编辑 may publish only when the office turned review off)."""
    return _run(doc_id, step_form("publish"), lambda doc, f: workflow.publish(
        doc, current_user, version=f.version_seen),
        "已发布，索引号 {doc.index_number}，发布日期 {doc.published_date}。公众现在可以查阅和检索。")


@bp.post("/entries/<int:doc_id>/repeal")
@require_roles(REVIEWER)
def entry_repeal(doc_id: int):
    """废止 from a date."""
    return _run(doc_id, step_form("repeal"), lambda doc, f: workflow.repeal(
        doc, current_user, f.repealed_date.data, f.reason.data or "", version=f.version_seen),
        "已标为废止，废止日期 {doc.repealed_date}。")


@bp.post("/entries/<int:doc_id>/expire")
@require_roles(REVIEWER)
def entry_expire(doc_id: int):
    """标为失效."""
    return _run(doc_id, step_form("expire"), lambda doc, f: workflow.mark_expired(
        doc, current_user, f.reason.data or "", version=f.version_seen), "已标为失效。")


@bp.post("/entries/<int:doc_id>/withdraw")
@require_roles(REVIEWER)
def entry_withdraw(doc_id: int):
    """撤回: no longer public, removed from search."""
    return _run(doc_id, step_form("withdraw"), lambda doc, f: workflow.withdraw(
        doc, current_user, f.reason.data, version=f.version_seen), "已撤回，公众不再能查阅或检索到此信息。")


@bp.post("/entries/<int:doc_id>/attachments/<int:attachment_id>/delete")
@require_roles(EDITOR, REVIEWER)
def entry_attachment_delete(doc_id: int, attachment_id: int):
    """删除附件 (of a published entry this republishes it)."""

    def step(doc, form):
        item = db.session.get(Attachment, attachment_id)
        if item is None or item.document_id != doc.id:
            raise WorkflowError("附件不存在或已被删除")
        workflow.delete_attachment(doc, item, current_user, version=form.version_seen)

    return _run(doc_id, step_form("delete_attachment"), step, "已删除附件。")
