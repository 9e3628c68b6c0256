"""The per-process background worker: woken after a commit, periodic, and waited for by tests and CLI."""
import threading

from flask import Flask

from portal.core.background import Worker, stop_all


def _app_with(worker: Worker) -> Flask:
    app = Flask(__name__)
    worker.init_app(app)
    return app


def test_a_wake_runs_the_work_in_another_thread_and_wait_idle_returns_after_it():
    ran = []
    worker = Worker("probe", lambda app: ran.append(threading.current_thread().name) and False, every=60)
    app = _app_with(worker)
    with app.app_context():
        worker.wake()
        assert worker.wait_idle(5)
    stop_all(app)
    assert ran and all(name == "portal-probe" for name in ran)


def test_work_that_reports_more_waiting_runs_again_without_waiting_for_the_period():
    batches = iter([True, True, False])
    count = []

    def run(app):
        count.append(1)
        return next(batches, False)

    worker = Worker("batches", run, every=600)
    app = _app_with(worker)
    with app.app_context():
        worker.wake()
        assert worker.wait_idle(5)
    stop_all(app)
    assert len(count) >= 3


def test_an_error_in_the_work_is_logged_and_the_thread_keeps_running(caplog):
    calls = []

    def run(app):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return False

    worker = Worker("flaky", run, every=600)
    app = _app_with(worker)
    with app.app_context():
        worker.wake()
        assert worker.wait_idle(5)
        worker.wake()
        assert worker.wait_idle(5)
    stop_all(app)
    assert len(calls) >= 2
    assert "后台任务 flaky 出错" in caplog.text


def test_with_threads_turned_off_nothing_starts_and_run_now_does_the_work_inline():
    ran = []
    worker = Worker("inline", lambda app: ran.append(threading.current_thread().name) and False, every=60)
    app = _app_with(worker)
    app.config["BACKGROUND_THREADS"] = False
    with app.app_context():
        worker.wake()
        assert ran == []
        worker.run_now()
    assert ran == [threading.current_thread().name]
