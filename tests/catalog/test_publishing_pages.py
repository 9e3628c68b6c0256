"""The publishing pages: the entry form (every field, Chinese errors, input kept, attachments checked
by content), the buttons each role sees in each state, the list with its filters and htmx fragment."""
import io
import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import ADMIN, DEFAULT_OFFICE, EDITOR, REVIEWER, AuditEntry, Document, Office
from tests.factories.catalog import docx_bytes
from tests.factories.staff import signed_in

FORM = {
    "title": "石泉路街道2026年社区微更新项目实施方案", "doc_number": "石办[2026]第007号",
    "publisher": "上海市普陀区石泉路街道办事处", "written_date": "2026-03-02",
    "category": "城乡建设、环境保护\\城乡建设（含住房）", "doc_type": "通知", "validity": "有效",
    "repealed_date": "", "disclosure_method": "主动公开", "disclosure_scope": "面向全社会",
    "timeliness": "常年公开", "keywords": "微更新 社区", "summary": "社区微更新项目的实施安排。",
    "body": "各居民区：现将社区微更新项目实施方案印发给你们。",
}


def text(response) -> str:
    """The decoded body."""
    return response.get_data(as_text=True)


def post_new(client, files=(), **changes):
    """Submit the new-entry form with optional (name, bytes) attachments."""
    data = FORM | changes
    data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/admin/entries/new", data=data, content_type="multipart/form-data")


def only_doc() -> Document:
    """The one entry in the database."""
    return db.session.scalars(select(Document)).one()


