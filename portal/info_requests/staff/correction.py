"""Staff routes of 补正 online: confirming the correction the applicant sent (one action, with its date) and
downloading its files (attachment, nosniff, no-store)."""
from flask import flash, redirect, url_for
from flask_login import current_user

from ...accounts.auth import require_roles
from ...models import HANDLER, HEAD
from .. import correction_online, services
from . import bp
from .correction_page import ConfirmCorrectionForm
from .views import _find, _page


@bp.post("/requests/<number>/correction/confirm")
@require_roles(HANDLER, HEAD)
def confirm_online_correction(number: str):
    """Confirm the online correction: received that day, the 20 working days restart, 补正确认书 mailed."""
    info_request = _find(number)
    form = ConfirmCorrectionForm(prefix="confirm_correction")
    refused = None
    if form.validate_on_submit():
        try:
            correction_online.confirm_correction(info_request, form.on.data, current_user, reason=form.reason.data or "")
        except ValueError as exc:
            refused = str(exc)
        else:
            flash(f"已确认收到在线补正（{form.on.data.isoformat()}），答复期限重新起算，已生成补正确认书。", "success")
            return redirect(url_for("admin.requests.request_page", number=number), 303)
    return _page(info_request, correction=(form, refused), status=422)


@bp.get("/requests/<number>/correction/files/<public_id>")
@require_roles(HANDLER, HEAD)
def correction_file(number: str, public_id: str):
    """One file sent with the online correction, as a download (logged as a look at the application)."""
    info_request = _find(number)
    item = correction_online.correction_file_or_404(info_request, public_id)
    services.log_access(info_request, current_user, "view_request", f"补正材料 {item.filename}")
    return correction_online.send_correction_file(item)
