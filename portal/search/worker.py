"""This process's follower: the background worker that applies the change log to the index.

Woken after each of this process's commits that logged a change, started with the first request of a
process (so a restarted worker catches up at once), and run every FOLLOW_SECONDS for what other
processes and hosts committed. CLI commands call catch_up() before they exit; tests wait_idle().
"""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError
from whoosh.index import LockError

from ..core.background import Worker
from . import follow, health
from .index import PREVIOUS, IndexHandle, current_handle, read_cursor, write_timeout
from .repair import repair_now, running_repair, start_repair

log = logging.getLogger(__name__)

FOLLOW_SECONDS = 3  # other processes' and hosts' changes are searchable within this
REPAIR_POLL = 0.2  # while a repair runs, how often the follower looks whether it has finished


def follow_once(handle: IndexHandle, inline: bool = False) -> bool:
    """One pass on the current generation; True when more rows wait.

    A missing, damaged or stale index is repaired (in a thread, or here when `inline`); a busy writer
    or another process's pass only delays: nothing moves, the next pass retries.
    """
    target = handle.link_target()
    damage = health.read(handle.root)
    if (target is None or not (handle.root / target).is_dir() or (damage and damage.generation == target)
            or follow.is_stale(read_cursor(handle.root / target))):
        if inline:
            repair_now(handle)
            return False
        return _repairing(handle)
    try:
        with follow.apply_lock(handle, write_timeout()):
            more = follow.apply_pending(handle, target)
            return _follow_previous(handle, target) or more
    except (LockError, TimeoutError):
        log.info("检索索引正被写入，变更稍后应用")
        return True  # not applied: the next pass retries at once (the lock wait itself paces it)
    except SQLAlchemyError:
        raise  # the database, not the index: the worker logs it and retries
    except Exception as exc:
        health.mark(handle.root, target, exc)
        if inline:
            repair_now(handle)
            return False
        return _repairing(handle)


def _repairing(handle: IndexHandle) -> bool:
    """Start (or find) the background repair; True while it runs, so the changes wait for it, not get lost."""
    state = start_repair(current_app._get_current_object(), handle)
    if state is None or state.thread is None or not state.thread.is_alive():
        return False
    time.sleep(REPAIR_POLL)
    return True


def _follow_previous(handle: IndexHandle, current: str) -> bool:
    """Keep the previous generation following too, so it can serve at once if the current one breaks."""
    previous = handle.link_target(PREVIOUS)
    if previous is None or previous == current or not (handle.root / previous).is_dir():
        return False
    try:
        return follow.apply_pending(handle, previous)
    except (LockError, SQLAlchemyError):
        return False  # retried with the next pass
    except Exception as exc:
        log.warning("上一代检索索引 %s 无法写入（%s），不再保留", previous, exc)
        (handle.root / PREVIOUS).unlink(missing_ok=True)
        return False


def _follow(app: Flask) -> bool:
    """The follower thread's work: one pass on this app's index, and the hourly pruning of the log."""
    more = follow_once(current_handle())
    follow.prune()
    return more


FOLLOWER = Worker("search", _follow, every=FOLLOW_SECONDS)


def catch_up(timeout: float = 3600) -> None:
    """Apply everything pending now, in the caller's thread (CLI commands, so results show at once)."""
    handle = current_handle()
    deadline = time.monotonic() + timeout
    while follow_once(handle, inline=True) and time.monotonic() < deadline:
        pass


def wait_idle(timeout: float = 10) -> bool:
    """Wait until the changes committed so far are applied (and any repair has finished); tests use it."""
    deadline = time.monotonic() + timeout
    if not FOLLOWER.wait_idle(timeout):
        return False
    thread = running_repair(current_handle())
    if thread is not None:
        thread.join(max(0.0, deadline - time.monotonic()))
        return not thread.is_alive() and FOLLOWER.wait_idle(max(0.0, deadline - time.monotonic()))
    return True
