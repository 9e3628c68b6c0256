"""Staff pages of 依申请公开 (经办人, 负责人): the queue, an application's page and its actions; nested under /admin."""
from flask import Blueprint

bp = Blueprint("requests", __name__)

from . import correction, fee_views, pass_page, proofs, queue, releases, views  # noqa: E402,F401  (routes attach themselves to bp)
