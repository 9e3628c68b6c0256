"""撤回 on the tracking page: the reason (optional), then a confirmation page; only a confirmed POST withdraws.

The tracking session decides who may withdraw, as it decides who may see the application (views._may_see).
"""
from flask import redirect, request, url_for

from ...core.privacy import private
from ...core.rendering import render
from ...extensions import db
from ...models import InfoRequest
from ..withdrawal import may_withdraw, withdraw_online
from . import bp
from .forms import WithdrawForm
from .views import _may_see

TEMPLATE = "info_requests/applicant/withdraw.html"


@bp.route("/track/<number>/withdraw", methods=["GET", "POST"])
@private
def withdraw(number: str):
    """GET shows the reason form; POST shows the confirmation page, or (confirm=yes) withdraws and returns."""
    info_request = db.session.query(InfoRequest).filter_by(tracking_number=number).one_or_none()
    if info_request is None or not _may_see(info_request):
        return redirect(url_for("apply.track", number=number[:20]))
    form = WithdrawForm()
    if not may_withdraw(info_request):
        return render(TEMPLATE, info_request=info_request, form=form, closed=True), 409
    if request.method == "GET":
        return render(TEMPLATE, info_request=info_request, form=form, confirming=False)
    if not form.validate() or request.form.get("back"):
        return render(TEMPLATE, info_request=info_request, form=form, confirming=False), 422 if form.errors else 200
    if form.confirm.data != "yes":
        return render(TEMPLATE, info_request=info_request, form=form, confirming=True)
    try:
        withdraw_online(info_request, form.reason.data or "")
    except ValueError as refused:  # closed meanwhile (staff replied, or another tab withdrew)
        return render(TEMPLATE, info_request=info_request, form=form, closed=True, refused=str(refused)), 409
    return redirect(url_for("apply.status", number=info_request.tracking_number), 303)
