"""Full-text search: Chinese words and phrases, exact numbers, facets, safety, repair, concurrency."""
import itertools
import logging
import multiprocessing
import os
import shutil
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from markupsafe import Markup

from portal import create_app, search
from portal.extensions import db
from portal.models import Office
from portal.models import Attachment, Document
from portal.search import repair as search_repair
from portal.search.index import LINK, PREVIOUS, current_handle
from portal.search.tokenizer import ChineseAnalyzer

_serial = itertools.count(1)


def make(title="测试通知", *, status="published", year=2024, attachments=(), **fields) -> Document:
    """Create one committed entry (its change log row written; the follower applies it in the background)."""
    n = next(_serial)
    doc = Document(office_id=Office.current().id, 
        index_number=f"000014349/{year}-{n:05d}", title=title, publisher="上海市普陀区石泉路街道办事处",
        published_date=date(year, 3, 1), category=fields.pop("category", "综合政务\\政务公开"),
        status=status, **fields,
    )
    doc.attachments = [
        Attachment(filename=f"附件{i}.pdf", stored_name=f"a{n}-{i}", mime_type="application/pdf", text=text)
        for i, text in enumerate(attachments)
    ]
    db.session.add(doc)
    db.session.commit()
    return doc


def publish(*args, **kwargs) -> Document:
    """Create an entry and wait until the follower has applied it to the index."""
    doc = make(*args, **kwargs)
    assert search.wait_idle(20)
    return doc


def commit() -> None:
    """Commit the session's changes and wait until the index follows them."""
    db.session.commit()
    assert search.wait_idle(20)


def ids(results) -> list[int]:
    """The entry ids of a result page, in order."""
    return [hit.doc_id for hit in results.hits]


def test_tokenizer_numbers_positions_consecutively_and_maps_offsets_to_the_original():
    text = "关于做好２０２３年度依申请公开工作的通知"
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in ChineseAnalyzer()(text, positions=True, chars=True, mode="index")]
    words = [t[0] for t in tokens]
    assert words == ["关于", "做好", "2023", "年度", "依", "申请", "公开", "工作", "通知"]
    assert [t[1] for t in tokens] == list(range(len(tokens)))
    assert all(text[s:e] == text[s:e].strip() and e > s for _, _, s, e in tokens)
    assert text[tokens[2][2]:tokens[2][3]] == "２０２３"


def test_init_app_opens_no_index(app, tmp_path):
    assert not (tmp_path / "index").exists()


def test_phrase_query_matches_only_consecutive_words(ctx):
    together = publish("关于依申请公开工作的通知", body="本街道依申请公开的办理流程。")
    apart = publish("申请材料清单", body="申请人可以到窗口查阅公开的信息。")
    assert ids(search.query('"依申请公开"')) == [together.id]
    assert set(ids(search.query("申请 公开"))) == {together.id, apart.id}


def test_stopwords_do_not_break_phrases(ctx):
    doc = publish("做好防汛工作的通知")
    assert ids(search.query('"防汛工作通知"')) == [doc.id]


def test_segmented_two_character_word_finds_entry(ctx):
    law = publish("条例解读", body="《中华人民共和国政府信息公开条例》第二十条规定。")
    insurance = publish("城乡居民基本医疗保险参保通知")
    assert ids(search.query("政府")) == [law.id]
    assert ids(search.query("医疗")) == [insurance.id]
    assert ids(search.query("医疗保险")) == [insurance.id]
    assert ids(search.query('"政府信息公开"')) == [law.id]


def test_word_straddling_two_words_does_not_match(ctx):
    publish("普陀区人民政府关于春节假期安排的通知")
    assert search.query("民政").total == 0


def test_attachment_text_is_searchable_and_gives_the_snippet(ctx):
    doc = publish("补贴标准", body="详见附件。", attachments=["既有多层住宅加装电梯补贴每台不超过二十四万元。"])
    results = search.query("加装电梯")
    assert ids(results) == [doc.id]
    assert "<mark>" in results.hits[0].snippet_html and "补贴" in results.hits[0].snippet_html


@pytest.mark.parametrize("typed", ["石办〔2020〕34号", "石办[2020]34号", "石办【2020】第034号", "石办（2020）34号"])
def test_exact_doc_number_comes_first_also_when_mistyped(ctx, typed):
    for n in range(5):
        publish(f"石办2020年第{n}批34号文件汇编", body="石办 2020 34 号 石办 2020 34 号", doc_number=f"石办〔2020〕{n + 40}号")
    target = publish("老旧小区综合整治实施方案", doc_number="石办〔2020〕34号")
    results = search.query(typed)
    assert results.exact_id == target.id
    assert ids(results)[0] == target.id


