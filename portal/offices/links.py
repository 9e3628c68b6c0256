"""Links between offices' pages inside a request: to a page of another office (/o/<code>/…), or to the portal's
own page without an office prefix (/apply, the 选择受理机关 page of a district's portal).

url_for keeps the request's prefix (portal.offices moved it into SCRIPT_NAME); these swap it.
"""
from flask import request, url_for

from ..models import Office
from . import ENVIRON_KEY, PREFIX


def portal_root() -> str:
    """The request's SCRIPT_NAME without any /o/<code> the middleware added (the site's own mount point)."""
    root, code = request.script_root, request.environ.get(ENVIRON_KEY)
    suffix = f"/{PREFIX}/{code}"
    return root[: -len(suffix)] if code and root.endswith(suffix) else root


def _path(endpoint: str, **values) -> str:
    """The endpoint's URL below the request's SCRIPT_NAME (query string included)."""
    return url_for(endpoint, **values)[len(request.script_root):]


def office_url(office: Office, endpoint: str, **values) -> str:
    """The endpoint's URL under the office's prefix, e.g. /o/wanzhen/apply/, from any page."""
    return f"{portal_root()}/{PREFIX}/{office.code}{_path(endpoint, **values)}"


def portal_url(endpoint: str, **values) -> str:
    """The endpoint's URL without an office prefix, e.g. /apply/ (the choice of office), from any page."""
    return f"{portal_root()}{_path(endpoint, **values)}"
