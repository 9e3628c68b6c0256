"""Publishing in a real browser: an editor drafts an entry with a DOCX attachment and submits it, a
reviewer publishes it, and a resident finds it by a word that only the attachment contains."""
import io

import docx
import pytest
from playwright.sync_api import expect

from portal.models import EDITOR, REVIEWER
from tests.browser.helpers import axe_violations, sign_in
from tests.factories.staff import make_user

TITLE = "石泉路街道2026年社区微更新项目实施方案"
ONLY_IN_ATTACHMENT = "螺蛳湾"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment_docx() -> bytes:
    """A real DOCX whose text holds a word that appears nowhere else in the entry."""
    document = docx.Document()
    document.add_paragraph(f"附件：{ONLY_IN_ATTACHMENT}步道改造点位清单")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def accounts(ctx):
    """An editor and a reviewer."""
    make_user("editor1", EDITOR, display_name="王编辑")
    make_user("reviewer1", REVIEWER, display_name="李审核")



def test_editor_drafts_reviewer_publishes_and_a_resident_finds_the_attachment_word(page, live_server, accounts):
    sign_in(page, live_server, "editor1")
    page.get_by_role("link", name="主动公开信息").first.click()
    page.get_by_role("link", name="起草新信息").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("起草新信息")
    assert axe_violations(page) == []
    page.get_by_role("button", name="保存草稿").click()  # nothing filled in yet
    expect(page.locator("#error-summary")).to_contain_text("名称：请填写此项")
    assert axe_violations(page) == []  # with the errors shown beside their fields

    page.get_by_label("名称").fill(TITLE)
    page.get_by_label("发文字号").fill("石办[2026]第007号")
    page.get_by_label("成文日期").fill("2026-03-02")
    page.get_by_label("主题分类").select_option("城乡建设、环境保护\\城乡建设（含住房）")
    page.get_by_label("公文种类").select_option("通知")
    page.get_by_label("内容概述").fill("社区微更新项目的实施安排。")
    page.get_by_label("正文").fill("各居民区：现将社区微更新项目实施方案印发给你们，请认真组织实施。")
    page.get_by_label("附件").set_input_files(
        files=[{"name": "实施方案附件.docx", "mimeType": DOCX, "buffer": attachment_docx()}])
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".flashes")).to_contain_text(f"已保存草稿“{TITLE}”")
    expect(page.locator("#att-title")).to_have_text("附件（1）")
    expect(page.get_by_role("link", name="实施方案附件.docx")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".flashes")).to_contain_text("已提交审核")

    sign_in(page, live_server, "reviewer1")
    page.goto(f"{live_server}/admin/entries?status=review")
    # Written in March and still unpublished: the Art. 26 panel lists it as overdue.
    expect(page.get_by_role("region", name="公开期限提醒")).to_contain_text("逾期未公开（1 条）")
    page.locator("#results").get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text("石办〔2026〕7号")
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("已发布，索引号 000014349/2026-00001")

    page.context.clear_cookies()
    page.goto(f"{live_server}/search")
    page.get_by_label("检索政府信息").fill(ONLY_IN_ATTACHMENT)
    page.get_by_role("button", name="检索").click()
    expect(page.locator("#results")).to_contain_text("共找到 1 条结果")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("link", name="实施方案附件.docx")).to_be_visible()


def test_drafting_and_submitting_work_without_javascript(page_without_js, live_server, accounts):
    page = page_without_js
    sign_in(page, live_server, "editor1")
    page.goto(f"{live_server}/admin/entries/new")
    page.get_by_label("名称").fill(TITLE)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#error-summary")).to_contain_text("成文日期")
    expect(page.locator("#category-error")).to_have_text("请填写此项")
    expect(page.get_by_label("名称")).to_have_value(TITLE)
    page.get_by_label("成文日期").fill("2026-03-02")
    page.get_by_label("主题分类").select_option("综合政务")
    page.get_by_label("公文种类").select_option("公告")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".flashes")).to_contain_text(f"已保存草稿“{TITLE}”")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".flashes")).to_contain_text("已提交审核")
