"""补正 online on the tracking page: the points and the deadline, and a form for the corrected request.

The tracking session decides who may send it, as it decides who may see the application (views._may_see).
A refused submission keeps the typed text and says why in Chinese; a browser never keeps a chosen file, so
the message asks for the files again.
"""
from flask import redirect, request, url_for
from ...core.privacy import private
from ...core.rendering import render
from ...extensions import db, limiter
from ...models import InfoRequest
from .. import correction_online
from ..records import deadline_of
from . import bp
from .forms import CorrectionForm
from .views import _may_see

TEMPLATE = "info_requests/applicant/correction.html"


def _find_seen(number: str) -> InfoRequest | None:
    """The application if this browser session gave its query code, else None."""
    info_request = db.session.query(InfoRequest).filter_by(tracking_number=number).one_or_none()
    return info_request if info_request is not None and _may_see(info_request) else None


@bp.route("/track/<number>/correction", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], error_message="提交过于频繁，请稍后再试。")
@private
def correction(number: str):
    """GET shows the points, the deadline and the form; POST sends the correction and returns to the page."""
    info_request = _find_seen(number)
    if info_request is None:
        return redirect(url_for("apply.track", number=number[:20]))
    deadline = deadline_of(info_request)
    panel = correction_online.correction_of(info_request, deadline)
    form = CorrectionForm()
    if request.method == "GET" or panel is None or not panel.may_send:
        status = 409 if request.method == "POST" else 200
        return render(TEMPLATE, info_request=info_request, correction=panel, form=form), status
    if not form.validate():
        return render(TEMPLATE, info_request=info_request, correction=panel, form=form), 422
    try:
        correction_online.submit_correction(info_request, form.text.data, form.uploads)
    except ValueError as refused:  # closed or already sent meanwhile (another tab, staff replied)
        form.text.errors = [*form.text.errors, str(refused)]
        panel = correction_online.correction_of(info_request, deadline_of(info_request))
        return render(TEMPLATE, info_request=info_request, correction=panel, form=form), 409
    return redirect(url_for("apply.status", number=info_request.tracking_number) + "#correction", 303)
