"""The residents' shell: home, guide, rules, the office and the chosen text size (display.py) on every page. The catalog, search, annual
reports and 依申请公开 pages belong to their own packages' blueprints.
"""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import display, views  # noqa: E402,F401  (routes attach themselves to bp)
