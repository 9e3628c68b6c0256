"""The index follows the database's change log: each generation applies what it has not yet applied.

A pass (run by portal.search.worker) reads the log rows past the generation's cursor, re-reads those
entries' current state (published → updated in the index, anything else → removed), commits the Whoosh
writer, and only then moves the cursor. So applying twice is harmless, and a crash, a busy writer or a
damaged index only delays a change: the next pass, here or after a restart, applies it.

PostgreSQL takes sequence ids at insert and commits in any order: an id below the highest seen may
appear later. Such holes are kept open (re-read each pass) for SEARCH_GAP_GRACE seconds before they
are passed as ids that never committed. Processes sharing an index folder take turns (a file lock).
Log rows are kept PRUNE_AFTER (7 days) and then deleted; a generation whose cursor has not moved for
STALE_AFTER may have missed pruned rows, so it is rebuilt instead of followed.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from ..core.clock import utcnow
from ..extensions import db
from ..models import Document
from ..models.search import SearchChange
from .index import IndexHandle, doc_fields, file_lock, read_cursor, write_cursor, write_timeout

log = logging.getLogger(__name__)

BATCH = 1000                # log rows per pass; a pass that fills it runs again at once
MAX_GAP_SPAN = 10_000       # holes are looked for only this far below the highest id seen
PRUNE_AFTER = timedelta(days=7)
STALE_AFTER = timedelta(days=6)
TOUCH_EVERY = 3600          # an idle generation's cursor is rewritten hourly, to show it still follows
PRUNE_EVERY = 3600

_last_prune: dict = {"at": None}  # monotonic time of this process's last pruning


def gap_grace() -> float:
    """How long a hole in the log ids is waited for, in seconds."""
    return float(current_app.config.get("SEARCH_GAP_GRACE", 60))


def apply_lock(handle: IndexHandle, timeout: float):
    """The lock that makes the processes of one host apply one at a time to an index folder."""
    return file_lock(handle.root.parent / f".{handle.root.name}.apply.lock", timeout)


def start_position() -> dict:
    """The cursor a generation built from the database now starts from: the highest id committed so
    far, with the ids below it not (yet) visible kept as holes. Read before the entries are, so every
    change in the log up to here is in what the rebuild reads, and every later one is applied after."""
    high = db.session.scalar(select(func.max(SearchChange.id))) or 0
    present = set(db.session.scalars(select(SearchChange.id).where(SearchChange.id > high - MAX_GAP_SPAN)))
    now = time.time()
    gaps = [(i, now) for i in range(max(1, high - MAX_GAP_SPAN + 1), high) if i not in present]
    return {"high": int(high), "gaps": gaps, "checked": now}


def is_stale(cursor: dict | None) -> bool:
    """Whether a cursor stopped so long ago that log rows it needs may have been pruned."""
    return cursor is not None and time.time() - cursor.get("checked", 0) > STALE_AFTER.total_seconds()


def apply_pending(handle: IndexHandle, generation: str) -> bool:
    """One pass over `generation`; True when more rows wait. The caller holds the apply lock."""
    path = handle.root / generation
    cursor = read_cursor(path) or {"high": 0, "gaps": [], "checked": 0}
    high, now = int(cursor["high"]), time.time()
    gaps = {int(i): float(seen) for i, seen in cursor.get("gaps", [])}
    rows = db.session.execute(select(SearchChange.id, SearchChange.document_id)
                              .where(SearchChange.id > high).order_by(SearchChange.id).limit(BATCH)).all()
    if gaps:
        rows += db.session.execute(select(SearchChange.id, SearchChange.document_id)
                                   .where(SearchChange.id.in_(list(gaps)))).all()
    expired = [i for i, seen in gaps.items() if now - seen > gap_grace()]
    if not rows and not expired and now - cursor.get("checked", 0) < TOUCH_EVERY:
        return False
    doc_ids = sorted({doc_id for _, doc_id in rows})
    if doc_ids:
        _write(handle, generation, doc_ids)
    seen = {row_id for row_id, _ in rows}
    top = max([high, *(i for i in seen if i > high)])
    for missing in range(max(high + 1, top - MAX_GAP_SPAN), top):
        if missing not in seen:
            gaps.setdefault(missing, now)
    gaps = {i: t for i, t in gaps.items() if i not in seen and now - t <= gap_grace()}
    write_cursor(path, {"high": top, "gaps": sorted(gaps.items()), "checked": now})
    return len([i for i in seen if i > high]) >= BATCH


def _write(handle: IndexHandle, generation: str, doc_ids: list[int]) -> None:
    """Bring the entries `doc_ids` of one generation to their state in the database, in one commit."""
    docs = {doc.id: doc for doc in db.session.scalars(
        select(Document).where(Document.id.in_(doc_ids)).options(selectinload(Document.attachments))
        .execution_options(populate_existing=True))}  # as committed, not as this session last saw it
    ix = handle.open_generation(generation)
    writer = ix.writer(timeout=write_timeout(), delay=0.05, compound=False)
    try:
        for doc_id in doc_ids:
            doc = docs.get(doc_id)
            if doc is not None and doc.is_public:
                writer.update_document(**doc_fields(doc))
            else:
                writer.delete_by_term("id", str(doc_id))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def prune() -> None:
    """Delete log rows older than PRUNE_AFTER (at most hourly per process)."""
    if _last_prune["at"] is not None and time.monotonic() - _last_prune["at"] < PRUNE_EVERY:
        return
    _last_prune["at"] = time.monotonic()
    db.session.execute(delete(SearchChange).where(SearchChange.at < utcnow() - PRUNE_AFTER))
    db.session.commit()
