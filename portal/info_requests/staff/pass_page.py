"""签收/退回 on the staff side: pass an application not yet confirmed to another office of the portal.

GET shows the application (what was asked, not who asked) and the form; POST passes it (passing.pass_on) or
shows the refusal beside the form with what was typed. A 经办人 of the application's office or the district's
政务公开办 (a district role, so it may act in any office's pages) may do it.
"""
from flask import flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from ...accounts.auth import require_roles
from ...core.rendering import render
from ...models import COORDINATOR, HANDLER, HEAD, InfoRequest
from ...offices import office_url
from ...offices.scoping import request_or_404
from .. import passing, services
from ..records import deadline_of
from . import bp
from .forms import options


class PassForm(FlaskForm):
    """Where the application goes and why (the applicant is told both)."""

    to_office = SelectField("接收申请的机关", choices=[], validate_choice=True,
                            invalid_choice_message="请从列表中选择接收申请的机关",
                            validators=[DataRequired("请选择接收申请的机关")],
                            description="选择掌握所申请信息的机关；转办后申请编号和查询码不变")
    reason = TextAreaField("转办理由", validators=[DataRequired("请写明转办理由"),
                                                 Length(max=passing.REASON_MAX, message="转办理由不能超过500个字")],
                           description="将告知申请人，例如：所申请的补贴发放名单由该街道制作并保存")

    def __init__(self, info_request: InfoRequest, *args, **kwargs):
        """The offices it may go to are the portal's others."""
        super().__init__(*args, **kwargs)
        self.to_office.choices = options([("", "（请选择）")] + [(str(o.id), o.name)
                                                            for o in passing.pass_targets(info_request)])


def _page(info_request: InfoRequest, form: PassForm, refused: str | None = None, status: int = 200):
    """The pass page: the application, whether it may still be passed, the form."""
    deadline = deadline_of(info_request)
    body = render("info_requests/staff/pass.html", info_request=info_request, deadline=deadline, form=form,
                  refused=refused, why_not=passing.why_not_passed(info_request), passes=passing.passes_of(info_request),
                  allowed=passing.may_pass(current_user, info_request))
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/requests/<number>/pass")
@require_roles(HANDLER, district=(COORDINATOR,))
def pass_page(number: str):
    """The form to pass an unconfirmed application to another office (or why it cannot be passed)."""
    info_request = request_or_404(number)
    services.log_access(info_request, current_user, "view_request")
    return _page(info_request, PassForm(info_request, formdata=None))


@bp.post("/requests/<number>/pass")
@require_roles(HANDLER, district=(COORDINATOR,))
def pass_request(number: str):
    """Pass it on; on refusal show the page again with the message and what was typed."""
    info_request = request_or_404(number)
    form = PassForm(info_request)
    refused = None
    if form.validate_on_submit():
        to_office = passing.find_office(form.to_office.data)
        try:
            passing.pass_on(info_request, to_office, current_user, reason=form.reason.data)
        except ValueError as exc:
            refused = str(exc)
        else:
            told = "，已通知申请人" if (info_request.applicant.email or "").strip() else \
                "。申请人未留电子邮箱，请另行告知申请人"
            flash(f"已将申请 {number} 转至{to_office.name}办理{told}。", "success")
            if current_user.has_role(HANDLER, HEAD):
                return redirect(url_for("admin.requests.requests"), 303)
            # The 政务公开办 follows it to the receiving office's pages (it may pass it on again from there).
            return redirect(office_url(to_office, "admin.requests.pass_page", number=number), 303)
    return _page(request_or_404(number), form, refused, status=422)


@bp.get("/requests/unconfirmed")
@require_roles(district=(COORDINATOR,))
def unconfirmed():
    """The 政务公开办's list of every office's applications not yet confirmed, each linking to its pass page."""
    rows = [(r, office_url(r.office, "admin.requests.pass_page", number=r.tracking_number))
            for r in passing.unconfirmed_everywhere()]
    return render("info_requests/staff/unconfirmed.html", rows=rows), 200, {"Cache-Control": "no-store"}
