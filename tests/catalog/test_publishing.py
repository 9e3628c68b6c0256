"""Publishing entries: who may take each step, the audit and history rows, and the public catalog and
search index following every step (draft → review → published → changed → 废止/失效 or withdrawn)."""
from datetime import date

import pytest
from sqlalchemy import select

from sqlalchemy import event

from portal import search
from portal.catalog import workflow
from portal.catalog.attachments import check_file, stored_path
from portal.catalog.rules import WorkflowError
from portal.core import audit
from portal.extensions import db
from portal.models import EDITOR, REVIEWER, AuditEntry, Document, Office, User
from portal.models.catalog import DocumentEvent
from tests.factories.catalog import ACTOR, docx_bytes, publish
from tests.factories.staff import make_user

TODAY = date(2026, 3, 10)
VALUES = {
    "title": "石泉路街道2026年社区微更新项目实施方案", "doc_number": "石办【2026】第007号",
    "publisher": "上海市普陀区石泉路街道办事处", "written_date": date(2026, 3, 2),
    "category": "城乡建设、环境保护\\城乡建设（含住房）", "doc_type": "通知", "validity": "有效",
    "repealed_date": None, "timeliness": "常年公开", "keywords": "微更新 社区",
    "summary": "社区微更新项目的实施安排。", "body": "各居民区：现将社区微更新项目实施方案印发给你们。",
}


def user(username: str, *roles: str) -> User:
    """A staff account, loaded in the current session."""
    return db.session.get(User, make_user(username, *roles).id)


@pytest.fixture
def people(ctx):
    """An editor, two reviewers, and someone holding both roles."""
    return {"editor": user("editor1", EDITOR), "reviewer": user("reviewer1", REVIEWER),
            "reviewer2": user("reviewer2", REVIEWER), "both": user("both1", EDITOR, REVIEWER)}


def found(word: str) -> list[int]:
    """Ids of the entries the public search finds for a word (once the index has followed the commits)."""
    assert search.wait_idle(20)
    return [hit.doc_id for hit in search.query(word).hits]


def public(client, doc_id: int) -> int:
    """The status code of the entry's public page."""
    return client.get(f"/documents/{doc_id}").status_code


def audit_actions(doc_id: int) -> list[tuple[str, str]]:
    """(action, actor) of the audit entries about an entry, oldest first."""
    rows = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "document",
                                                       AuditEntry.object_id == str(doc_id)).order_by(AuditEntry.id))
    return [(r.action, r.actor_name) for r in rows]


def drafted_and_submitted(people, **changes) -> Document:
    """An entry drafted and submitted by the editor."""
    doc = workflow.save_draft(VALUES | changes, [], people["editor"])
    return workflow.submit_for_review(doc, people["editor"])


def test_a_draft_is_neither_public_nor_searchable_nor_numbered(people, app):
    doc = workflow.save_draft(VALUES | {"body": "关于加装电梯的草稿"}, [], people["editor"])
    assert doc.status == "draft" and doc.index_number is None and doc.published_date is None
    assert doc.author_id == people["editor"].id
    assert public(app.test_client(), doc.id) == 404
    assert doc.id not in found("加装电梯")
    assert "微更新项目" not in app.test_client().get("/catalog").get_data(as_text=True)


def test_a_reviewer_who_is_not_the_author_publishes_and_residents_find_it(people, app):
    doc = drafted_and_submitted(people)
    assert public(app.test_client(), doc.id) == 404
    workflow.publish(doc, people["reviewer"], today=TODAY)
    assert doc.status == "published" and doc.published_date == TODAY and doc.reviewer_id == people["reviewer"].id
    assert doc.index_number == "000014349/2026-00001"
    assert doc.doc_number == "石办〔2026〕7号"
    assert public(app.test_client(), doc.id) == 200
    assert doc.id in found("微更新")


def test_the_author_may_not_publish_even_holding_the_reviewer_role(people):
    doc = workflow.save_draft(VALUES, [], people["both"])
    workflow.submit_for_review(doc, people["both"])
    with pytest.raises(WorkflowError, match="起草或修改过此信息的人不能审核发布"):
        workflow.publish(doc, people["both"], today=TODAY)
    assert db.session.get(Document, doc.id).status == "review"
    assert [a for a, _ in audit_actions(doc.id)] == ["document_draft", "document_submit"]
    workflow.publish(doc, people["reviewer"], today=TODAY)
    assert doc.status == "published"


