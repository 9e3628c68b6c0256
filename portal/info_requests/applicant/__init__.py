"""Applicants' side of 依申请公开: the form, the receipt, tracking."""
from flask import Blueprint

bp = Blueprint("apply", __name__, url_prefix="/apply")

from . import correction, releases, views, withdrawal  # noqa: E402,F401  (routes attach themselves to bp)
