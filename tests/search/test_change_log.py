"""The index follows the database through the change log: every catalog write path logs in its own
transaction, each generation's cursor moves only after the Whoosh commit, holes in the ids are waited
for, no request waits on the index writer, and the CLI applies before it exits."""
import json
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, event, func, insert, select, text
from sqlalchemy.exc import OperationalError

from portal import search
from portal.catalog import workflow
from portal.catalog.attachments import check_file
from portal.core.clock import utcnow
from portal.extensions import db
from portal.models import Office
from portal.models import EDITOR, REVIEWER, Document, User
from portal.models.search import SearchChange
from portal.reports import services as reports
from portal.search import follow
from portal.search.index import CURSOR, PREVIOUS, current_handle, read_cursor, write_cursor
from tests.factories.app import app_on_empty_database
from tests.factories.catalog import BASE, publish
from tests.factories.staff import login, make_user

TODAY = date(2026, 3, 10)


def logged(doc_id: int) -> int:
    """How many change rows the entry has."""
    return db.session.scalar(select(func.count()).select_from(SearchChange)
                             .where(SearchChange.document_id == doc_id))


def found(word: str) -> list[int]:
    """Ids the index finds for a word, as it stands (no waiting)."""
    return [hit.doc_id for hit in search.query(word).hits]


@pytest.fixture
def quiet(database_url, tmp_path):
    """An app whose follower thread never starts: only catch_up() applies the log (deterministic)."""
    for app in app_on_empty_database(database_url, tmp_path, BACKGROUND_THREADS=False):
        with app.app_context():
            yield app


@pytest.fixture
def people(ctx):
    """An editor and a reviewer, loaded in this session."""
    return {role: db.session.get(User, make_user(f"{role}1", role).id) for role in (EDITOR, REVIEWER)}


def test_every_catalog_write_path_logs_the_entry_in_its_own_transaction(people, calendar):
    editor, reviewer = people[EDITOR], people[REVIEWER]
    doc = workflow.save_draft(BASE | {"title": "社区食堂运营方案"}, [], editor)
    steps = [
        lambda: workflow.update_draft(doc, BASE | {"title": "社区食堂运营方案（修改）"},
                                      [check_file("菜单.txt", "荠菜馄饨".encode())], editor),
        lambda: workflow.submit_for_review(doc, editor),
        lambda: workflow.publish(doc, reviewer, today=TODAY),
        lambda: workflow.change_published(doc, BASE | {"title": "社区食堂运营方案（变更）"}, [], reviewer, today=TODAY),
        lambda: workflow.delete_attachment(doc, doc.attachments[0], reviewer, today=TODAY),
        lambda: workflow.repeal(doc, reviewer, date(2026, 3, 10)),
        lambda: workflow.withdraw(doc, reviewer, "内容有误"),
    ]
    for step in steps:
        before = logged(doc.id)
        step()
        assert logged(doc.id) == before + 1, step
    imported = publish(title="导入的养老通知")  # the importer's path (record_published, action="import")
    assert logged(imported.id) == 1
    report = reports.create_draft(2025)
    entry = reports.publish(report, today=date(2026, 1, 20))  # the annual report writes a catalog entry
    assert logged(entry.id) == 1


