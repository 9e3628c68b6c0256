"""Links between entries (解读, 废止, 相关): set by staff on the entry page, shown on both public pages and in
the API only while the other entry is published, named by 索引号 or 文号 in an import file."""
import json
from datetime import date

from sqlalchemy import select

from portal.accounts.cli import CLI_ACTOR
from portal.catalog import relations, workflow
from portal.catalog.importer import import_file
from portal.extensions import db
from portal.models import EDITOR, REVIEWER, AuditEntry, Document, DocumentRelation, User
from tests.factories.catalog import draft, publish
from tests.factories.staff import login, signed_in


def text(response) -> str:
    """The decoded body."""
    return response.get_data(as_text=True)


def two_entries(app) -> tuple[int, int, str, str]:
    """An original notice and its 解读, both published: their ids and 索引号."""
    with app.app_context():
        original = publish(title="关于加装电梯补贴的通知", doc_number="石办〔2024〕6号")
        reading = publish(title="《关于加装电梯补贴的通知》政策解读", doc_type="其他", doc_number="")
        return original.id, reading.id, original.index_number, reading.index_number


def draft_id(app) -> int:
    """A draft by a fresh 编辑, for pages that show the entry form."""
    with app.app_context():
        author = db.session.scalar(select(User).where(User.username == "ed"))
        return draft(author, title="待关联的草稿").id


def relate(client, doc_id: int, role: str, reference: str):
    """Submit the 添加关联 form of an entry's staff page."""
    return client.post(f"/admin/entries/{doc_id}/relations",
                       data={"relation-role": role, "relation-reference": reference})


def test_a_reviewer_links_a_reading_to_its_original_and_both_public_pages_name_the_other(app, staff, client):
    original, reading, original_index, _ = two_entries(app)
    reviewer = signed_in(app, "rev", REVIEWER)
    assert relate(reviewer, reading, "interprets", original_index).status_code == 303

    on_original = text(client.get(f"/documents/{original}"))
    assert "本文件的解读：" in on_original and f'href="/documents/{reading}"' in on_original
    on_reading = text(client.get(f"/documents/{reading}"))
    assert "解读的原文：" in on_reading and f'href="/documents/{original}"' in on_reading
    with app.app_context():
        row = db.session.scalars(select(DocumentRelation)).one()
        assert (row.source_id, row.target_id, row.kind) == (reading, original, "解读")
        audited = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "document_relate")).one()
        assert audited.object_id == str(reading) and "解读的原文" in audited.summary
        assert db.session.get(Document, reading).events[-1].action == "related"
        # the original's public page changed too: its history says so
        assert db.session.get(Document, original).events[-1].note.startswith("本文件的解读：《")


def test_a_repealed_entry_says_which_entry_repealed_it_and_the_repealing_one_names_it(app, staff, client):
    with app.app_context():
        old = publish(title="旧办法", doc_number="石办〔2020〕1号", validity="废止",
                      repealed_date=date(2024, 3, 5))
        new = publish(title="新办法", doc_number="石办〔2024〕9号")
        old_id, new_id = old.id, new.id
    reviewer = signed_in(app, "rev", REVIEWER)
    # the 废止 entry's page: 「本信息已被所选信息废止」, naming the new one by its 文号 as typed with [ ]
    assert relate(reviewer, old_id, "repealed_by", "石办[2024]9号").status_code == 303
    assert f'已被<a href="/documents/{new_id}">《新办法》</a>废止' in text(client.get(f"/documents/{old_id}"))
    assert "本文件废止了：" in text(client.get(f"/documents/{new_id}"))


def test_related_entries_name_each_other_the_same_way(app, staff, client):
    a, b, _, b_index = two_entries(app)
    relate(signed_in(app, "rev", REVIEWER), a, "related", b_index)
    assert "相关信息：" in text(client.get(f"/documents/{a}")) and "相关信息：" in text(client.get(f"/documents/{b}"))


def test_a_link_to_an_unpublished_entry_is_hidden_from_residents_but_shown_to_staff(app, staff, client):
    with app.app_context():
        original = publish(title="关于加装电梯补贴的通知", doc_number="石办〔2024〕6号")
        original_id = original.id
    author = staff("ed", EDITOR)
    with app.app_context():
        reading = draft(db.session.get(User, author.id), title="政策解读（草稿）", doc_number="石办〔2024〕7号")
        reading_id = reading.id
    editor = app.test_client()
    login(editor, "ed")
    assert relate(editor, reading_id, "interprets", "石办〔2024〕6号").status_code == 303

    public = text(client.get(f"/documents/{original_id}"))
    assert "政策解读（草稿）" not in public and "关联信息" not in public
    api = client.get(f"/api/documents/{original_id}").get_json()
    assert api["relations"] == []
    staff_page = text(editor.get(f"/admin/entries/{reading_id}"))
    assert "解读的原文：" in staff_page and "关于加装电梯补贴的通知" in staff_page

    # withdrawing a published entry hides its links again
    with app.app_context():
        reviewer = staff("rev", REVIEWER)
        rev = db.session.get(User, reviewer.id)
        doc = db.session.get(Document, reading_id)
        workflow.submit_for_review(doc, db.session.get(User, doc.author_id))
        workflow.publish(doc, rev)
    assert "政策解读（草稿）" in text(client.get(f"/documents/{original_id}"))
    with app.app_context():
        workflow.withdraw(db.session.get(Document, reading_id), db.session.get(User, reviewer.id), "误发")
    assert "政策解读（草稿）" not in text(client.get(f"/documents/{original_id}"))


