"""Running a search on this process's searcher; a read error is damage, repaired without a request waiting.

A failed search is tried again on a freshly opened index (a swap or a fork explains most failures);
if that fails too, the generation is marked damaged (logged at ERROR once, shown on the dashboard) and
repaired in the background. The request waits for the repair only briefly (SEARCH_REPAIR_WAIT seconds
after the repair started, so a new installation's first search is answered): a damaged generation is
replaced at once by the previous one when that is readable.
"""
from __future__ import annotations

import logging
import struct
import time
import traceback
import zlib

from flask import current_app

from . import health
from .index import IndexHandle, current_handle
from .repair import start_repair

log = logging.getLogger(__name__)


def _repair_wait() -> float:
    """How long after a repair starts requests still wait for it, in seconds."""
    return float(current_app.config.get("SEARCH_REPAIR_WAIT", 2.0))


def _repaired(handle: IndexHandle, failing: str | None, exc: Exception) -> bool:
    """Mark the failing generation, start the repair, and wait briefly for another generation to serve."""
    if failing is not None and (handle.root / failing).is_dir():
        health.mark(handle.root, failing, exc)
    state = start_repair(current_app._get_current_object(), handle)
    if state is None:
        return False
    deadline = state.started + _repair_wait()
    while time.monotonic() < deadline:
        target = handle.link_target()
        if target is not None and target != failing:
            return True
        if state.thread is None or not state.thread.is_alive():
            return handle.link_target() not in (None, failing)
        time.sleep(0.02)
    return False


WHOOSH_FRAME = "/whoosh/"  # a failure raised inside the Whoosh package: the index was being read


def is_read_error(exc: BaseException) -> bool:
    """Whether a failed search failed reading the index (damage) rather than in this portal's own code
    (a bug, which a rebuild would not cure and an anonymous query must not be able to set off)."""
    if isinstance(exc, (OSError, EOFError, struct.error, zlib.error)):
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and WHOOSH_FRAME in frames[-1].filename


def run_search(run):
    """Run `run(searcher, cache)` under the handle's lock; None when no readable index answers."""
    handle = current_handle()
    for attempt in (1, 2, 3):
        failing, opening = None, True
        try:
            with handle.lock:
                failing = handle.link_target()
                searcher = handle.searcher()  # any failure here is the index's (missing, old schema, damaged)
                opening = False
                return run(searcher, handle.cache)
        except Exception as exc:
            handle.reset()  # a swap, a fork or damage: open the index afresh next time
            if not opening and not is_read_error(exc):
                log.exception("检索出错（不是索引损坏，不重建索引）")
                return None
            if attempt == 1:
                continue
            if attempt == 2 and _repaired(handle, failing, exc):
                continue
            log.debug("检索失败：%s: %s", type(exc).__name__, exc)  # the damage was logged once
            return None
    return None
