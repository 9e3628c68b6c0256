"""Absolute links on the site's configured address (PORTAL_URL), never on the Host a visitor sends.

config.py turns PORTAL_URL into Flask's SERVER_NAME, PREFERRED_URL_SCHEME and APPLICATION_ROOT (so any
url_for(_external=True), also outside a request, names the configured host) and, in production, into
TRUSTED_HOSTS, so a request for another host is refused before any view runs. external_url() also pins
the scheme, which url_for would otherwise take from the request.
"""
import unicodedata
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.exceptions import SecurityError

from ..models.office import Office

# Where portal.offices notes the office a URL names (/o/<code>/…) in the WSGI environ.
ENVIRON_KEY = "portal.office_code"


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint on PORTAL_URL (sitemap, feed, open data, mail)."""
    scheme = current_app.config["PREFERRED_URL_SCHEME"]
    return url_for(endpoint, _external=True, _scheme=scheme, **values)


def url_office() -> Office | None:
    """The office whose own pages these are (/o/<code>/…), or None on the portal's shared pages."""
    if not has_request_context() or request.environ.get(ENVIRON_KEY) is None:
        return None
    return Office.current()


def safe_next(target: str | None) -> str | None:
    r"""A path on this site to go back to (after sign-in, after choosing a text size), or None.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so "/\t/evil.example"
    or "/\evil.example" would take the visitor to another host: anything holding a control, format or
    space character or a backslash is refused, and what remains must parse as a bare path (no scheme,
    no host) that starts with exactly one slash.
    """
    if not target or len(target) > 2000 or "\\" in target:
        return None
    if any(unicodedata.category(c)[0] in "CZ" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def refuse_untrusted_host(error: SecurityError):
    """400 for a Host not in TRUSTED_HOSTS; plain text, since no URL of this request can be built."""
    return "请求的网站地址（Host）不是本站的地址。", 400, {"Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    """Offer external_url to templates; answer an untrusted Host with a plain 400."""
    app.add_template_global(external_url, "external_url")
    app.register_error_handler(SecurityError, refuse_untrusted_host)