def test_index_number_finds_its_entry_first(ctx):
    publish("其他通知")
    doc = publish("部门预算公开")
    results = search.query(doc.index_number.lower())
    assert results.exact_id == doc.id and ids(results)[0] == doc.id


def test_facets_count_all_matches_not_only_the_page(ctx):
    for year in (2021, 2022, 2023):
        for n in range(4):
            publish(f"{year}年度垃圾分类工作要点{n}", year=year,
                    category="城乡建设、环境保护\\环境监测、保护与治理" if n % 2 else "综合政务\\政务公开")
    publish("无关的财政预算", year=2023)
    results = search.query("垃圾分类", per_page=5)
    assert results.total == 12 and len(results.hits) == 5
    assert dict(results.facets["year"]) == {2021: 4, 2022: 4, 2023: 4}
    assert sum(n for _, n in results.facets["category"]) == 12
    narrowed = search.query("垃圾分类", year=2022, category="综合政务", per_page=5)
    assert narrowed.total == 2
    # each facet ignores its own filter, so the other values stay reachable
    assert dict(narrowed.facets["year"]) == {2021: 2, 2022: 2, 2023: 2}
    assert dict(narrowed.facets["category"]) == {"综合政务\\政务公开": 2, "城乡建设、环境保护\\环境监测、保护与治理": 2}


def test_facets_and_total_skip_replaced_and_removed_entries(ctx):
    docs = [publish(f"燃气安全检查通知{n}", year=2020 + n) for n in range(3)]
    for n in range(2):
        docs[0].body = f"第{n}次修改"
        commit()
    db.session.delete(docs[1])
    commit()
    results = search.query("燃气安全")
    assert results.total == 2 and sorted(ids(results)) == sorted([docs[0].id, docs[2].id])
    assert dict(results.facets["year"]) == {2020: 1, 2022: 1}


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(ctx):
    body_only = publish("年度工作安排", body="垃圾分类" + "。其他内容" * 30)
    in_title = publish("垃圾分类工作安排", body="详见附件。")
    assert ids(search.query("垃圾分类")) == [in_title.id, body_only.id]


def test_pages_hold_different_entries(ctx):
    for n in range(7):
        publish(f"社区议事会纪要第{n}期")
    first, second = search.query("议事会", per_page=5), search.query("议事会", page=2, per_page=5)
    assert len(first.hits) == 5 and len(second.hits) == 2 and not set(ids(first)) & set(ids(second))


def test_unpublished_entry_is_not_found_and_withdrawal_removes_it(ctx):
    draft = publish("拆违工作方案草稿", status="draft")
    assert search.query("拆违").total == 0
    draft.status = "published"
    commit()
    assert ids(search.query("拆违")) == [draft.id]
    draft.status = "withdrawn"
    commit()
    assert search.query("拆违").total == 0


def test_reindexing_an_entry_replaces_it(ctx):
    doc = publish("旧标题的公告")
    doc.title = "新标题的公告"
    commit()
    assert search.query("公告").total == 1 and search.query("旧").total == 0


def test_removed_entry_is_no_longer_found(ctx):
    keep, gone = publish("保留的通知"), publish("删除的通知")
    db.session.delete(gone)
    commit()
    assert ids(search.query("通知")) == [keep.id]


def test_and_falls_back_to_or_with_a_message(ctx):
    doc = publish("防汛防台应急预案")
    results = search.query("防汛 火星")
    assert ids(results) == [doc.id] and "部分检索词" in results.message


@pytest.mark.parametrize("q", [
    "", "   ", "AND OR NOT", "电梯 AND 补贴", '"未闭合的引号', "〔〕", "*", "?", "title:电梯", "电梯~2",
    "[a TO z]", "(((", "\\", "<script>alert(1)</script>", "a" * 5000, "电梯" * 800, "\ud800", "\udfff电梯",
    "\x00\x01", "%", "' OR 1=1 --", "的", "“”", "「」", "ＡＮＤ", "石办[2020", "0" * 300, None, 42,
])
def test_hostile_queries_never_raise(ctx, q):
    publish("加装电梯补贴 <script>alert(1)</script>")
    results = search.query(q)
    assert isinstance(results, search.SearchResults) and results.total >= len(results.hits)
    for hit in results.hits:
        assert "<script>" not in hit.title_html and "<script>" not in hit.snippet_html
    assert isinstance(search.suggest(q), list)


