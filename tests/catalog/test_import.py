"""Importing a catalog: formats, line-level errors, all-or-nothing, idempotence, attachments, and the
history and audit rows every imported entry gets."""
import json

import pytest
from sqlalchemy import event, func, select

from portal.accounts.cli import CLI_ACTOR as ACTOR
from portal.catalog import workflow
from portal.catalog.attachments import upload_dir
from portal.catalog.importer import import_file
from portal.core import audit
from portal.core.audit import ACTION_LABELS
from portal.extensions import db
from portal.models import EDITOR, REVIEWER, AuditEntry, Document, User
from tests.factories.catalog import draft
from tests.factories.staff import make_user

GOOD = {
    "title": "关于加装电梯补贴的通知", "doc_number": "石办[2024]6号", "publisher": "石泉路街道办事处",
    "written_date": "2024-03-11", "published_date": "2024-03-18", "category": "城乡建设、环境保护\\城乡建设（含住房）",
    "doc_type": "通知", "validity": "有效", "summary": "补贴标准", "body": "正文", "keywords": "加装电梯",
}
CSV_HEADER = "title,doc_number,publisher,written_date,published_date,category,doc_type,validity,summary,body,keywords\n"


def write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def count():
    return db.session.scalar(select(func.count()).select_from(Document))


def test_jsonl_import_creates_entries_with_generated_index_number(ctx, tmp_path):
    report = import_file(write_jsonl(tmp_path / "c.jsonl", [GOOD]), actor=ACTOR)
    assert report.committed and report.created == 1
    doc = db.session.scalar(select(Document))
    assert doc.index_number == "000014349/2024-00001"
    assert doc.doc_number == "石办〔2024〕6号"


def test_index_numbers_are_sequential_per_year(ctx, tmp_path):
    records = [GOOD | {"doc_number": f"石办〔2024〕{n}号"} for n in (1, 2)] + [
        GOOD | {"doc_number": "石办〔2025〕1号", "written_date": "2025-01-05", "published_date": "2025-01-06"}]
    import_file(write_jsonl(tmp_path / "c.jsonl", records), actor=ACTOR)
    numbers = sorted(db.session.scalars(select(Document.index_number)))
    assert numbers == ["000014349/2024-00001", "000014349/2024-00002", "000014349/2025-00001"]


def test_given_index_number_is_kept(ctx, tmp_path):
    import_file(write_jsonl(tmp_path / "c.jsonl", [GOOD | {"index_number": "000014349/2017-00110"}]), actor=ACTOR)
    assert db.session.scalar(select(Document.index_number)) == "000014349/2017-00110"


def test_excel_csv_with_bom_imports(ctx, tmp_path):
    row = ",".join(f'"{GOOD[k]}"' for k in CSV_HEADER.strip().split(","))
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeff".encode() + (CSV_HEADER + row + "\n").encode("utf-8"))
    report = import_file(path, actor=ACTOR)
    assert report.committed and report.created == 1
    assert db.session.scalar(select(Document.title)) == GOOD["title"]


