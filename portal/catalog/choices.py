"""The values the catalog's filter form offers, cached: counting them scans every published entry.

The 主题分类 menu offers only the classes that hold published entries, with their counts (one grouped
COUNT); the full tree stays in the import format and the staff entry form.

A catalog change in this process clears the cache at once (portal.catalog.steps.finish calls
`invalidate` after every commit); other server processes see it within CHOICES_TTL seconds.
"""
import threading
import time
from dataclasses import dataclass

from sqlalchemy import extract, func, select

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


def catalog_choices(office_id: int | None = None) -> dict:
    """The theme tree, document types, and the publishers and years in use: of one office's catalog, or
    (None) of the whole portal's, with how many entries each office publishes (the 发布机关 choice)."""
    key = (db.engine.url.render_as_string(), office_id)
    with _lock:
        hit = _cache.get(key)
        if hit and time.monotonic() - hit[0] < CHOICES_TTL:
            return hit[1]
    public = Document.status == "published"
    if office_id is not None:
        public = public & (Document.office_id == office_id)
    publishers = db.session.scalars(
        select(Document.publisher).where(public).distinct().order_by(Document.publisher)).all()
    year_col = extract("year", Document.published_date)
    years = db.session.scalars(
        select(year_col).where(public, Document.published_date.is_not(None)).distinct().order_by(year_col.desc())
    ).all()
    counts, office_counts = {}, {}
    for category, office, count in db.session.execute(  # one grouped COUNT serves both menus
            select(Document.category, Document.office_id, func.count()).where(public)
            .group_by(Document.category, Document.office_id)):
        counts[category] = counts.get(category, 0) + count
        office_counts[office] = office_counts.get(office, 0) + count
    value = {"category_counts": counts, "doc_types": DOC_TYPES, "publishers": publishers,
             "years": [int(y) for y in years], "office_counts": office_counts}
    with _lock:
        _cache[key] = (time.monotonic(), value)
    return value


@dataclass(frozen=True)
class CategoryOption:
    """One choice of the 主题分类 menu: the value sent, its label (顶级 › 子类) and how many entries it holds."""

    value: str
    label: str
    count: int


def category_menu(counts: dict[str, int], selected: str = "") -> list[tuple[str, list[CategoryOption]]]:
    """The tree pruned to the classes holding entries, in the tree's order: (top, [its 全部 choice, subs]).

    A selected class without entries (an old link) stays in the menu with 0, so the form shows what is
    applied instead of silently falling back to 全部.
    """
    menu = []
    for top, subs in theme_tree().items():
        sub_counts = [(sub, counts.get(f"{top}\\{sub}", 0)) for sub in subs]
        total = counts.get(top, 0) + sum(n for _, n in sub_counts)
        options = [CategoryOption(f"{top}\\{sub}", f"{top} › {sub}", n) for sub, n in sub_counts
                   if n or selected == f"{top}\\{sub}"]
        if total or options or selected == top:
            label = f"{top} › 全部" if subs else top
            menu.append((top, [CategoryOption(top, label, total), *options]))
    return menu
