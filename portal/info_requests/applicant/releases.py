"""The applicant receives the information released: downloads from the tracking page (after number and
query code) or through the link the reply mail carried; every download is logged (releases.send_released).

The link's token is in its path; the site-wide Referrer-Policy (same-origin, portal.core.headers) keeps it
from other sites, and the pages are no-store."""
from ...core.privacy import private
from ...core.rendering import render
from ...extensions import limiter
from ...models import VIA_MAIL_LINK, VIA_TRACKING
from .. import releases
from . import bp
from .views import _seen_or_404

LINK_PROBLEMS = {
    "unknown": ("下载链接无效", "这个下载链接不正确或已被替换。请核对邮件中的链接是否完整（有的邮箱会把长链接折行），"
                              "或凭申请编号和查询码在“查询申请”中下载。"),
    "expired": ("下载链接已过期", "这个下载链接已超过有效期。您仍可凭申请编号和查询码在“查询申请”中下载；"
                                "遗失查询码的，请与本机关联系。"),
}


@bp.get("/track/<number>/files/<public_id>")
@private
def released_file(number: str, public_id: str):
    """One released file, for the browser session that gave the application's query code."""
    info_request = _seen_or_404(number)
    return releases.send_released(releases.released_file_or_404(info_request, public_id), VIA_TRACKING)


def _by_token(token: str):
    """The application a mailed token opens, or the Chinese page saying why it does not (404 or 410)."""
    found = releases.find_link(token)
    if found.info_request is None:
        title, text = LINK_PROBLEMS[found.problem]
        page = render("info_requests/applicant/release_link.html", problem=(title, text))
        return None, (page, 410 if found.problem == "expired" else 404)
    return found.info_request, None


@bp.get("/released/<token>")
@limiter.limit("60 per minute")
@private
def released_by_link(token: str):
    """The files released, listed for the holder of the mailed link."""
    info_request, refused = _by_token(token)
    if refused:
        return refused
    return render("info_requests/applicant/release_link.html", info_request=info_request, token=token,
                  files=releases.files_of(info_request), size=releases.size_text)


@bp.get("/released/<token>/<public_id>")
@limiter.limit("60 per minute")
@private
def released_file_by_link(token: str, public_id: str):
    """One released file, through the mailed link."""
    info_request, refused = _by_token(token)
    if refused:
        return refused
    return releases.send_released(releases.released_file_or_404(info_request, public_id), VIA_MAIL_LINK)