def test_a_reviewer_who_edited_the_draft_counts_as_an_author(people):
    doc = workflow.save_draft(VALUES, [], people["editor"])
    workflow.update_draft(doc, VALUES | {"title": "改过的标题"}, [], people["both"])
    workflow.submit_for_review(doc, people["editor"])
    with pytest.raises(WorkflowError, match="不能审核发布"):
        workflow.publish(doc, people["both"])
    workflow.publish(doc, people["reviewer"])


def test_an_editor_may_not_publish_while_review_is_required(people):
    doc = workflow.save_draft(VALUES, [], people["editor"])
    with pytest.raises(WorkflowError, match="只有审核可以发布"):
        workflow.publish(doc, people["editor"])
    with pytest.raises(WorkflowError, match="请先提交审核"):
        workflow.publish(doc, people["reviewer"])


def test_with_review_turned_off_an_editor_publishes_their_own_draft(people, app):
    Office.ensure().review_required = False
    db.session.commit()
    doc = workflow.save_draft(VALUES, [], people["editor"])
    with pytest.raises(WorkflowError, match="已关闭发布审核"):
        workflow.submit_for_review(doc, people["editor"])
    workflow.publish(doc, people["editor"], today=TODAY)
    assert doc.status == "published" and public(app.test_client(), doc.id) == 200


def test_only_reviewers_change_repeal_or_withdraw_published_entries(people):
    doc = drafted_and_submitted(people)
    workflow.publish(doc, people["reviewer"], today=TODAY)
    for step in (lambda: workflow.change_published(doc, VALUES, [], people["editor"]),
                 lambda: workflow.repeal(doc, people["editor"], TODAY),
                 lambda: workflow.withdraw(doc, people["editor"], "错发")):
        with pytest.raises(WorkflowError, match="只有审核"):
            step()
    with pytest.raises(WorkflowError, match="只有草稿"):
        workflow.update_draft(doc, VALUES, [], people["editor"])


def test_a_change_republishes_with_todays_date_and_keeps_both_dates_in_history(people, app):
    doc = drafted_and_submitted(people)
    workflow.publish(doc, people["reviewer"], today=TODAY)
    number = doc.index_number
    workflow.change_published(doc, VALUES | {"body": "补充：增加口袋公园改造。"}, [], people["reviewer2"],
                              today=date(2026, 4, 8))
    assert doc.status == "published" and doc.published_date == date(2026, 4, 8)
    assert doc.index_number == number  # the 索引号 is kept across changes
    publications = [(e.action, e.published_date, e.actor_name) for e in doc.events if e.published_date]
    assert publications == [("published", TODAY, "reviewer1"), ("changed", date(2026, 4, 8), "reviewer2")]
    assert "原发布日期 2026-03-10" in doc.events[-1].note
    assert "口袋公园" in doc.events[-1].snapshot and "口袋公园" not in doc.events[-2].snapshot
    assert "2026-04-08" in app.test_client().get(f"/documents/{doc.id}").get_data(as_text=True)
    assert doc.id in found("口袋公园")


def test_repeal_and_expiry_keep_the_entry_public_and_labelled(people, app):
    doc = drafted_and_submitted(people)
    workflow.publish(doc, people["reviewer"], today=TODAY)
    workflow.repeal(doc, people["reviewer"], date(2026, 6, 1), "被石办〔2026〕12号废止")
    assert doc.validity == "废止" and doc.repealed_date == date(2026, 6, 1) and doc.published_date == TODAY
    page = app.test_client().get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "废止日期：2026-06-01" in page
    with pytest.raises(WorkflowError, match="已经废止"):
        workflow.repeal(doc, people["reviewer"], date(2026, 6, 2))
    other = drafted_and_submitted(people, title="石泉路街道2026年春节期间值班安排", doc_number="石办〔2026〕8号")
    workflow.publish(other, people["reviewer"], today=TODAY)
    workflow.mark_expired(other, people["reviewer"], "春节已过")
    assert other.validity == "失效" and public(app.test_client(), other.id) == 200