def test_the_api_lists_each_entrys_links_with_role_label_and_address(app, staff, client):
    original, reading, original_index, reading_index = two_entries(app)
    relate(signed_in(app, "rev", REVIEWER), reading, "interprets", original_index)
    one = client.get(f"/api/documents/{original}").get_json()
    assert one["relations"] == [{
        "role": "interpreted_by", "label": "本文件的解读", "kind": "解读", "id": reading,
        "index_number": reading_index, "title": "《关于加装电梯补贴的通知》政策解读",
        "url": f"http://localhost/documents/{reading}", "api_url": f"http://localhost/api/documents/{reading}"}]
    listed = {item["id"]: item["relations"] for item in client.get("/api/documents").get_json()["items"]}
    assert [r["role"] for r in listed[reading]] == ["interprets"]


def test_staff_cannot_link_an_entry_to_itself_twice_or_to_nothing(app, staff):
    original, reading, original_index, reading_index = two_entries(app)
    reviewer = signed_in(app, "rev", REVIEWER)
    itself = relate(reviewer, original, "related", original_index)
    assert itself.status_code == 422 and "不能把信息与它自身关联" in text(itself)
    assert relate(reviewer, reading, "interprets", original_index).status_code == 303
    # the same pair the other way round, with another kind, is still a second link
    twice = relate(reviewer, original, "related", reading_index)
    assert twice.status_code == 422 and "这两条信息已经关联" in text(twice)
    missing = relate(reviewer, original, "related", "000014349/2099-99999")
    assert missing.status_code == 422 and "找不到索引号或发文字号为“000014349/2099-99999”的信息" in text(missing)
    assert 'value="000014349/2099-99999"' in text(missing)  # what was typed is kept
    with app.app_context():
        assert sorted(relations.ROLE_CHOICES) == sorted(relations.ROLES)
    # a draft's page also carries the entry form: it still shows the entry, not the refused link's empty POST
    editor_page = relate(signed_in(app, "ed", EDITOR), draft_id(app), "related", "000014349/2099-99999")
    assert editor_page.status_code == 422 and 'value="待关联的草稿"' in text(editor_page)
    no_kind = relate(reviewer, original, "", reading_index)
    assert no_kind.status_code == 422 and "请选择关联类型" in text(no_kind)
    with app.app_context():
        assert len(db.session.scalars(select(DocumentRelation)).all()) == 1


def test_an_entry_still_in_force_cannot_be_shown_as_repealed(app, staff, client):
    # 「已被《…》废止」 beside 有效性：有效 would tell residents something false: the 废止 comes first.
    with app.app_context():
        old = publish(title="旧办法", doc_number="石办〔2020〕1号")
        new = publish(title="新办法", doc_number="石办〔2024〕9号")
        old_id, new_id = old.id, new.id
    reviewer = signed_in(app, "rev", REVIEWER)
    for doc_id, role, reference in ((old_id, "repealed_by", "石办〔2024〕9号"), (new_id, "repeals", "石办〔2020〕1号")):
        refused = relate(reviewer, doc_id, role, reference)
        assert refused.status_code == 422 and "只有有效性为“废止”的信息才能关联废止它的文件" in text(refused)
    assert "已被" not in text(client.get(f"/documents/{old_id}"))


def test_links_follow_the_rules_of_editing_the_entry(app, staff):
    # A draft: its 编辑, not a 审核 alone; waiting for review: nobody (what the 审核 approves stays as it was).
    _, _, original_index, _ = two_entries(app)
    editor = signed_in(app, "ed", EDITOR)
    reviewer = signed_in(app, "rev", REVIEWER)
    doc_id = draft_id(app)
    refused = relate(reviewer, doc_id, "related", original_index)
    assert refused.status_code == 422 and "只有编辑可以修改或提交草稿" in text(refused)
    assert relate(editor, doc_id, "related", original_index).status_code == 303
    with app.app_context():
        author = db.session.scalar(select(User).where(User.username == "ed"))
        workflow.submit_for_review(db.session.get(Document, doc_id), author)
    for client in (editor, reviewer):
        refused = relate(client, doc_id, "interprets", original_index)
        assert refused.status_code == 422 and "待审核的信息不能修改关联" in text(refused)


