"""The offices of a district's portal.

Every page of one office lives under /o/<code>/ (its catalog, guide, rules, annual reports, feed, applications
and staff pages): `OfficeInPath` moves that prefix from the path into SCRIPT_NAME, so the views are the same
ones a single-office portal serves at / and every `url_for` in the request keeps the prefix; the request's
office is then `Office.current()`. Without the prefix the request is about the portal's first office (the only
one of a single-office installation).
"""
import re

from flask import Flask, abort, g, request, url_for

from ..models import Office

PREFIX = "o"  # /o/<code>/…
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")  # an office's URL code (Office.code)
ENVIRON_KEY = "portal.office_code"


class OfficeInPath:
    """WSGI middleware: /o/<code>/rest is served as /rest with SCRIPT_NAME …/o/<code> and the code noted."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/", 3)  # "", "o", code, rest
        if len(parts) >= 3 and parts[1] == PREFIX and CODE.match(parts[2]):
            environ[ENVIRON_KEY] = parts[2]
            environ["SCRIPT_NAME"] = f"{environ.get('SCRIPT_NAME', '')}/{PREFIX}/{parts[2]}"
            environ["PATH_INFO"] = "/" + (parts[3] if len(parts) > 3 else "")
        return self.app(environ, start_response)


def office_in_url() -> Office | None:
    """The office the request's URL names (404 for an unknown code), or None for a page without one."""
    code = request.environ.get(ENVIRON_KEY)
    if code is None:
        return None
    office = Office.by_code(code)
    if office is None:
        abort(404)
    return office


def portal_root() -> str:
    """The request's SCRIPT_NAME without its /o/<code> part: where the portal itself is mounted."""
    root = request.script_root
    code = request.environ.get(ENVIRON_KEY)
    suffix = f"/{PREFIX}/{code}" if code else ""
    return root[: len(root) - len(suffix)] if suffix and root.endswith(suffix) else root


def office_url(office: Office, endpoint: str, **values) -> str:
    """The URL of a page of this office (under /o/<code>/), from any request (the staff bar's office links)."""
    path = url_for(endpoint, **values)[len(request.script_root):]
    return f"{portal_root()}/{PREFIX}/{office.code}{path}"


def init_app(app: Flask) -> None:
    """Serve /o/<code>/… and make the named office the request's current office (before any other hook)."""
    app.wsgi_app = OfficeInPath(app.wsgi_app)

    @app.before_request
    def office_from_path():
        office = office_in_url()
        if office is not None:
            g.office_id = office.id
