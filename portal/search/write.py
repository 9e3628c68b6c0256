"""Writing the search index: entries after a commit, full rebuilds, and repair of a broken index.

Writes wait for another process's writer (Whoosh's lock timeout) so simultaneous publishes land.
"""
import logging
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from whoosh.index import LockError

from ..core.clock import utcnow
from ..extensions import db
from ..models import Document
from .index import IndexHandle, current_handle, doc_fields, file_lock, write_timeout

log = logging.getLogger(__name__)

REPAIR_PAUSE = 300  # seconds between two automatic rebuilds of a broken index
CATCH_UP_MARGIN = timedelta(seconds=5)  # clock skew and transactions still open when a rebuild starts


def _write(apply) -> bool:
    """Run `apply(writer)` in one commit; repair a missing index first. False if the index was busy."""
    handle = current_handle()
    try:
        handle.index()
    except Exception:
        repair(handle, force=True)
    for attempt in (1, 2):
        writer = None
        try:
            writer = handle.writer(write_timeout())
            apply(writer)
            writer.commit()
            return True
        except LockError:
            log.error("检索索引正被其他进程写入，%s 秒内未等到；稍后请运行 flask reindex", write_timeout())
            return False
        except Exception:
            if writer is not None:
                writer.cancel()
            if attempt == 2:
                raise
            handle.reset()  # the generation may have been swapped under us: write into the new one
    return False


def index_documents(docs) -> bool:
    """Add or update entries by id: published ones are indexed, any other status is removed."""
    docs = list(docs)
    if not docs:
        return True

    def apply(writer):
        for doc in docs:
            if doc.status == "published":
                writer.update_document(**doc_fields(doc))
            else:
                writer.delete_by_term("id", str(doc.id))

    return _write(apply)


def remove_documents(ids) -> bool:
    """Remove entries from the index by id."""
    ids = [str(i) for i in ids]
    if not ids:
        return True

    def apply(writer):
        for doc_id in ids:
            writer.delete_by_term("id", doc_id)

    return _write(apply)


def _published_documents():
    """Every published entry with its attachments, streamed in batches."""
    stmt = (
        select(Document).where(Document.status == "published")
        .options(selectinload(Document.attachments)).order_by(Document.id)
        .execution_options(yield_per=500)
    )
    return db.session.scalars(stmt)


def rebuild() -> int:
    """Rebuild the whole index from the database into a fresh generation, then swap it in."""
    return _rebuild(only_if_broken=False)


def _rebuild(only_if_broken: bool) -> int:
    """Rebuild under a cross-process lock; a repair is skipped if another process just did it."""
    handle = current_handle()
    with file_lock(handle.root.parent / f".{handle.root.name}.rebuild.lock"):
        if only_if_broken and handle.is_readable():
            return -1
        cutoff = utcnow() - CATCH_UP_MARGIN
        name, ix = handle.create_generation()
        seen = {}  # id → updated_at of entries changed around the start: they may change again
        count = 0
        try:
            writer = ix.writer(limitmb=128, compound=False)
            for doc in _published_documents():
                writer.add_document(**doc_fields(doc))
                if doc.updated_at >= cutoff:
                    seen[doc.id] = doc.updated_at
                count += 1
            writer.commit()
        except BaseException:
            ix.close()
            handle._remove_generation(handle.root / name, 0)
            raise
        ix.close()
        handle.swap(name, wait=write_timeout())
    # Entries published, changed or withdrawn while we read went into the old generation.
    changed = db.session.scalars(select(Document).where(Document.updated_at >= cutoff)).all()
    index_documents([
        doc for doc in changed
        if (doc.id in seen and seen[doc.id] != doc.updated_at) or (doc.id not in seen and doc.is_public)
    ])
    log.info("检索索引已重建：%d 条", count)
    return count


def repair(handle: IndexHandle, force: bool = False) -> bool:
    """Rebuild a missing or unreadable index; after a failed repair, wait REPAIR_PAUSE unless forced."""
    failed = handle.repair_failed_at
    if failed and time.monotonic() - failed < REPAIR_PAUSE and not force:
        return False
    if handle.is_readable():
        return True
    if Path(handle.root).exists():
        log.warning("检索索引无法读取（%s），正在从数据库重建", handle.root)
    else:  # a new installation: nothing is wrong
        log.info("检索索引尚未建立（%s），正在从数据库建立", handle.root)
    try:
        _rebuild(only_if_broken=True)
    except Exception:
        log.exception("检索索引重建失败")
    if handle.is_readable():
        handle.repair_failed_at = 0.0
        return True
    handle.repair_failed_at = time.monotonic()
    return False


def run_search(run):
    """Run `run(searcher, cache)` under the handle's lock; reopen, then rebuild, if the index is broken."""
    handle = current_handle()
    for attempt in (1, 2, 3):
        try:
            with handle.lock:
                searcher = handle.searcher()
                return run(searcher, handle.cache)
        except Exception as exc:
            if attempt == 1:
                handle.reset()
            elif attempt == 2 and not handle.is_readable() and repair(handle):
                continue
            else:
                log.exception("检索失败：%s", exc)
                return None
    return None
