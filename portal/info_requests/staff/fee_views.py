"""The 信息处理费 actions of an application's staff page: the 收费通知 (previewed, then issued), payment, non-payment.

Views parse, call one service (fee_steps), then redirect or re-render the application's page with the form.
"""
from flask import flash, redirect, request, url_for
from flask_login import current_user

from ...accounts.auth import require_roles
from ...models import HANDLER, HEAD
from .. import fee_steps
from . import bp
from .fee_page import FeeBound, bound_form
from .views import _find, _page

ISSUE = "issue"  # the button that issues the notice; any other submit only previews it


def _done(number: str, message: str):
    """Back to the application's page after a step."""
    flash(message, "success")
    return redirect(url_for("admin.requests.request_page", number=number), 303)


def _again(info_request, name: str, form, refused: str = "", preview: str = ""):
    """The page again with this fee form as typed, its refusal or the preview."""
    return _page(_find(info_request.tracking_number), fee=FeeBound(name, form, refused, preview),
                 status=200 if preview and not refused else 422)


@bp.post("/requests/<number>/fee")
@require_roles(HANDLER, HEAD)
def notify_fee(number: str):
    """Compute the fee and show it (预览); issue the 收费通知书 only from the preview's confirm button."""
    info_request = _find(number)
    form = bound_form("fee")
    if not form.validate_on_submit():
        return _again(info_request, "fee", form)
    values = dict(basis=form.basis.data, items=form.items.data, pages=form.pages.data)
    try:
        fee, _ = fee_steps.compute_fee(info_request, **values)
        if request.form.get("step") != ISSUE:
            return _again(info_request, "fee", form, preview=fee.explanation())
        issued = len(info_request.letters)
        fee_steps.notify_fee(info_request, form.on.data, current_user, received_on=form.received_on.data, **values)
    except ValueError as exc:
        return _again(info_request, "fee", form, refused=str(exc))
    letter = info_request.letters[issued]
    return _done(number, f"已发出收费通知（{fee.amount} 元），已生成{letter.title}（{letter.number}）。")


@bp.post("/requests/<number>/fee-paid")
@require_roles(HANDLER, HEAD)
def record_payment(number: str):
    """The applicant paid: handling resumes."""
    info_request = _find(number)
    form = bound_form("fee_paid")
    if not form.validate_on_submit():
        return _again(info_request, "fee_paid", form)
    try:
        fee_steps.record_payment(info_request, form.on.data, current_user, receipt_number=form.receipt_number.data or "")
    except ValueError as exc:
        return _again(info_request, "fee_paid", form, refused=str(exc))
    return _done(number, "已登记缴费，继续计算答复期限。")


@bp.post("/requests/<number>/fee-unpaid")
@require_roles(HANDLER, HEAD)
def end_unpaid(number: str):
    """Not paid in time: 视为放弃 (其他处理 · 逾期未缴费)."""
    info_request = _find(number)
    form = bound_form("fee_unpaid")
    if not form.validate_on_submit():
        return _again(info_request, "fee_unpaid", form)
    issued = len(info_request.letters)
    try:
        fee_steps.end_unpaid(info_request, form.on.data, current_user)
    except ValueError as exc:
        return _again(info_request, "fee_unpaid", form, refused=str(exc))
    letter = info_request.letters[issued]
    return _done(number, f"已登记逾期未缴费，视为放弃申请，已生成{letter.title}（{letter.number}）。")