def test_hostile_paging_arguments_are_clamped(ctx):
    publish("电梯")
    assert search.query("电梯", page=-3, per_page=10**9).page == 1
    assert search.query("电梯", page="x", per_page="y").per_page == 10
    assert search.query("电梯", year="两千", category="不存在").total == 0


def test_highlights_are_escaped_html_with_only_mark_tags(ctx):
    publish('<img src=x onerror="alert(1)">加装电梯&通知', body="<b>加装电梯</b> & 补贴")
    hit = search.query("加装电梯").hits[0]
    assert isinstance(hit.title_html, Markup) and isinstance(hit.snippet_html, Markup)
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;<mark>加装电梯</mark>&amp;通知" == hit.title_html
    assert "&lt;b&gt;<mark>加装电梯</mark>&lt;/b&gt; &amp; 补贴" in hit.snippet_html
    assert str(hit.snippet_html).replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_suggest_lists_published_titles_close_to_what_is_typed(ctx):
    doc = publish("关于做好2024年度防汛防台工作的通知")
    make("关于做好2024年度防汛防台工作的通知（草稿）", status="draft")
    assert search.suggest("防汛防台") == [(doc.id, doc.title)]
    assert search.suggest("关于做好2024年防汛防台工作通知") == [(doc.id, doc.title)]
    assert search.suggest("火星探测") == []


def test_searcher_is_kept_until_the_index_changes(ctx):
    publish("第一份通知")
    search.query("通知")
    first = current_handle().searcher_obj
    search.query("通知")
    assert current_handle().searcher_obj is first
    publish("第二份通知")
    assert search.query("通知").total == 2 and current_handle().searcher_obj is not first


def test_threads_share_the_searcher_while_entries_are_published(app, ctx):
    for n in range(5):
        publish(f"网格巡查记录{n}")
    errors, totals = [], []

    def read():
        with app.app_context():
            try:
                for _ in range(15):
                    totals.append(search.query("网格巡查").total)
            except Exception as exc:  # the assertion below reports it
                errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n in range(5):
        publish(f"网格巡查补充记录{n}")
    for thread in threads:
        thread.join()
    assert not errors and len(totals) == 60 and set(totals) <= set(range(5, 11))
    assert search.query("网格巡查").total == 10


def test_rebuild_swaps_in_a_fresh_generation_and_keeps_the_one_before(ctx):
    docs = [make(f"文件{n}") for n in range(3)]
    make("未发布", status="draft")
    search.wait_idle(20)
    root = Path(current_handle().root)
    assert search.rebuild() == 3
    first = os.readlink(root / LINK)
    assert search.query("文件").total == 3
    assert search.rebuild() == 3
    assert os.readlink(root / LINK) != first and os.readlink(root / PREVIOUS) == first
    assert sorted(p.name for p in root.glob("gen-*")) == sorted([first, os.readlink(root / LINK)])
    assert {hit.doc_id for hit in search.query("文件").hits} == {d.id for d in docs}


def test_queries_during_a_rebuild_see_the_old_index(ctx, monkeypatch):
    for n in range(3):
        publish(f"旧索引里的文件{n}")
    seen = []
    original = search_repair._published_documents

    def slow_stream():
        for doc in original():
            seen.append(search.query("文件").total)
            yield doc

    monkeypatch.setattr(search_repair, "_published_documents", slow_stream)
    assert search.rebuild() == 3
    assert seen == [3, 3, 3]


def test_entries_published_during_a_rebuild_are_not_lost(ctx, monkeypatch):
    publish("重建前的文件")
    original = search_repair._published_documents
    late = []

    def stream_while_publishing():
        for doc in original():
            yield doc
        late.append(publish("重建期间发布的文件"))  # lands in the old generation

    monkeypatch.setattr(search_repair, "_published_documents", stream_while_publishing)
    search.rebuild()
    assert ids(search.query("重建期间")) == [late[0].id] and search.query("文件").total == 2


def _garbage_toc(gen: Path):
    for f in gen.glob("*.toc"):
        f.write_bytes(b"\x00garbage" * 10)


def _garbage_everywhere(gen: Path):
    for f in gen.iterdir():
        f.write_bytes(os.urandom(64))


def _truncated_segments(gen: Path):
    for f in gen.iterdir():
        if f.suffix != ".toc":
            f.write_bytes(f.read_bytes()[:20])