def test_a_withdrawn_entry_leaves_the_catalog_and_the_index(people, app):
    doc = drafted_and_submitted(people)
    workflow.publish(doc, people["reviewer"], today=TODAY)
    assert doc.id in found("微更新")
    with pytest.raises(WorkflowError, match="撤回原因"):
        workflow.withdraw(doc, people["reviewer"], " ")
    workflow.withdraw(doc, people["reviewer"], "内容有误，需重新起草")
    assert doc.status == "withdrawn" and doc.withdrawn_at is not None
    assert public(app.test_client(), doc.id) == 404
    assert doc.id not in found("微更新")
    assert "微更新项目" not in app.test_client().get("/catalog").get_data(as_text=True)


def test_every_step_writes_an_audit_entry_and_a_history_row_by_its_actor(people):
    doc = workflow.save_draft(VALUES, [], people["editor"])
    workflow.update_draft(doc, VALUES | {"keywords": "微更新"}, [], people["editor"])
    workflow.submit_for_review(doc, people["editor"])
    workflow.return_to_draft(doc, people["reviewer"], "请补充内容概述")
    workflow.submit_for_review(doc, people["editor"])
    workflow.publish(doc, people["reviewer"], today=TODAY)
    workflow.change_published(doc, VALUES, [], people["reviewer"], today=TODAY)
    workflow.mark_expired(doc, people["reviewer"])
    workflow.repeal(doc, people["reviewer"], TODAY)
    workflow.withdraw(doc, people["reviewer"], "错发")
    assert audit_actions(doc.id) == [
        ("document_draft", "editor1"), ("document_edit", "editor1"), ("document_submit", "editor1"),
        ("document_return", "reviewer1"), ("document_submit", "editor1"), ("document_publish", "reviewer1"),
        ("document_change", "reviewer1"), ("document_expire", "reviewer1"), ("document_repeal", "reviewer1"),
        ("document_withdraw", "reviewer1"),
    ]
    assert [e.action for e in doc.events] == [
        "drafted", "edited", "submitted", "returned", "submitted", "published", "changed", "expired",
        "repealed", "withdrawn"]
    assert doc.events[3].note == "请补充内容概述"
    edit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "document_edit")).one()
    assert '"keywords": "微更新"' in edit.after and "title" not in edit.after  # only what changed


def test_a_doc_number_the_same_publisher_already_used_is_refused_until_that_entry_is_withdrawn(people):
    first = drafted_and_submitted(people)
    workflow.publish(first, people["reviewer"], today=TODAY)
    named = f"已有信息“{VALUES['title']}”（索引号 {first.index_number}）"
    with pytest.raises(WorkflowError, match=named):
        workflow.save_draft(VALUES | {"title": "另一份方案", "doc_number": "石办〔2026〕7号"}, [], people["editor"])
    other = workflow.save_draft(VALUES | {"title": "另一份方案", "doc_number": "石办〔2026〕8号"}, [], people["editor"])
    with pytest.raises(WorkflowError, match=named):
        workflow.update_draft(other, VALUES | {"title": "另一份方案", "doc_number": "石办[2026]第7号"}, [],
                              people["editor"])
    with pytest.raises(WorkflowError, match="（草稿，尚无索引号）"):
        workflow.change_published(first, VALUES | {"doc_number": "石办〔2026〕8号"}, [], people["reviewer"], today=TODAY)
    district = workflow.save_draft(VALUES | {"publisher": "上海市普陀区人民政府办公室"}, [], people["editor"])
    assert district.doc_number == first.doc_number  # another publisher's number is another document
    workflow.withdraw(first, people["reviewer"], "错发")
    again = workflow.save_draft(VALUES | {"title": "重新起草的方案"}, [], people["editor"])
    assert again.doc_number == "石办〔2026〕7号"
    assert db.session.scalar(select(Document).filter_by(title="另一份方案")).doc_number == "石办〔2026〕8号"


def test_publishing_an_entry_whose_doc_number_an_older_entry_already_has_is_refused(people):
    draft = drafted_and_submitted(people)
    # An import line names its entry by 索引号, so it may bring in an older entry with the same number.
    publish(title="历史数据中的同号文件", doc_number="石办〔2026〕7号", publisher=VALUES["publisher"],
            index_number="000014349/2026-00099", published_date=TODAY)
    with pytest.raises(WorkflowError, match="“历史数据中的同号文件”（索引号 000014349/2026-00099）"):
        workflow.publish(draft, people["reviewer"], today=TODAY)
    assert db.session.get(Document, draft.id).status == "review"


