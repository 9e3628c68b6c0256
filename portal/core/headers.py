"""Security headers on every response: pages, error pages, static files, downloads and the API alike.

The Content-Security-Policy allows only the portal's own files: no inline script, no inline style, no
eval. The pages hold to it: scripts are static/js files wired with addEventListener, htmx is told not to
inject its indicator <style> (portal.css carries those rules) nor to eval anything (base.html's
htmx-config), and no template writes a style attribute. tests/browser/test_csp_browser.py walks the pages
in chromium and fails on any violation the browser reports.

Five fixed headers need no library: Flask-Talisman would add a dependency that sees few releases, and
its defaults (forcing HTTPS, rewriting cookie flags) overlap what config.py and the proxy already decide.
"""
from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors' older spelling, for browsers without CSP 2
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
# One year, this host only: other hosts of the government domain may not serve HTTPS yet.
HSTS = "max-age=31536000"


def security_headers(production: bool) -> dict[str, str]:
    """The headers every response carries; HSTS only in production, where the site is served over HTTPS."""
    return HEADERS | ({"Strict-Transport-Security": HSTS} if production else {})


def init_app(app: Flask) -> None:
    """Add the headers to every response the app sends, error pages included."""
    headers = security_headers(app.config["PORTAL_ENV"] == "production")

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        """Set the fixed security headers (replacing any a view set to the same name)."""
        response.headers.update(headers)
        return response
