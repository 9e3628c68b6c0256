"""Residents' pages of the catalog: the list with its filters, an entry, search, feeds and open data."""
from flask import Blueprint

bp = Blueprint("catalog", __name__)

from . import opendata, views  # noqa: E402,F401  (routes attach themselves to bp)
