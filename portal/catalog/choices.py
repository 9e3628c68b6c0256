"""The values the catalog's filter form offers, cached: counting them scans every published entry.

A catalog change in this process clears the cache at once (portal.catalog.steps.finish calls
`invalidate` after every commit); other server processes see it within CHOICES_TTL seconds.
"""
import threading
import time

from sqlalchemy import extract, select

from ..extensions import db
from ..models import Document
from .themes import DOC_TYPES, theme_tree

CHOICES_TTL = 60.0
_lock = threading.Lock()
_cache: dict = {}


def invalidate() -> None:
    """Forget the cached choices (called after every catalog change)."""
    with _lock:
        _cache.clear()


def catalog_choices() -> dict:
    """The theme tree, document types, and the publishers and years in use."""
    key = db.engine.url.render_as_string()
    with _lock:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < CHOICES_TTL:
            return hit[1]
    public = Document.status == "published"
    publishers = db.session.scalars(
        select(Document.publisher).where(public).distinct().order_by(Document.publisher)).all()
    year_col = extract("year", Document.published_date)
    years = db.session.scalars(
        select(year_col).where(public, Document.published_date.is_not(None)).distinct().order_by(year_col.desc())
    ).all()
    value = {"tree": theme_tree(), "doc_types": DOC_TYPES, "publishers": publishers,
             "years": [int(y) for y in years]}
    with _lock:
        _cache[key] = (time.monotonic(), value)
    return value
