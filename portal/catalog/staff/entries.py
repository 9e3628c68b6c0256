"""主动公开信息 (编辑, 审核): the list with the Art. 26 panel (also on the 工作台), the entry form, its history
and files.

The workflow buttons post to portal.catalog.staff.actions; the rules live in portal.catalog.
"""
from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from ...accounts.auth import require_roles
from ...calendar.store import load_calendar
from ...core.clock import office_today
from ...core.paging import page_number
from ...core.rendering import render
from ...extensions import db
from ...models import Document, Office
from ...models.catalog import STATUS_LABELS
from ...offices.scoping import entry_or_404, mine
from ...models.staff import EDITOR, REVIEWER
from .. import relations, workflow
from ..art26 import PENDING, Art26Report, art26_report
from ..attachments import send_attachment
from ..rules import ACTION_LABELS, WorkflowError, allowed_actions, refusal
from . import bp
from .forms import STEP_FORMS, EntryForm, RelationForm, step_form

MAX_QUERY = 100
DASHBOARD_SHOWN = 5  # the most urgent Art. 26 entries listed on the 工作台


def list_args(**changes) -> dict:
    """The list's query arguments (status, q, page), some changed, empty ones dropped."""
    args = {"status": request.args.get("status", ""), "q": request.args.get("q", "")[:MAX_QUERY]}
    args.update(changes)
    return {k: v for k, v in args.items() if v not in ("", None)}


def pending_report() -> Art26Report:
    """Art. 26 over every draft and entry under review that has a 成文日期, as of today, with the office's limit."""
    pending = db.session.scalars(select(Document).where(mine(Document), Document.status.in_(PENDING),
                                                        Document.written_date.is_not(None)))
    return art26_report(pending, load_calendar(), office_today(), workdays=Office.current().art26_workdays)


@bp.app_context_processor
def inject_art26_panel():
    """The 工作台 shows 编辑 and 审核 the Art. 26 reminder (computed only when the template asks)."""
    def art26_panel():
        """The report, its most urgent entries and the status labels; None for staff who do not publish."""
        if not (current_user.is_authenticated and current_user.has_role(EDITOR, REVIEWER)):
            return None
        report = pending_report()
        return {"report": report, "urgent": report.most_urgent(DASHBOARD_SHOWN), "statuses": STATUS_LABELS}

    return {"art26_panel": art26_panel}


@bp.get("/entries")
@require_roles(EDITOR, REVIEWER)
def entries():
    """Every entry, newest change first; filter by status, search by title; htmx swaps the results."""
    status = request.args.get("status", "")
    status = status if status in STATUS_LABELS else ""
    q = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    stmt = select(Document).where(mine(Document))
    if status:
        stmt = stmt.where(Document.status == status)
    if q:
        stmt = stmt.where(or_(Document.title.contains(q, autoescape=True),
                              Document.doc_number.contains(q, autoescape=True)))
    stmt = stmt.order_by(Document.updated_at.desc(), Document.id.desc())
    page = db.paginate(stmt, page=page_number(request.args.get("page")),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    counts = dict(db.session.execute(select(Document.status, func.count()).where(mine(Document))
                                    .group_by(Document.status)).all())
    return render("catalog/staff/list.html", "results", page=page, status=status, q=q, counts=counts,
                  statuses=STATUS_LABELS, report=pending_report(), args=list_args)


@bp.route("/entries/new", methods=["GET", "POST"])
@require_roles(EDITOR)
def entry_new():
    """Draft a new entry; the form keeps everything typed when something is wrong."""
    form = EntryForm()
    if request.method == "GET":
        form.publisher.data = Office.current().name
    if form.validate_on_submit():
        try:
            doc = workflow.save_draft(form.values, form.files, current_user)
        except WorkflowError as exc:
            flash(str(exc), "error")
        else:
            flash(f"已保存草稿“{doc.title}”。", "success")
            flash_file_notices(form)
            return redirect(url_for("admin.entries.entry", doc_id=doc.id), 303)
    return entry_page(None, form)


def flash_file_notices(form: EntryForm) -> None:
    """Tell staff what was kept with a caveat (a file saved without its text, a name shortened)."""
    for checked in form.files:
        for notice in checked.notices:
            flash(notice, "warn")


def entry_page(doc: Document | None, form: EntryForm | None = None, *, relation_form: RelationForm | None = None):
    """The entry's page: the form (or a read-only view), the steps allowed now, attachments, links, history."""
    review_required = Office.current().review_required
    actions = allowed_actions(doc, current_user, review_required) if doc else ["edit"]
    editable = "edit" in actions or "change" in actions
    if form is None and editable:
        form = EntryForm(obj=doc, version=doc.version, formdata=None)  # never read from another form's POST
    status = 422 if any(f is not None and f.errors for f in (form, relation_form)) else 200
    if relation_form is None:
        relation_form = RelationForm(prefix="relation", formdata=None)
    steps = {a: step_form(a, formdata=None, version=doc.version) for a in actions if a in STEP_FORMS}
    return render("catalog/staff/entry.html", doc=doc, form=form, editable=editable, actions=actions,
                  steps=steps, labels=ACTION_LABELS, statuses=STATUS_LABELS, review_required=review_required,
                  publish_refusal=refusal("publish", doc, current_user, review_required) if doc else None,
                  event_labels=workflow.EVENT_LABELS, links=relations.links_of(doc, public=False) if doc else [],
                  relation_form=relation_form, relation_refusal=relations.refusal(doc, current_user) if doc else None,
                  ), status


@bp.route("/entries/<int:doc_id>", methods=["GET", "POST"])
@require_roles(EDITOR, REVIEWER)
def entry(doc_id: int):
    """Show an entry; a POST saves the draft (编辑) or changes and republishes it (审核)."""
    doc = entry_or_404(doc_id)
    if request.method == "GET":
        return entry_page(doc)
    form = EntryForm(entry_id=doc.id)
    if form.validate_on_submit():
        try:
            if doc.status == "published":
                workflow.change_published(doc, form.values, form.files, current_user, version=form.version_seen)
                flash(f"已保存变更并重新发布，发布日期为 {doc.published_date.isoformat()}。", "success")
            else:
                workflow.update_draft(doc, form.values, form.files, current_user, version=form.version_seen)
                flash("已保存草稿。", "success")
        except WorkflowError as exc:
            flash(str(exc), "error")  # shown with what was typed, so nothing is lost
            return entry_page(doc, form)
        flash_file_notices(form)
        return redirect(url_for("admin.entries.entry", doc_id=doc_id), 303)
    return entry_page(doc, form)


@bp.get("/entries/<int:doc_id>/attachments/<int:attachment_id>")
@require_roles(EDITOR, REVIEWER)
def entry_attachment(doc_id: int, attachment_id: int):
    """Staff download an attachment of any of the office's entries (drafts included) under its original name."""
    return send_attachment(entry_or_404(doc_id).id, attachment_id)