def test_an_editor_drafts_an_entry_with_every_field_and_an_attachment(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    form = text(editor.get("/admin/entries/new"))
    for label in ("名称", "发文字号", "发布机构", "成文日期", "主题分类", "公文种类", "有效性", "废止日期",
                  "公开方式", "公开范围", "时效", "关键词", "内容概述", "正文", "附件", "索引号"):
        assert label in form, label
    assert '<optgroup label="综合政务">' in form and 'value="综合政务\\政务公开"' in form
    response = post_new(editor, [("方案.docx", docx_bytes("附件正文"))])
    assert response.status_code == 303
    with app.app_context():
        doc = only_doc()
        assert doc.status == "draft" and doc.doc_number == "石办〔2026〕7号"
        assert [a.filename for a in doc.attachments] == ["方案.docx"] and doc.attachments[0].text == "附件正文"
        assert response.headers["Location"].endswith(f"/admin/entries/{doc.id}")
    page = text(editor.get(response.headers["Location"]))
    assert "已保存草稿" in page and "首次发布时自动生成" in page and "提交审核" in page
    assert ">发布</button>" not in page  # review is on: editors submit, reviewers publish


def test_errors_are_shown_in_chinese_beside_their_fields_and_the_input_is_kept(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    response = post_new(editor, title="", validity="废止", written_date="2099-01-01",
                        category="不存在的分类", keywords="保留我输入的关键词")
    page = text(response)
    assert response.status_code == 422
    assert re.search(r'id="title-error">请填写此项<', page)
    assert re.search(r'id="repealed_date-error">已废止的文件须填写废止日期<', page)
    assert re.search(r'id="written_date-error">成文日期不能晚于今天<', page)
    assert re.search(r'id="category-error">请从列表中选择<', page)
    assert 'value="保留我输入的关键词"' in page and "现将社区微更新项目实施方案印发给你们" in page
    assert 'aria-invalid="true"' in page and 'id="error-summary"' in page
    with app.app_context():
        assert db.session.scalars(select(Document)).all() == []


def test_a_duplicate_doc_number_is_refused_beside_its_field_naming_the_other_entry_with_the_input_kept(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor)
    response = post_new(editor, title="另一份微更新方案", doc_number="石办【2026】第7号")
    page = text(response)
    assert response.status_code == 422
    assert re.search(r'id="doc_number-error">同一发布机构的发文字号不能重复：已有信息'
                     r'“石泉路街道2026年社区微更新项目实施方案”（草稿，尚无索引号）使用此发文字号<', page)
    assert 'value="另一份微更新方案"' in page and 'value="石办【2026】第7号"' in page
    assert post_new(editor, title="另一份微更新方案", doc_number="石办〔2026〕8号").status_code == 303
    with app.app_context():
        other_id = db.session.scalar(select(Document.id).filter_by(title="另一份微更新方案"))
    edited = editor.post(f"/admin/entries/{other_id}", data=FORM | {"title": "另一份微更新方案",
                                                                      "doc_number": "石办〔2026〕7号"})
    assert edited.status_code == 422 and 'id="doc_number-error">同一发布机构的发文字号不能重复' in text(edited)
    assert editor.post(f"/admin/entries/{other_id}", data=FORM | {"title": "另一份微更新方案",
                                                                   "doc_number": "石办〔2026〕8号"}).status_code == 303
    with app.app_context():
        assert sorted(db.session.scalars(select(Document.doc_number))) == ["石办〔2026〕7号", "石办〔2026〕8号"]


def test_a_pdf_that_is_really_an_exe_is_refused_with_a_chinese_message(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    response = post_new(editor, [("实施方案.pdf", exe)])
    assert response.status_code == 422
    assert "附件“实施方案.pdf”的内容与扩展名 .pdf 不符，已拒收。" in text(response)
    with app.app_context():
        assert db.session.scalars(select(Document)).all() == []
    assert not (app.config["UPLOAD_DIR"] and any(__import__("pathlib").Path(app.config["UPLOAD_DIR"]).glob("*")))


def test_submit_then_a_reviewer_publishes_with_the_buttons(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor)
    with app.app_context():
        doc_id = only_doc().id
    assert editor.post(f"/admin/entries/{doc_id}/submit").status_code == 303
    refused = editor.post(f"/admin/entries/{doc_id}/publish", follow_redirects=True)
    assert "只有审核可以发布信息" in text(refused)
    reviewer = signed_in(app, "reviewer1", REVIEWER)
    page = text(reviewer.get(f"/admin/entries/{doc_id}"))
    assert ">发布</button>" in page and ">退回修改</button>" in page and 'name="title"' not in page
    published = reviewer.post(f"/admin/entries/{doc_id}/publish", follow_redirects=True)
    assert "已发布，索引号 000014349/2026-00001" in text(published)
    assert app.test_client().get(f"/documents/{doc_id}").status_code == 200


def test_the_author_holding_both_roles_is_told_why_they_cannot_publish(app, staff):
    both = signed_in(app, "both1", EDITOR, REVIEWER)
    post_new(both)
    with app.app_context():
        doc_id = only_doc().id
    both.post(f"/admin/entries/{doc_id}/submit")
    page = text(both.get(f"/admin/entries/{doc_id}"))
    assert "不能发布：起草或修改过此信息的人不能审核发布" in page and ">发布</button>" not in page


def test_the_admin_turns_review_off_in_the_settings_and_it_is_audited(app, staff):
    admin = signed_in(app, "boss", ADMIN)
    assert re.search(r'<input [^>]*checked id="review_required"', text(admin.get("/admin/settings")))
    unchecked = {k: v for k, v in DEFAULT_OFFICE.items() if k != "review_required"}
    assert admin.post("/admin/settings", data=unchecked).status_code == 302
    with app.app_context():
        assert Office.current().review_required is False
        entry = db.session.scalar(select(AuditEntry).filter_by(action="office_update"))
        assert entry.summary == "修改机关设置：发布审核" and '"review_required": false' in entry.after


def test_with_review_off_the_editor_sees_a_publish_button(app, staff):
    with app.app_context():
        Office.ensure().review_required = False
        db.session.commit()
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor)
    with app.app_context():
        doc_id = only_doc().id
    page = text(editor.get(f"/admin/entries/{doc_id}"))
    assert ">发布</button>" in page and ">提交审核</button>" not in page
    assert editor.post(f"/admin/entries/{doc_id}/publish").status_code == 303
    with app.app_context():
        assert db.session.get(Document, doc_id).status == "published"


def test_a_reviewer_changes_withdraws_and_sees_the_history(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor)
    with app.app_context():
        doc_id = only_doc().id
    editor.post(f"/admin/entries/{doc_id}/submit")
    reviewer = signed_in(app, "reviewer1", REVIEWER)
    reviewer.post(f"/admin/entries/{doc_id}/publish")
    with app.app_context():
        version = db.session.get(Document, doc_id).version
    changed = reviewer.post(f"/admin/entries/{doc_id}", data=FORM | {"title": "修订后的方案", "version": version},
                            content_type="multipart/form-data", follow_redirects=True)
    assert "已保存变更并重新发布" in text(changed)
    missing_reason = reviewer.post(f"/admin/entries/{doc_id}/withdraw", data={"withdraw-reason": ""},
                                   follow_redirects=True)
    assert "请填写撤回原因" in text(missing_reason)
    reviewer.post(f"/admin/entries/{doc_id}/withdraw", data={"withdraw-reason": "内容有误"})
    page = text(reviewer.get(f"/admin/entries/{doc_id}"))
    history = page.split('id="history-title"')[1]
    for step in ("起草", "提交审核", "发布", "变更并重新发布", "撤回"):
        assert f">{step}</th>" in history
    assert "内容有误" in history and app.test_client().get(f"/documents/{doc_id}").status_code == 404


def test_a_stale_form_is_refused_and_keeps_what_was_typed(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor)
    with app.app_context():
        doc = only_doc()
        doc_id, version = doc.id, doc.version
    editor.post(f"/admin/entries/{doc_id}", data=FORM | {"title": "第一次修改", "version": version},
                content_type="multipart/form-data")
    stale = editor.post(f"/admin/entries/{doc_id}", data=FORM | {"title": "第二次修改", "version": version},
                        content_type="multipart/form-data")
    assert "已被他人修改或处理" in text(stale) and 'value="第二次修改"' in text(stale)


def test_staff_download_a_drafts_attachment_that_the_public_cannot_see(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor, [("说明.txt", "草稿附件".encode())])
    with app.app_context():
        doc = only_doc()
        doc_id, attachment_id = doc.id, doc.attachments[0].id
    download = editor.get(f"/admin/entries/{doc_id}/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == "草稿附件".encode()
    assert app.test_client().get(f"/documents/{doc_id}/attachments/{attachment_id}").status_code == 404


def test_the_list_filters_by_status_and_title_and_swaps_only_its_results(app, staff):
    editor = signed_in(app, "editor1", EDITOR)
    post_new(editor, title="加装电梯补贴通知")
    post_new(editor, title="垃圾分类工作方案", doc_number="石办〔2026〕8号")
    with app.app_context():
        doc_id = db.session.scalar(select(Document.id).filter_by(title="垃圾分类工作方案"))
    editor.post(f"/admin/entries/{doc_id}/submit")
    page = text(editor.get("/admin/entries?q=电梯")).split('id="results"')[1]
    assert "加装电梯补贴通知" in page and "垃圾分类工作方案" not in page
    review = text(editor.get("/admin/entries?status=review")).split('id="results"')[1]
    assert "垃圾分类工作方案" in review and "加装电梯补贴通知" not in review
    fragment = editor.get("/admin/entries?q=垃圾", headers={"HX-Request": "true"})
    assert "垃圾分类工作方案" in text(fragment) and "<html" not in text(fragment)
    assert "HX-Request" in fragment.headers["Vary"]
