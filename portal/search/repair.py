"""Building a generation from the database, and repairing a missing, damaged or stale index in the background.

A rebuild reads every published entry into a new generation, notes where in the change log it started,
applies the log from there, and only then swaps the generation in (one rebuild at a time per folder).
A repair does the same in a thread of its own; while it runs, a damaged generation is replaced at once
by the previous one if that one is readable (the follower keeps it following the log too, so it is
current or nearly: it is caught up first).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Document
from . import follow, health
from .index import (LINK, PREVIOUS, IndexHandle, current_handle, doc_fields, file_lock, read_cursor, write_cursor,
                    write_timeout)

log = logging.getLogger(__name__)

REPAIR_PAUSE = 300  # seconds before a failed automatic repair is tried again
AGAIN_PAUSE = 60    # seconds before a generation just rebuilt after damage is rebuilt again
FIRST_BUILD_PAUSE = 5  # seconds before a failed first build (no index yet) is tried again


@dataclass
class _Repair:
    """This process's repair of one index folder."""

    thread: threading.Thread | None = None
    started: float = 0.0
    failed: float = 0.0
    finished: float = 0.0


_repairs: dict = {}
_repairs_lock = threading.Lock()


def _published_documents():
    """Every published entry with its attachments, streamed in batches."""
    stmt = (
        select(Document).where(Document.status == "published")
        .options(selectinload(Document.attachments)).order_by(Document.id)
        .execution_options(yield_per=500)
    )
    return db.session.scalars(stmt)


def rebuild_lock(handle: IndexHandle):
    """The lock that lets one process at a time build a generation of an index folder."""
    return file_lock(handle.root.parent / f".{handle.root.name}.rebuild.lock")


def build(handle: IndexHandle, keep: str | None = "") -> int:
    """Build a generation from the database, catch it up through the log, swap it in (keeping `keep`,
    by default the generation it replaces, as the previous one). The caller holds the rebuild lock."""
    start = follow.start_position()
    name, ix = handle.create_generation()
    count = 0
    try:
        writer = ix.writer(limitmb=128, compound=False)
        for doc in _published_documents():
            writer.add_document(**doc_fields(doc))
            count += 1
        writer.commit()
        ix.close()
        write_cursor(handle.root / name, start)
        with follow.apply_lock(handle, None):  # no pass on the old generation is left half done
            while follow.apply_pending(handle, name):
                pass
            handle.swap(name, wait=write_timeout(), keep=keep)
    except BaseException:
        ix.close()
        handle._remove_generation(handle.root / name, 0)
        raise
    log.info("检索索引已重建：%d 条", count)
    return count


def rebuild() -> int:
    """Rebuild the whole index from the database into a fresh generation, then swap it in."""
    handle = current_handle()
    with rebuild_lock(handle):
        count = build(handle)
    health.clear(handle.root)
    return count


def _usable(handle: IndexHandle, name: str | None) -> bool:
    """Whether a generation can serve: it opens, reads, and its cursor can still follow the log."""
    return bool(name) and not follow.is_stale(read_cursor(handle.root / name)) and handle.generation_readable(name)


def repair_now(handle: IndexHandle) -> bool:
    """Rebuild a missing, damaged or stale index (unless another process just did), serving meanwhile
    from the previous generation when the current one is damaged; True if a damaged one was replaced."""
    with rebuild_lock(handle):
        target = handle.link_target()
        damage = health.read(handle.root)
        damaged = target is not None and ((damage is not None and damage.generation == target)
                                          or not handle.generation_readable(target))
        if target is not None and not damaged and _usable(handle, target):
            health.clear(handle.root)  # repaired by another process meanwhile
            return False
        keep = ""
        if target is None or not (handle.root / target).is_dir():
            log.info("检索索引尚未建立（%s），正在从数据库建立", handle.root)
        elif damaged:
            keep = None
            previous = handle.link_target(PREVIOUS)
            if previous != target and _usable(handle, previous):
                with follow.apply_lock(handle, None):
                    while follow.apply_pending(handle, previous):
                        pass
                    handle.point(LINK, previous)
                keep = previous
                log.warning("检索索引暂由上一代 %s 提供，同时从数据库重建", previous)
        else:
            log.warning("检索索引 %s 长期未跟进变更日志，正在从数据库重建", target)
        build(handle, keep=keep)
    health.clear(handle.root)
    return damaged


def _run_repair(app: Flask, handle: IndexHandle, state: _Repair) -> None:
    """The repair thread: one repair in its own app context; a failure is logged and shown."""
    with app.app_context():
        try:
            state.failed = 0.0
            if repair_now(handle):
                state.finished = time.monotonic()
        except Exception:
            log.exception("检索索引重建失败；请运行 flask --app wsgi reindex")
            health.mark_failed(handle.root)
            state.failed = time.monotonic()
        finally:
            db.session.remove()


def start_repair(app: Flask, handle: IndexHandle) -> _Repair | None:
    """Start repairing an index folder in a thread, unless one runs, or (while an index is there) one
    failed less than REPAIR_PAUSE ago or replaced a damaged generation less than AGAIN_PAUSE ago: a query
    that fails for another reason must not rebuild in a loop."""
    with _repairs_lock:
        state = _repairs.setdefault(str(handle.root), _Repair())
        if state.thread is not None and state.thread.is_alive():
            return state
        now, present = time.monotonic(), handle.link_target() is not None
        if state.failed and now - state.failed < (REPAIR_PAUSE if present else FIRST_BUILD_PAUSE):
            return None
        if present and state.finished and now - state.finished < AGAIN_PAUSE:
            return None
        state.started = time.monotonic()
        state.thread = threading.Thread(target=_run_repair, args=(app, handle, state),
                                        name="portal-search-repair", daemon=True)
        state.thread.start()
        return state


def running_repair(handle: IndexHandle) -> threading.Thread | None:
    """This process's repair thread of an index folder, if one runs."""
    state = _repairs.get(str(handle.root))
    thread = state.thread if state else None
    return thread if thread is not None and thread.is_alive() else None
