"""The staff route that records how released information was handed over (邮寄/快递/自行领取/当场阅读)."""
from flask import flash, redirect, url_for
from flask_login import current_user

from ...accounts.auth import require_roles
from ...models import HANDLER, HEAD
from .. import releases
from . import bp
from .release_forms import HandoverForm
from .views import _find, _page


@bp.post("/requests/<number>/handover")
@require_roles(HANDLER, HEAD)
def record_handover(number: str):
    """Record a handover, audited; a refusal is shown beside the form with the input kept."""
    info_request = _find(number)
    form = HandoverForm(prefix="handover")
    refused = None
    if form.validate_on_submit():
        try:
            releases.record_handover(info_request, current_user, method=form.method.data, on=form.on.data,
                                     tracking_number=form.tracking_number.data or "", note=form.note.data or "")
        except ValueError as exc:
            refused = str(exc)
        else:
            flash(f"已登记信息交付（{form.method.data}，{form.on.data.isoformat()}）。", "success")
            return redirect(url_for("admin.requests.request_page", number=number) + "#release", 303)
    return _page(info_request, handover=(form, refused), status=422)
