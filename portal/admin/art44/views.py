"""The staff pages of 申请转主动公开 (条例第四十四条) and what they add to other pages.

转为主动公开 is for 编辑 (who may draft entries, portal.catalog.rules); marking applications as the same
information is for those who handle them (经办人, 负责人). The application page, the entry's staff page
and the 工作台 show the links through context processors, so neither domain imports this module.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ...accounts.auth import require_roles
from ...catalog.rules import WorkflowError
from ...extensions import db
from ...info_requests.releases import files_of
from ...models import EDITOR, HANDLER, HEAD, Document, InfoRequest, SameInformation
from ...offices.scoping import entry_or_none, mine, request_by_number, request_or_404
from .. import bp
from .forms import ConvertForm, SameForm, UnmarkForm
from .groups import REASONS, Group, candidates, group_of
from .services import (
    AlreadyConverted,
    Art44Error,
    convert,
    draft_values,
    entry_of,
    mark_same,
    refusal,
    sources_of,
    unmark_same,
)

DASHBOARD_SHOWN = 10  # candidate groups listed on the 工作台


def _find(number: str) -> InfoRequest:
    """The current office's application with this tracking number, or the 404 page (offices.scoping)."""
    return request_or_404(number)


def _back(number: str):
    """Back to the application's Art. 44 section (303: the browser follows with a GET)."""
    return redirect(url_for("admin.requests.request_page", number=number) + "#art44", 303)


def _to_entry(doc: Document):
    """To the entry's staff page."""
    return redirect(url_for("admin.entries.entry", doc_id=doc.id), 303)


@bp.route("/art44/<number>/convert", methods=["GET", "POST"])
@require_roles(EDITOR)
def art44_convert(number: str):
    """转为主动公开: the page says what the draft will hold; the POST makes it (once) and opens it."""
    info_request = _find(number)
    form = ConvertForm()
    existing = entry_of(info_request.id)
    if form.validate_on_submit():
        try:
            doc, copies = convert(info_request, current_user)
        except AlreadyConverted as exc:
            flash(str(exc), "warn")
            return _to_entry(exc.document)
        except (Art44Error, WorkflowError) as exc:
            return _convert_page(info_request, form, existing, refused=str(exc)), 422
        flash(f"已根据申请 {number} 公开的信息起草主动公开信息“{doc.title}”。请补全成文日期、主题分类和公文种类，"
              "核对名称和附件不含个人信息后提交审核。", "success")
        for name, why in copies.skipped:
            flash(f"“{name}”未能作为附件：{why}请在草稿中另行上传。", "warn")
        return _to_entry(doc)
    if form.errors:  # only the CSRF token can be wrong: the page was open too long
        flash("页面已过期，请重新操作。", "error")
        return redirect(url_for("admin.art44_convert", number=number), 303)
    return _convert_page(info_request, form, existing, refused=None)


def _convert_page(info_request: InfoRequest, form: ConvertForm, existing: Document | None, refused: str | None):
    """The confirmation page: the draft's name, 发布机构 and files, or the entry already made."""
    return render_template("admin/art44_convert.html", info_request=info_request, form=form, existing=existing,
                           refused=refused or refusal(info_request), values=draft_values(info_request),
                           files=files_of(info_request))


@bp.route("/art44/<number>/same", methods=["GET", "POST"])
@require_roles(HANDLER, HEAD)
def art44_same(number: str):
    """标记为相同信息: link this application to another asking for the same information."""
    info_request = _find(number)
    form = SameForm()
    if form.validate_on_submit():
        other_number = "".join((form.other.data or "").split())
        other = request_by_number(other_number)  # another office's application is "not found" here
        if other is None:
            form.other.errors = [*form.other.errors, f"没有编号为“{other_number}”的申请，请核对"]
        else:
            try:
                mark_same(info_request, other, current_user)
            except Art44Error as exc:
                form.other.errors = [*form.other.errors, str(exc)]
            else:
                flash(f"已标记申请 {number} 与申请 {other.tracking_number} 所申请的信息相同。", "success")
                return _back(number)
    status = 422 if form.errors else 200
    return render_template("admin/art44_same.html", info_request=info_request, form=form), status


@bp.post("/art44/<number>/same/remove")
@require_roles(HANDLER, HEAD)
def art44_unmark(number: str):
    """取消相同信息标记."""
    info_request = _find(number)
    if not UnmarkForm().validate_on_submit():
        flash("页面已过期，请刷新后重试。", "error")
        return _back(number)
    try:
        unmark_same(info_request, current_user)
    except Art44Error as exc:
        flash(str(exc), "error")
    else:
        flash("已取消“相同信息”标记。", "success")
    return _back(number)


def request_panel(info_request: InfoRequest) -> dict:
    """For the application's page: the entry made from it, the applications asking for the same
    information, and what this user may do."""
    group = group_of(info_request.id)
    others = list(db.session.scalars(select(InfoRequest.tracking_number)
                                     .where(InfoRequest.id.in_(group.ids - {info_request.id}), mine(InfoRequest))
                                     .order_by(InfoRequest.id)))
    marked = db.session.scalar(select(SameInformation.id).filter_by(info_request_id=info_request.id)) is not None
    return {"entry": entry_or_none(group.entry_id), "others": others,
            "reasons": [REASONS[r] for r in sorted(group.reasons)], "applicants": len(group.applicants),
            "marked": marked, "refusal": refusal(info_request), "may_convert": current_user.has_role(EDITOR),
            "same_form": SameForm(formdata=None), "unmark_form": UnmarkForm(formdata=None)}


def candidate_rows(groups: list[Group]) -> list[dict]:
    """The 工作台's candidates: each group's name, its applications, and the one to convert from."""
    rows = []
    for group in groups[:DASHBOARD_SHOWN]:
        members = list(db.session.scalars(select(InfoRequest).where(InfoRequest.id.in_(group.ids), mine(InfoRequest))
                                          .order_by(InfoRequest.id)))
        ready = next((r for r in members if refusal(r) is None), None)
        rows.append({"title": draft_values(ready or members[0])["title"], "members": members, "ready": ready,
                     "applicants": len(group.applicants), "reasons": [REASONS[r] for r in sorted(group.reasons)]})
    return rows


@bp.app_context_processor
def inject_art44():
    """Art. 44 links for the application page, the entry's staff page and the 工作台 (computed when asked)."""
    def art44_candidates():
        """Candidate groups for staff who convert or handle applications; None for others."""
        if not (current_user.is_authenticated and current_user.has_role(EDITOR, HANDLER, HEAD)):
            return None
        groups = candidates()
        return {"total": len(groups), "rows": candidate_rows(groups), "may_convert": current_user.has_role(EDITOR),
                "may_open": current_user.has_role(HANDLER, HEAD)}

    def art44_sources(doc: Document):
        """The applications an entry was made from, for its staff page."""
        return {"requests": sources_of(doc), "may_open": current_user.has_role(HANDLER, HEAD)}

    return {"art44_panel": request_panel, "art44_candidates": art44_candidates, "art44_sources": art44_sources}
