"""Staff pages of the catalog (编辑, 审核): entries, their form and the publishing steps; nested under /admin."""
from flask import Blueprint

bp = Blueprint("entries", __name__)

from . import actions, entries, relations  # noqa: E402,F401  (routes attach themselves to bp)
