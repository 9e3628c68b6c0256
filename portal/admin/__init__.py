"""Staff area under /admin. Every view declares its roles with portal.auth.require_roles.

To add pages: write a module here whose views use `@bp.route(...)` then `@require_roles(...)`, import it
below, and (if it deserves a dashboard link) call `views.add_area(...)`. The guard refuses any endpoint
that declares no roles, and tests/test_admin_access.py walks every /admin route automatically.
"""
from flask import Blueprint

from ..auth import guard_blueprint
from ..privacy import mark_private

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(mark_private)  # staff pages show personal data: never cached, never in htmx history
bp.before_request(guard_blueprint)

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
from . import accounts, audit_log, calendar, entries, entry_actions, settings  # noqa: E402,F401
from . import queue, request_actions  # noqa: E402,F401  (依申请公开: the queue and its actions)
from . import reports  # noqa: E402,F401  (年度报告)