@pytest.mark.parametrize("damage", [
    _garbage_toc, _garbage_everywhere, _truncated_segments,
    lambda gen: shutil.rmtree(gen.parent), lambda gen: os.remove(gen.parent / LINK),
    lambda gen: [f.unlink() for f in gen.iterdir()],
], ids=["toc", "all-files", "segments", "directory-removed", "link-removed", "empty"])
def test_broken_index_is_rebuilt_from_the_database(ctx, caplog, damage):
    doc = publish("社区养老服务补贴办法")
    assert search.query("养老").total == 1
    handle = current_handle()
    handle.reset()  # as a process starting on a damaged disk would: no files already open
    damage(handle.root / os.readlink(handle.root / LINK))
    with caplog.at_level(logging.INFO):
        results = search.query("养老")
    assert ids(results) == [doc.id]
    assert "从数据库" in caplog.text  # an error when files are damaged, info when the folder is simply absent
    publish("新发布的养老通知")
    assert search.query("养老").total == 2


def test_index_with_an_older_schema_is_rebuilt(ctx):
    from whoosh import fields, index

    doc = make("结构升级后的条目")
    root = Path(current_handle().root)
    (root / "gen-old").mkdir(parents=True)
    index.create_in(str(root / "gen-old"), fields.Schema(id=fields.ID(stored=True), text=fields.TEXT))
    os.symlink("gen-old", root / LINK)
    assert ids(search.query("条目")) == [doc.id]
    assert os.readlink(root / LINK) != "gen-old"


def test_index_is_created_from_the_database_on_first_use(ctx):
    doc = make("已在数据库中的条目")
    assert ids(search.query("条目")) == [doc.id]


def test_writer_waits_for_another_writer_then_lands(ctx):
    publish("第一份公告")
    writer = current_handle().writer(timeout=1)
    releaser = threading.Timer(0.5, writer.commit)
    releaser.start()
    started = time.monotonic()
    publish("第二份公告")
    assert time.monotonic() - started >= 0.4
    releaser.join()
    assert search.query("公告").total == 2


def test_a_busy_writer_only_delays_a_change_it_is_applied_as_soon_as_the_writer_is_free(ctx, caplog):
    publish("第一份公告")
    ctx.config["SEARCH_WRITE_TIMEOUT"] = 0.2
    writer = current_handle().writer(timeout=1)
    try:
        with caplog.at_level(logging.INFO):
            make("第二份公告")  # the follower's passes give up on the lock after 0.2 s each, and retry
            assert not search.wait_idle(1)  # the change is still waiting, not dropped as done
        assert "稍后应用" in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert search.query("公告").total == 1
    finally:
        writer.cancel()
    assert search.wait_idle(20)  # the next pass after the writer let go applied it
    assert search.query("公告").total == 2


def _publish_in_another_process(config: dict, titles: list[str], year: int, barrier) -> None:
    """A separate process (its own app, follower and index handle) committing entries one by one."""
    app = create_app(config)
    with app.app_context():
        barrier.wait(timeout=60)
        for title in titles:
            make(title, year=year)  # its own year: its own 索引号 sequence
        search.catch_up()


def test_processes_sharing_an_index_folder_take_turns_and_every_change_lands(app, ctx):
    publish("先有的一份通知")
    batches = [[f"进程{p}的通知{n}" for n in range(8)] for p in range(2)]
    config = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "SECRET_KEY")}
    config |= {"TESTING": True, "SEARCH_WRITE_TIMEOUT": 30}
    mp = multiprocessing.get_context("spawn")
    barrier = mp.Barrier(2)
    workers = [mp.Process(target=_publish_in_another_process, args=(config, batch, 2010 + p, barrier))
               for p, batch in enumerate(batches)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    results = search.query("通知", per_page=100)
    assert results.total == 17
    assert {hit.title_html.striptags() for hit in results.hits} >= set(batches[0] + batches[1])


def test_reindex_command_prints_the_count_in_chinese(app, ctx):
    make("一")
    make("二")
    result = app.test_cli_runner().invoke(search.reindex_command)
    assert result.exit_code == 0 and "共 2 条" in result.output


@pytest.mark.parametrize("page", ["٣", "２", "²", "-1", "10" * 30])
def test_a_page_number_not_in_ascii_digits_gives_the_first_page(ctx, page):
    publish("一份公告")
    results = search.query("公告", page=page)
    assert results.page == 1 and results.total == 1