def test_csv_with_chinese_headings_imports(ctx, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("名称,发文字号,发布机构,发布日期\n通知一,石办〔2024〕9号,石泉路街道办事处,2024-05-01\n", encoding="utf-8")
    assert import_file(path, actor=ACTOR).created == 1


def test_bad_line_is_reported_with_line_field_and_reason_and_nothing_is_imported(ctx, tmp_path):
    records = [GOOD, GOOD | {"doc_number": "石办〔2024〕7号", "published_date": "2024-02-30"}, GOOD | {"title": ""}]
    report = import_file(write_jsonl(tmp_path / "c.jsonl", records), actor=ACTOR)
    assert not report.committed
    messages = [str(e) for e in report.errors]
    assert "第 2 行，发布日期（published_date）：日期“2024-02-30”无效，应为 YYYY-MM-DD 格式的真实日期" in messages
    assert "第 3 行，名称（title）：不能为空" in messages
    assert count() == 0


def test_csv_error_line_is_the_physical_line_even_after_multiline_cells(ctx, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(
        "title,publisher,published_date,body\n"
        '通知一,街道,2024-01-02,"第一段\n第二段"\n'
        "通知二,街道,2024-13-01,正文\n", encoding="utf-8")
    report = import_file(path, actor=ACTOR)
    assert [(e.line, e.field) for e in report.errors] == [(4, "published_date")]


def test_skip_invalid_imports_the_good_lines(ctx, tmp_path):
    records = [GOOD, GOOD | {"doc_number": "石办〔2024〕8号", "category": "不存在的分类"}]
    report = import_file(write_jsonl(tmp_path / "c.jsonl", records), skip_invalid=True, actor=ACTOR)
    assert report.committed and report.created == 1 and report.skipped == 1
    assert count() == 1


def test_importing_the_same_file_twice_does_not_duplicate(ctx, tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [GOOD, GOOD | {"doc_number": "", "title": "无文号的公告"}])
    import_file(path, actor=ACTOR)
    second = import_file(path, actor=ACTOR)
    assert second.created == 0 and second.updated == 2
    assert count() == 2


def test_reimport_updates_fields_of_the_same_entry(ctx, tmp_path):
    import_file(write_jsonl(tmp_path / "a.jsonl", [GOOD]), actor=ACTOR)
    import_file(write_jsonl(tmp_path / "b.jsonl", [GOOD | {"doc_number": "石办【2024】第006号", "validity": "废止",
                                                           "repealed_date": "2025-01-01"}]), actor=ACTOR)
    doc = db.session.scalar(select(Document))
    assert count() == 1 and doc.validity == "废止" and str(doc.repealed_date) == "2025-01-01"


def test_repealed_entry_needs_a_repeal_date(ctx, tmp_path):
    report = import_file(write_jsonl(tmp_path / "c.jsonl", [GOOD | {"validity": "废止", "repealed_date": ""}]),
                         actor=ACTOR)
    assert [(e.field, e.reason) for e in report.errors] == [("repealed_date", "已废止的文件须填写废止日期")]


def test_attachment_paths_are_relative_to_the_file_and_their_text_is_extracted(ctx, tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "说明.txt").write_text("附件里才有的词：梧桐树养护", encoding="utf-8")
    import_file(write_jsonl(tmp_path / "c.jsonl", [GOOD | {"attachments": ["files/说明.txt"]}]), actor=ACTOR)
    attachment = db.session.scalar(select(Document)).attachments[0]
    assert attachment.filename == "说明.txt" and "梧桐树养护" in attachment.text


def test_missing_or_escaping_attachment_is_an_error(ctx, tmp_path):
    records = [GOOD | {"attachments": ["../etc/passwd", "无.pdf"]}]
    report = import_file(write_jsonl(tmp_path / "c.jsonl", records), actor=ACTOR)
    assert not report.committed
    assert {e.reason for e in report.errors} == {"找不到附件文件“../etc/passwd”", "找不到附件文件“无.pdf”"}


def test_attachment_whose_content_does_not_match_its_extension_is_refused(ctx, tmp_path):
    (tmp_path / "fake.pdf").write_bytes(b"MZ\x90\x00 this is not a pdf")
    report = import_file(write_jsonl(tmp_path / "c.jsonl", [GOOD | {"attachments": "fake.pdf"}]), actor=ACTOR)
    assert report.errors[0].reason == "附件“fake.pdf”的内容与扩展名 .pdf 不符，已拒收。"


def test_file_that_is_not_utf8_gets_a_clear_message(ctx, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes((CSV_HEADER + "通知,,街道,,2024-01-01,,,,,,\n").encode("gbk"))
    try:
        import_file(path, actor=ACTOR)
    except ValueError as exc:
        assert "UTF-8" in str(exc)
    else:
        raise AssertionError("a GBK file must be refused with a message")


def test_cli_reports_errors_in_chinese_and_exits_non_zero(runner, tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [GOOD | {"published_date": "昨天"}])
    result = runner.invoke(args=["import-documents", str(path)])
    assert result.exit_code != 0
    assert "第 1 行，发布日期（published_date）" in result.output
    assert "未导入任何条目" in result.output


def test_cli_import_prints_counts(runner, tmp_path):
    result = runner.invoke(args=["import-documents", str(write_jsonl(tmp_path / "c.jsonl", [GOOD]))])
    assert result.exit_code == 0, result.output
    assert "新增 1 条" in result.output


def test_import_never_publishes_over_a_draft_or_a_withdrawn_entry(ctx, tmp_path):
    editor = db.session.get(User, make_user("editor1", EDITOR).id)
    reviewer = db.session.get(User, make_user("reviewer1", REVIEWER).id)
    for status in ("draft", "withdrawn"):
        number = f"石办〔2024〕{40 + len(status)}号"
        doc = draft(editor, title=f"{status}条目", doc_number=number, publisher=GOOD["publisher"])
        if status == "withdrawn":
            workflow.publish(workflow.submit_for_review(doc, editor), reviewer)
            workflow.withdraw(doc, reviewer, "错发")
        report = import_file(write_jsonl(tmp_path / f"{status}.jsonl", [GOOD | {"doc_number": number}]), actor=ACTOR)
        assert not report.committed
        assert report.errors[0].field == "doc_number" and "导入不会覆盖未发布的信息" in report.errors[0].reason
        assert db.session.scalar(select(Document).filter_by(doc_number=number)).status == status


def history(doc: Document) -> list[tuple[str, str]]:
    """(action, actor) of an entry's history rows and of its audit rows, oldest first."""
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "document",
                                                       AuditEntry.object_id == str(doc.id)).order_by(AuditEntry.id))
    return [(e.action, e.actor_name) for e in doc.events] + [(r.action, r.actor_name) for r in rows]


def test_every_imported_entry_has_its_history_row_and_audit_row_by_whoever_imported_it(ctx, tmp_path):
    import_file(write_jsonl(tmp_path / "a.jsonl", [GOOD]), actor=ACTOR)
    doc = db.session.scalar(select(Document))
    assert history(doc) == [("imported", ACTOR), ("document_import", ACTOR)]
    assert doc.events[0].published_date == doc.published_date and "关于加装电梯补贴的通知" in doc.events[0].snapshot
    assert ACTION_LABELS["document_import"] == "导入信息" and workflow.EVENT_LABELS["imported"] == "导入"
    import_file(write_jsonl(tmp_path / "a.jsonl", [GOOD]), actor=ACTOR)
    assert len(history(doc)) == 2  # the same line again changes nothing and records nothing
    import_file(write_jsonl(tmp_path / "b.jsonl", [GOOD | {"keywords": "加装电梯 补贴"}]), actor="王编辑")
    assert history(doc) == [("imported", ACTOR), ("imported", "王编辑"),
                            ("document_import", ACTOR), ("document_import", "王编辑")]
    update = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (update.action, update.actor_name) == ("document_import", "王编辑")
    assert audit.loads(update.after) == {"keywords": "加装电梯 补贴"}  # only what changed


def failing_on_the_second_entry(monkeypatch, stored: list):
    """The database goes away while the second entry is written (after the files of both were stored)."""
    real, calls = audit.record, []

    def record(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            stored.extend(upload_dir().iterdir())
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record)
    return None


def failing_at_commit(monkeypatch, stored: list):
    """The commit itself fails, after every entry and file was written; returns how to stop failing."""
    def refuse(session):
        if not session.in_nested_transaction():  # a savepoint (numbering) may commit
            stored.extend(upload_dir().iterdir())
            raise RuntimeError("could not commit")

    event.listen(db.session, "before_commit", refuse)
    return lambda: event.remove(db.session, "before_commit", refuse)


@pytest.mark.parametrize("failure", [failing_on_the_second_entry, failing_at_commit])
def test_a_failed_import_leaves_no_entry_and_no_attachment_file(ctx, tmp_path, monkeypatch, failure):
    for name in ("甲.txt", "乙.txt", "丙.txt"):
        (tmp_path / name).write_text(f"附件{name}", encoding="utf-8")
    records = [GOOD | {"attachments": ["甲.txt", "乙.txt"]},
               GOOD | {"doc_number": "石办〔2024〕7号", "title": "第二份通知", "attachments": ["丙.txt"]}]
    before, stored = set(upload_dir().iterdir()), []
    undo = failure(monkeypatch, stored)
    try:
        with pytest.raises(RuntimeError):
            import_file(write_jsonl(tmp_path / "c.jsonl", records), actor=ACTOR)
    finally:
        if undo:
            undo()
    assert len(stored) == 3  # all three files were on disk when it failed
    assert count() == 0 and db.session.scalars(select(AuditEntry)).all() == []
    assert set(upload_dir().iterdir()) == before
