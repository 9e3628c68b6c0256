"""Work that follows a commit, done by one thread per process and never by the request that committed.

    SENDER = Worker("mail", send_due, every=30)   # declared by the package that owns the work
    SENDER.init_app(app)                           # in the factory: started in each process on first use
    SENDER.wake()                                  # after a commit that recorded work: run soon
    SENDER.wait_idle(10)                           # tests, CLI: until what was asked before is done

The work itself is recorded in the database in the committing transaction (the outbox, the search
change log), so a crash, a busy server or a thread that is not running only delays it: the next run,
the periodic run every `every` seconds, or a cron command, picks it up. `run(app)` returns True when
more is waiting (or the work could not be done yet), to run again at once; wait_idle() returns only
after a run that left nothing waiting. The thread is started lazily per process id, so a server that
forks workers after building the app gets one thread in each worker.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from flask import Flask, current_app

log = logging.getLogger(__name__)


class _Runner:
    """One worker's thread in one app and one process."""

    def __init__(self, app: Flask, worker: Worker):
        """Remember the app; start nothing yet."""
        self.app, self.worker = app, worker
        self.pid = -1
        self.thread: threading.Thread | None = None
        self.wakeup = threading.Event()
        self.stopping = threading.Event()
        self.state = threading.Condition()
        self.asked = 0     # how many wake() calls were made …
        self.done = 0      # … and how many of them a finished run has covered

    def ensure_started(self) -> None:
        """Start the thread in this process if it is not running (after a fork it is not)."""
        with self.state:
            if self.pid == os.getpid() and self.thread is not None and self.thread.is_alive():
                return
            if self.stopping.is_set():
                return
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self.loop, name=f"portal-{self.worker.name}", daemon=True)
            self.thread.start()

    def wake(self) -> None:
        """Ask for a run soon."""
        with self.state:
            self.asked += 1
        self.ensure_started()
        self.wakeup.set()

    def loop(self) -> None:
        """Run at once, then whenever woken or every `every` seconds, until stopped."""
        more = True
        while not self.stopping.is_set():
            if not more:
                self.wakeup.wait(self.worker.every)
            self.wakeup.clear()
            if self.stopping.is_set():
                break
            with self.state:
                covered = self.asked
            more = self.run_once()
            if not more:  # a run that left work waiting (a busy lock, a repair running) covers nothing yet
                with self.state:
                    self.done = max(self.done, covered)
                    self.state.notify_all()

    def run_once(self) -> bool:
        """One run in an app context; an error is logged and the next run tries again."""
        try:
            with self.app.app_context():
                return bool(self.worker.run(self.app))
        except Exception:
            log.exception("后台任务 %s 出错，稍后重试", self.worker.name)
            return False

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every wake() made before this call has been covered by a finished run."""
        with self.state:
            target = self.asked
            return self.state.wait_for(lambda: self.done >= target, timeout)

    def stop(self, timeout: float = 10) -> None:
        """Stop the thread (tests, before their database is emptied for the next test)."""
        self.stopping.set()
        self.wakeup.set()
        thread = self.thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout)


class Worker:
    """Background work of one kind, declared once at import (nothing runs until an app uses it)."""

    def __init__(self, name: str, run: Callable[[Flask], bool], every: float):
        """`run(app)` does one batch inside an app context; `every` is the period between runs."""
        self.name, self.run, self.every = name, run, every

    def init_app(self, app: Flask) -> None:
        """Give the app its runner; BACKGROUND_THREADS=False (a test's choice) leaves work to run_now()."""
        app.extensions.setdefault("background", {})[self.name] = _Runner(app, self)

        @app.before_request
        def start_in_this_process():
            if app.config.get("BACKGROUND_THREADS", True):
                self._runner(app).ensure_started()

    def _runner(self, app: Flask | None = None) -> _Runner:
        """This worker's runner in the given (or current) app."""
        return (app or current_app).extensions["background"][self.name]

    def wake(self) -> None:
        """After a commit that recorded work: run it soon in this process's thread."""
        runner = self._runner()
        if runner.app.config.get("BACKGROUND_THREADS", True):
            runner.wake()

    def run_now(self) -> bool:
        """Run one batch in the caller's thread (CLI commands, and tests that turn threads off)."""
        return bool(self.run(current_app._get_current_object()))

    def wait_idle(self, timeout: float = 10) -> bool:
        """Wait until the work asked for so far has been done; False on timeout."""
        runner = self._runner()
        if runner.thread is None or not runner.thread.is_alive():
            return True
        return runner.wait_idle(timeout)


def stop_all(app: Flask, timeout: float = 10) -> None:
    """Stop every worker thread of an app."""
    for runner in app.extensions.get("background", {}).values():
        runner.stop(timeout)