def test_a_form_opened_before_someone_elses_step_is_refused(people):
    doc = workflow.save_draft(VALUES, [], people["editor"])
    seen = doc.version
    workflow.update_draft(doc, VALUES | {"title": "别人先改了"}, [], people["editor"], version=seen)
    with pytest.raises(WorkflowError, match="已被他人修改"):
        workflow.update_draft(doc, VALUES, [], people["editor"], version=seen)
    assert db.session.get(Document, doc.id).title == "别人先改了"


def test_text_that_only_the_attachment_contains_is_searchable_once_published(people, app):
    checked = check_file("方案附件.docx", docx_bytes("附件：螺蛳湾步道改造清单"))
    doc = workflow.save_draft(VALUES, [checked], people["editor"])
    stored = stored_path(doc.attachments[0].stored_name)
    assert stored.is_file() and "static" not in stored.parts and stored.suffix == ".docx"
    assert doc.id not in found("螺蛳湾")
    workflow.submit_for_review(doc, people["editor"])
    workflow.publish(doc, people["reviewer"], today=TODAY)
    assert found("螺蛳湾") == [doc.id]


def test_deleting_an_attachment_of_a_published_entry_republishes_it_without_the_text(people):
    checked = check_file("清单.txt", "螺蛳湾步道改造清单".encode())
    doc = workflow.save_draft(VALUES, [checked], people["editor"])
    workflow.submit_for_review(doc, people["editor"])
    workflow.publish(doc, people["reviewer"], today=TODAY)
    attachment = doc.attachments[0]
    path = stored_path(attachment.stored_name)
    with pytest.raises(WorkflowError, match="只有审核"):
        workflow.delete_attachment(doc, attachment, people["editor"])
    workflow.delete_attachment(doc, attachment, people["reviewer"], today=date(2026, 3, 12))
    assert doc.attachments == [] and not path.exists()
    assert doc.published_date == date(2026, 3, 12) and doc.events[-1].action == "changed"
    assert "删除附件“清单.txt”" in doc.events[-1].note
    assert found("螺蛳湾") == []


def test_an_editor_removes_an_attachment_from_a_draft(people):
    doc = workflow.save_draft(VALUES, [check_file("a.txt", "甲".encode())], people["editor"])
    workflow.delete_attachment(doc, doc.attachments[0], people["editor"])
    assert doc.attachments == [] and doc.events[-1].action == "attachment_removed"
    assert db.session.scalars(select(DocumentEvent).where(DocumentEvent.document_id == doc.id)).all()


def test_a_step_that_fails_half_way_leaves_no_row_and_no_file_behind(people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        workflow.save_draft(VALUES, [check_file("a.txt", "甲".encode())], people["editor"])
    assert db.session.scalars(select(Document)).all() == []
    assert list(stored_path("x").parent.iterdir()) == []


def test_an_upload_whose_commit_fails_leaves_no_file_behind(people):
    doc = workflow.save_draft(VALUES, [check_file("a.txt", "甲".encode())], people["editor"])
    kept = stored_path(doc.attachments[0].stored_name)

    def refuse(session):
        raise RuntimeError("could not commit")

    event.listen(db.session, "before_commit", refuse)
    try:
        with pytest.raises(RuntimeError):
            workflow.update_draft(doc, VALUES, [check_file("b.txt", "乙".encode())], people["editor"])
    finally:
        event.remove(db.session, "before_commit", refuse)
    assert list(kept.parent.iterdir()) == [kept]
    assert [a.filename for a in db.session.get(Document, doc.id).attachments] == ["a.txt"]


def test_a_deleted_attachment_keeps_its_file_until_the_deletion_commits(people, monkeypatch):
    doc = workflow.save_draft(VALUES, [check_file("a.txt", "甲".encode())], people["editor"])
    attachment = doc.attachments[0]
    path = stored_path(attachment.stored_name)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        workflow.delete_attachment(doc, attachment, people["editor"])
    assert path.is_file() and len(db.session.get(Document, doc.id).attachments) == 1
    monkeypatch.undo()
    workflow.delete_attachment(doc, db.session.get(Document, doc.id).attachments[0], people["editor"])
    assert not path.exists()


def test_test_data_is_published_through_the_same_path_with_its_history_and_audit_rows(ctx):
    doc = publish(title="测试数据条目", published_date=date(2024, 3, 5))
    assert [(e.action, e.actor_name, e.published_date) for e in doc.events] == [
        ("imported", ACTOR, date(2024, 3, 5))]
    assert audit_actions(doc.id) == [("document_import", ACTOR)]
    assert doc.id in found("测试数据条目")
