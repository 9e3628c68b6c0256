"""The staff route that opens an application's proof of identity: each view logged like the reveal of the
applicant's data (services.log_access), the file sent as a download, never sniffed or cached."""
from flask_login import current_user

from ...accounts.auth import require_roles
from ...core.uploads import send_stored
from ...models import HANDLER, HEAD
from .. import proofs, services
from . import bp
from .views import _find


@bp.get("/requests/<number>/proofs/<public_id>")
@require_roles(HANDLER, HEAD)
def proof_file(number: str, public_id: str):
    """One proof file of the application, for a 经办人 or 负责人; the audit log names the file looked at."""
    info_request = _find(number)
    item = proofs.proof_or_404(info_request, public_id)
    services.log_access(info_request, current_user, "view_proof", f"{item.kind}：{item.filename}")
    return send_stored(item.stored_name, item.filename, item.mime_type)
