"""The offices of a district's portal.

Every page of one office lives under /o/<code>/ (its catalog, guide, rules, annual reports, feed, applications
and staff pages): `OfficeInPath` moves that prefix from the path into SCRIPT_NAME, so the views are the same
ones a single-office portal serves at / and every `url_for` in the request keeps the prefix; the request's
office is then `Office.current()`. Without the prefix the request is about the portal's first office (the only
one of a single-office installation).
"""
from flask import Flask, abort, g, has_request_context, request, url_for

from ..core.rendering import render
from ..core.urls import ENVIRON_KEY, external_url, url_office  # url_office: re-exported for the views
from ..models import Office
from .services import CODE

PREFIX = "o"  # /o/<code>/…
ROOT_KEY = "portal.script_root"  # SCRIPT_NAME before the office's prefix was moved into it


class OfficeInPath:
    """WSGI middleware: /o/<code>/rest is served as /rest with SCRIPT_NAME …/o/<code> and the code noted."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/", 3)  # "", "o", code, rest
        if len(parts) >= 3 and parts[1] == PREFIX and CODE.match(parts[2]):
            environ[ENVIRON_KEY] = parts[2]
            environ[ROOT_KEY] = environ.get("SCRIPT_NAME", "")
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


def several_offices() -> bool:
    """Office.several(), asked once per request (every list and link of a page needs it)."""
    if "several_offices" not in g:
        g.several_offices = Office.several()
    return g.several_offices


def office_url(office: Office, endpoint: str, *, external: bool = False, **values) -> str:
    """The URL of a page of `office` (/o/<code>/…), from a page of any office or of the whole portal."""
    here = url_for(endpoint, **values)  # the request's own SCRIPT_NAME (and office prefix) first
    mine = request.script_root if has_request_context() else ""
    path = f"{_portal_root(mine)}/{PREFIX}/{office.code}{here[len(mine):]}"
    if not external:
        return path
    absolute = external_url(endpoint, **values)
    return absolute[:len(absolute) - len(here)] + path


def shared_url(endpoint: str, **values) -> str:
    """The URL of one of the portal's shared pages (every office's catalog, the office list), without the
    prefix of the office whose page this is."""
    here = url_for(endpoint, **values)
    mine = request.script_root if has_request_context() else ""
    return _portal_root(mine) + here[len(mine):]


def _portal_root(script_root: str) -> str:
    """The SCRIPT_NAME the portal is served under, before any office's prefix was added to it."""
    return request.environ.get(ROOT_KEY, script_root) if has_request_context() else ""


def office_choice(title: str, endpoint: str, offices: list[Office] | None = None, **values):
    """On the shared pages of a portal of several offices, a page each office publishes for itself (its guide,
    its 标准目录, a year's report): the list of offices, each linking to its own page."""
    choices = [(office, office_url(office, endpoint, **values)) for office in (
        Office.listed() if offices is None else offices)]
    return render("offices/choose.html", title=title, choices=choices)


def shared_page() -> bool:
    """Whether this page is one of the shared pages of a portal of several offices (no /o/<code>/)."""
    return url_office() is None and several_offices()


def init_app(app: Flask) -> None:
    """Serve /o/<code>/… and make the named office the request's current office (before any other hook);
    templates link to an office's pages with office_url and to the shared ones with shared_url."""
    app.wsgi_app = OfficeInPath(app.wsgi_app)
    app.add_template_global(office_url, "office_url")
    app.add_template_global(shared_url, "shared_url")
    app.add_template_global(several_offices, "several_offices")

    @app.before_request
    def office_from_path():
        office = office_in_url()
        if office is not None:
            g.office_id = office.id