def test_a_step_that_rolls_back_logs_nothing(people):
    editor = people[EDITOR]
    doc = workflow.save_draft(BASE | {"title": "会回滚的草稿"}, [], editor)
    before = db.session.scalar(select(func.count()).select_from(SearchChange))

    def refuse(session):
        raise RuntimeError("commit refused")

    event.listen(db.session, "before_commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            workflow.submit_for_review(doc, editor)
    finally:
        event.remove(db.session, "before_commit", refuse)
    assert db.session.scalar(select(func.count()).select_from(SearchChange)) == before
    assert db.session.get(Document, doc.id).status == "draft"


def test_the_index_applies_the_log_and_moves_its_cursor_only_after_the_whoosh_commit(quiet):
    search.catch_up()  # the (empty) index exists
    doc = Document(office_id=Office.current().id, title="垃圾分类指引", publisher="街道", status="published", published_date=TODAY,
                   index_number="000014349/2026-00001")
    db.session.add(doc)
    db.session.commit()
    assert found("垃圾分类") == []  # no thread in this app: logged, not yet applied
    search.catch_up()
    assert found("垃圾分类") == [doc.id]
    handle = current_handle()
    cursor = read_cursor(handle.root / handle.link_target())
    assert cursor["high"] == db.session.scalar(select(func.max(SearchChange.id)))
    write_cursor(handle.root / handle.link_target(), cursor | {"high": 0})  # as after a crash before the cursor
    search.catch_up()  # applying again is harmless
    assert search.query("垃圾分类").total == 1


def test_a_rebuild_starts_where_it_began_reading_and_the_previous_generation_keeps_following(quiet):
    for n in (1, 2):
        db.session.add(Document(office_id=Office.current().id, title=f"重建前的通知{n}", publisher="街道", status="published",
                                published_date=TODAY, index_number=f"000014349/2026-0000{n}"))
        db.session.commit()
    search.catch_up()
    search.rebuild()
    handle = current_handle()
    current, previous = handle.link_target(), handle.link_target(PREVIOUS)
    end = db.session.scalar(select(func.max(SearchChange.id)))
    assert read_cursor(handle.root / current)["high"] == end  # nothing it read is applied again
    db.session.add(Document(office_id=Office.current().id, title="重建后的公告", publisher="街道", status="published", published_date=TODAY,
                            index_number="000014349/2026-00003"))
    db.session.commit()
    search.catch_up()
    end = db.session.scalar(select(func.max(SearchChange.id)))
    assert read_cursor(handle.root / current)["high"] == read_cursor(handle.root / previous)["high"] == end
    with handle.open_generation(previous).searcher() as searcher:
        assert searcher.doc_count() == 3  # it holds the entry published after the swap too


def test_a_hole_in_the_ids_is_waited_for_and_applied_when_it_commits(quiet):
    search.catch_up()  # the index exists, its cursor at the end of the log
    early, late = (Document(office_id=Office.current().id, title=t, publisher="街道", status="published", published_date=TODAY,
                            index_number=f"000014349/2026-0000{n}") for n, t in ((1, "先提交的通知"), (2, "后提交的公告")))
    db.session.add(late)
    db.session.commit()
    db.session.add(early)
    db.session.commit()
    rows = dict(db.session.execute(select(SearchChange.document_id, SearchChange.id)).all())
    assert rows[late.id] < rows[early.id]
    # PostgreSQL: the transaction that took the lower id commits after the higher one (id taken, not visible)
    db.session.execute(delete(SearchChange).where(SearchChange.id == rows[late.id]))
    db.session.commit()
    search.catch_up()
    assert found("通知") == [early.id] and found("公告") == []
    handle = current_handle()
    # (on PostgreSQL the ids below this test's first row, used by earlier tests, are holes too until the grace)
    assert rows[late.id] in [g[0] for g in read_cursor(handle.root / handle.link_target())["gaps"]]
    db.session.execute(insert(SearchChange).values(id=rows[late.id], document_id=late.id, at=utcnow()))
    db.session.commit()  # … now it commits
    search.catch_up()
    assert found("公告") == [late.id]
    assert rows[late.id] not in [g[0] for g in read_cursor(handle.root / handle.link_target())["gaps"]]


def test_transactions_that_commit_out_of_id_order_are_both_applied(quiet):
    docs = [Document(office_id=Office.current().id, title=t, publisher="街道", status="published", published_date=TODAY,
                     index_number=f"000014349/2026-0000{n}") for n, t in ((1, "甲街道通知"), (2, "乙街道通知"))]
    db.session.add_all(docs)
    db.session.commit()
    search.catch_up()
    first, second = db.engine.connect(), db.engine.connect()
    change = "INSERT INTO search_change (document_id, at) VALUES (:doc, :at)"
    try:
        first.execute(text("UPDATE document SET title = '甲街道防汛通知' WHERE id = :doc"), {"doc": docs[0].id})
        first.execute(text(change), {"doc": docs[0].id, "at": utcnow()})  # takes the lower id, commits last
        if db.engine.dialect.name == "sqlite":
            # SQLite has one writer at a time: the second waits for the first, so ids commit in order.
            second.execute(text("PRAGMA busy_timeout = 100"))
            with pytest.raises(OperationalError, match="locked"):
                second.execute(text("UPDATE document SET title = '乙' WHERE id = :doc"), {"doc": docs[1].id})
            return
        second.execute(text("UPDATE document SET title = '乙街道防汛公告' WHERE id = :doc"), {"doc": docs[1].id})
        second.execute(text(change), {"doc": docs[1].id, "at": utcnow()})
        second.commit()
        search.catch_up()
        assert found("防汛") == [docs[1].id]  # the higher id is applied, the lower one is a hole
        first.commit()
        search.catch_up()
        assert sorted(found("防汛")) == sorted(d.id for d in docs)
    finally:
        first.rollback()
        first.close()
        second.close()


def test_a_hole_older_than_the_grace_is_passed(quiet):
    search.catch_up()
    docs = [Document(office_id=Office.current().id, title=f"第{n}份通知", publisher="街道", status="published", published_date=TODAY,
                     index_number=f"000014349/2026-0000{n}") for n in (1, 2)]
    for doc in docs:
        db.session.add(doc)
        db.session.commit()
    first = db.session.scalar(select(SearchChange.id).where(SearchChange.document_id == docs[0].id))
    db.session.execute(delete(SearchChange).where(SearchChange.id == first))  # rolled back, never to come
    db.session.commit()
    quiet.config["SEARCH_GAP_GRACE"] = 0.2
    search.catch_up()
    handle = current_handle()
    assert first in [g[0] for g in read_cursor(handle.root / handle.link_target())["gaps"]]
    time.sleep(0.3)
    search.catch_up()
    assert read_cursor(handle.root / handle.link_target())["gaps"] == []


def test_a_cursor_that_stopped_longer_than_the_log_is_kept_is_rebuilt(quiet):
    publish_quietly = Document(office_id=Office.current().id, title="长期停机后的通知", publisher="街道", status="published",
                               published_date=TODAY, index_number="000014349/2026-00001")
    db.session.add(publish_quietly)
    db.session.commit()
    search.catch_up()
    handle = current_handle()
    old = handle.link_target()
    cursor = read_cursor(handle.root / old)
    write_cursor(handle.root / old, cursor | {"checked": time.time() - 8 * 86400})  # the host was off 8 days
    search.catch_up()
    assert handle.link_target() != old and found("停机") == [publish_quietly.id]


def test_log_rows_older_than_a_week_are_pruned(quiet):
    # 2026-12-01 minus 8 days is older than PRUNE_AFTER (7 days); minus 1 day is not.
    db.session.execute(insert(SearchChange), [{"document_id": 1, "at": utcnow() - timedelta(days=8)},
                                              {"document_id": 2, "at": utcnow() - timedelta(days=1)}])
    db.session.commit()
    follow._last_prune["at"] = None  # not pruned yet in this process
    follow.prune()
    assert db.session.scalars(select(SearchChange.document_id)).all() == [2]


def test_no_request_waits_on_the_index_writer(app, ctx, people):
    publish(title="先有的公告")
    doc = workflow.submit_for_review(workflow.save_draft(BASE | {"title": "加装电梯补贴办法"}, [], people[EDITOR]),
                                     people[EDITOR])
    writer = current_handle().writer(timeout=1)  # another process holds the Whoosh writer
    try:
        raw = app.test_client()  # not the suite's synced client: this one does not wait for the follower
        login(raw, "reviewer1")
        started = time.monotonic()
        response = raw.post(f"/admin/entries/{doc.id}/publish")
        took = time.monotonic() - started
        assert response.status_code == 303 and took < 5  # SEARCH_WRITE_TIMEOUT is 20 s
    finally:
        writer.cancel()
    assert search.wait_idle(30) and found("加装电梯") == [doc.id]


def test_the_import_command_applies_the_log_before_it_exits(quiet, tmp_path):
    path = tmp_path / "catalog.jsonl"
    record = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in BASE.items()}
    path.write_text(json.dumps(record | {"title": "命令行导入的防汛通知"}, ensure_ascii=False) + "\n")
    result = quiet.test_cli_runner().invoke(args=["import-documents", str(path)])
    assert result.exit_code == 0, result.output
    assert search.query("防汛").total == 1  # no follower thread ran: the command applied it itself
    assert (current_handle().root / current_handle().link_target() / CURSOR).is_file()
