"""Residents' side: home, catalog, entries, search, guide, feeds."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import views  # noqa: E402,F401  (routes attach themselves to bp)
from . import opendata, reports  # noqa: E402,F401
