"""The staff shell under /admin: one blueprint with the guard, the dashboard, settings and the audit log,
and each domain's staff pages nested in it (endpoints such as admin.requests.request_page).

To add staff pages: give the domain package a blueprint whose views use `@bp.route(...)` then
`@require_roles(...)`, nest it below, and (if it deserves a dashboard link) add it to
dashboard.AREAS. The guard refuses any endpoint that declares no roles, and
tests/admin/test_access.py walks every /admin route automatically.
"""
from flask import Blueprint

from ..accounts.auth import guard_blueprint
from ..accounts.staff import bp as accounts_bp
from ..calendar.staff import bp as calendar_bp
from ..catalog.staff import bp as entries_bp
from ..core.privacy import mark_private
from ..info_requests.staff import bp as requests_bp
from ..reports.staff import bp as reports_bp

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(mark_private)  # staff pages show personal data: never cached, never in htmx history
bp.before_request(guard_blueprint)
for nested in (accounts_bp, calendar_bp, entries_bp, requests_bp, reports_bp):
    bp.register_blueprint(nested)

from . import art44, audit_log, dashboard, offices, settings, standard_catalog  # noqa: E402,F401  (routes attach themselves to bp)