def test_only_a_reviewer_changes_the_links_of_a_published_entry(app, staff):
    original, reading, original_index, _ = two_entries(app)
    editor = signed_in(app, "ed", EDITOR)
    refused = relate(editor, reading, "interprets", original_index)
    assert refused.status_code == 422 and "只有审核可以修改已发布信息的关联" in text(refused)
    assert "只有审核可以修改已发布信息的关联" in text(editor.get(f"/admin/entries/{reading}"))


def test_removing_a_link_takes_it_off_both_pages_and_is_audited(app, staff, client):
    original, reading, original_index, _ = two_entries(app)
    reviewer = signed_in(app, "rev", REVIEWER)
    relate(reviewer, reading, "interprets", original_index)
    with app.app_context():
        relation_id = db.session.scalars(select(DocumentRelation)).one().id
    # removed from the other end's page: either entry may drop the link
    assert reviewer.post(f"/admin/entries/{original}/relations/{relation_id}/delete").status_code == 303
    assert "本文件的解读" not in text(client.get(f"/documents/{original}"))
    assert "解读的原文" not in text(client.get(f"/documents/{reading}"))
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "document_unrelate")).one()
    again = reviewer.post(f"/admin/entries/{original}/relations/{relation_id}/delete", follow_redirects=True)
    assert "此关联不存在或已被取消" in text(again)


def write_jsonl(path, records):
    """One JSON object per line."""
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


LINE = {"title": "关于加装电梯补贴的通知", "doc_number": "石办[2024]6号", "publisher": "石泉路街道办事处",
        "written_date": "2024-03-11", "published_date": "2024-03-18", "category": "城乡建设、环境保护\\城乡建设（含住房）",
        "doc_type": "通知"}


def test_an_import_line_names_its_original_by_the_number_of_a_line_in_the_same_file(ctx, tmp_path):
    reading = LINE | {"title": "加装电梯补贴政策解读", "doc_number": "", "doc_type": "其他", "解读的原文": "石办〔2024〕6号"}
    report = import_file(write_jsonl(tmp_path / "c.jsonl", [reading, LINE]), actor=CLI_ACTOR)
    assert report.committed, [str(e) for e in report.errors]
    original = db.session.scalar(select(Document).where(Document.doc_number == "石办〔2024〕6号"))
    assert [(link.role, link.other.title) for link in relations.links_of(original)] == [
        ("interpreted_by", "加装电梯补贴政策解读")]
    # importing the same file again links nothing twice
    assert import_file(write_jsonl(tmp_path / "c.jsonl", [reading, LINE]), actor=CLI_ACTOR).committed
    assert len(db.session.scalars(select(DocumentRelation)).all()) == 1


def test_an_import_line_naming_an_unknown_entry_is_reported_by_line_and_field(ctx, tmp_path):
    csv_file = tmp_path / "c.csv"
    csv_file.write_text(
        "title,publisher,published_date,validity,repealed_date,废止依据,related\n"
        "旧办法,石泉路街道办事处,2024-03-18,废止,2024-03-18,石办〔2030〕1号,\n"
        "新办法,石泉路街道办事处,2024-03-19,有效,,,新办法\n", encoding="utf-8")
    report = import_file(csv_file, actor=CLI_ACTOR)
    assert not report.committed
    assert [str(e) for e in report.errors] == [
        "第 2 行，废止依据（repealed_by）：找不到索引号或发文字号为“石办〔2030〕1号”的信息",
        "第 3 行，相关信息（related）：找不到索引号或发文字号为“新办法”的信息",
    ]


def test_an_import_line_may_not_name_itself(ctx, tmp_path):
    line = LINE | {"相关信息": "石办〔2024〕6号"}
    report = import_file(write_jsonl(tmp_path / "c.jsonl", [line]), actor=CLI_ACTOR)
    assert [str(e) for e in report.errors] == ["第 1 行，相关信息（related）：“石办〔2024〕6号”是本行信息自身，不能与自身关联"]


def test_with_skip_invalid_a_line_naming_a_skipped_line_is_skipped_too_and_says_why(ctx, tmp_path):
    # Line 1 cannot be imported (its attachment is missing); line 2 is its 解读; line 3 is fine on its own.
    broken = LINE | {"attachments": "不存在的附件.pdf"}
    reading = LINE | {"title": "加装电梯补贴政策解读", "doc_number": "", "doc_type": "其他", "解读的原文": "石办〔2024〕6号"}
    other = LINE | {"title": "另一则通知", "doc_number": "石办〔2024〕7号"}
    report = import_file(write_jsonl(tmp_path / "c.jsonl", [broken, reading, other]), actor=CLI_ACTOR,
                         skip_invalid=True)
    assert report.committed and report.created == 1 and report.skipped == 2
    assert [str(e) for e in report.errors] == [
        "第 1 行，附件（attachments）：找不到附件文件“不存在的附件.pdf”",
        "第 2 行，解读的原文（interprets）：“石办〔2024〕6号”所在的行有错误，未导入，不能关联",
    ]
