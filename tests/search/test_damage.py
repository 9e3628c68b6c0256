"""A damaged segment is repaired without a manual reindex: the read error is logged at ERROR once, the
dashboard warns until the repair is done, searches are answered from the previous generation (caught up
through the change log) or from the rebuilt one within seconds, and no request waits for the rebuild."""
import logging
import threading
import time

import pytest

from portal import search
from portal.models import ADMIN
from portal.search import health, serve
from portal.search import repair as search_repair
from portal.search.index import PREVIOUS, current_handle
from tests.factories.catalog import publish
from tests.factories.staff import login

WARNING = "检索索引损坏，正在从数据库重建"


def _truncate_terms(handle) -> None:
    """Cut the term files of the current generation to 20 bytes, as a failing disk or a bad copy would."""
    gen = handle.root / handle.link_target()
    for path in gen.glob("*.trm"):
        path.write_bytes(path.read_bytes()[:20])



def _damage_errors(caplog) -> list:
    """The ERROR lines about index damage."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR and "损坏" in r.getMessage()]


@pytest.fixture
def admin_client(app, staff):
    """A signed-in administrator on a plain test client (it does not wait for the follower)."""
    staff("admin1", ADMIN)
    raw = app.test_client()
    login(raw, "admin1")
    return raw


def test_a_truncated_segment_is_served_from_the_previous_generation_then_rebuilt(
        app, ctx, admin_client, caplog, monkeypatch):
    for n in range(3):
        publish(title=f"养老服务补贴第{n}批名单")
    search.rebuild()  # the generation before is kept as `previous`
    late = publish(title="养老服务补贴新增名单")  # after the swap: only in the current generation
    handle = current_handle()
    damaged, previous = handle.link_target(), handle.link_target(PREVIOUS)
    assert search.query("名单").total == 4  # serving, the searcher open (another word: results are cached)
    release = threading.Event()
    original = search_repair._published_documents

    def held_rebuild():  # the rebuild waits, so the test sees the state while it runs
        release.wait(30)
        yield from original()

    monkeypatch.setattr(search_repair, "_published_documents", held_rebuild)
    _truncate_terms(handle)
    with caplog.at_level(logging.INFO):
        started = time.monotonic()
        first = search.query("养老")
        assert time.monotonic() - started < 5
        assert first.total == 4 and late.id in [h.doc_id for h in first.hits]  # previous, caught up
        assert handle.link_target() == previous
        assert all(search.query("养老").total == 4 for _ in range(20))
        page = admin_client.get("/admin/").get_data(as_text=True)
        assert WARNING in page
        release.set()
        deadline = time.monotonic() + 20
        while health.read(handle.root) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
    assert health.read(handle.root) is None
    assert handle.link_target() not in (damaged, previous) and handle.link_target(PREVIOUS) == previous
    assert not (handle.root / damaged).exists()
    assert search.query("养老").total == 4
    assert WARNING not in admin_client.get("/admin/").get_data(as_text=True)
    assert len(_damage_errors(caplog)) == 1


def test_without_a_previous_generation_searches_answer_again_after_the_background_rebuild(app, ctx, caplog):
    doc = publish(title="社区养老服务补贴办法")
    handle = current_handle()
    assert handle.link_target(PREVIOUS) is None and search.query("办法").total == 1
    damaged = handle.link_target()
    _truncate_terms(handle)
    answers = []
    with caplog.at_level(logging.INFO):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            results = search.query("养老")
            answers.append(results.total)
            if results.total == 1:
                break
            time.sleep(0.1)
    assert answers[-1] == 1 and [h.doc_id for h in search.query("养老").hits] == [doc.id]
    assert handle.link_target() != damaged and health.read(handle.root) is None
    assert len(_damage_errors(caplog)) == 1
    assert not any(r.levelno >= logging.ERROR for r in caplog.records if r not in _damage_errors(caplog))


def test_a_failed_repair_stays_on_the_dashboard_with_the_command_to_run(app, ctx, admin_client, monkeypatch):
    publish(title="社区养老服务补贴办法")
    handle = current_handle()

    def broken_database():
        raise RuntimeError("database unavailable")
        yield

    monkeypatch.setattr(search_repair, "_published_documents", broken_database)
    _truncate_terms(handle)
    search.query("养老")
    assert search.wait_idle(20)
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert WARNING in page and "flask --app wsgi reindex" in page


def test_a_failure_in_the_portals_own_query_code_is_logged_and_never_taken_for_damage(ctx, caplog):
    publish(title="社区一份公告")

    def broken(searcher, cache):
        raise ValueError("a bug in the portal's query code, not in the index")

    with caplog.at_level(logging.ERROR):
        assert serve.run_search(broken) is None
    assert health.read(current_handle().root) is None  # no damage marked, so no rebuild started
    assert search_repair.running_repair(current_handle()) is None
    assert "不是索引损坏" in caplog.text
    assert search.query("公告").total == 1
