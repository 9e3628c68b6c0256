"""Attachments a hostile or careless upload cannot hurt the portal with: zip bombs refused from their
directory, text read by a limited child process, names cleaned for the column and the download header,
NUL kept out of the database, and no file left behind by a process killed before its commit."""
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select, update

from portal import search
from portal.catalog.attachments import (
    DEFAULT_NAME, FILENAME_MAX, SWEEPER, AttachmentError, check_file, clean_filename, stored_path, sweep_orphans,
    upload_dir)
from portal.catalog.importer import import_file
from portal.core.db import transaction
from portal.extensions import db
from portal.models import EDITOR, Attachment, Document
from tests.factories.catalog import docx_bytes, publish
from tests.factories.files import docx_bomb, pdf_bytes, xlsx_bomb, xlsx_bytes
from tests.factories.staff import login

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
# Archive checks out of the way, to reach the child process's own limits with a real bomb.
NO_ARCHIVE_LIMITS = {"ARCHIVE_MAX_MEMBER_MB": 10_000, "ARCHIVE_MAX_UNZIPPED_MB": 10_000,
                     "ARCHIVE_MAX_RATIO": 100_000}


def peak_rss_mb() -> float:
    """This process's peak resident memory so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def refusal(name: str, data: bytes) -> tuple[str, float, float]:
    """check_file's refusal message, the seconds it took and how far it raised this process's peak memory."""
    before, started = peak_rss_mb(), time.perf_counter()
    with pytest.raises(AttachmentError) as refused:
        check_file(name, data)
    return str(refused.value), time.perf_counter() - started, peak_rss_mb() - before


def children_of_this_process() -> list[int]:
    """Pids of this process's live children (an extraction child left running would show here)."""
    mine = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            mine.append(int(stat.parent.name))
    return mine


# ---- archives: judged from the zip directory, nothing inflated ----------------------------------

@pytest.mark.parametrize("inflated, size", [(400_000_000, 990_000), (1_000_000_000, 2_400_000)])
def test_a_docx_bomb_is_refused_from_its_zip_directory_in_milliseconds_and_without_memory(ctx, inflated, size):
    bomb = docx_bomb(inflated, size)  # the audit's two files: 990 KB → 400 MB and 2.4 MB → 1 GB
    assert abs(len(bomb) - size) < 1000
    message, seconds, grown_mb = refusal("通知.docx", bomb)
    assert message == ("附件“通知.docx”中有一部分解压后超过 100 MB，不像正常的 .docx 文档（可能是恶意构造的压缩文件），"
                       "已拒收。请拆分文件或另存为 PDF 后上传。")
    assert seconds < 0.5 and grown_mb < 64  # before: 8.7 s and 1 GB, 30 s and 2.4 GB


def test_an_xlsx_small_enough_but_compressed_beyond_any_spreadsheet_is_refused_by_its_ratio(ctx):
    message, seconds, _ = refusal("统计表.xlsx", xlsx_bomb(50_000_000))  # ~62 KB → 50 MB, about 800:1
    assert message.startswith("附件“统计表.xlsx”的压缩比异常（超过 100 倍）") and seconds < 0.5


def test_an_archive_with_more_members_than_allowed_is_refused(ctx):
    ctx.config["ARCHIVE_MAX_MEMBERS"] = 30
    buffer = io.BytesIO(docx_bytes("正文"))  # 16 members
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(20):
            archive.writestr(f"customXml/extra{number}.xml", "<a/>")
    message, _, _ = refusal("方案.docx", buffer.getvalue())
    assert message == "附件“方案.docx”内含的文件超过 30 个，不像正常的 .docx 文档，已拒收。"


def test_an_archive_over_the_total_inflated_size_is_refused_though_each_member_is_small(ctx):
    ctx.config["ARCHIVE_MAX_UNZIPPED_MB"] = 1
    buffer = io.BytesIO(docx_bytes("正文"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("customXml/photo.bin", os.urandom(1_200_000))  # stored size ≈ inflated size
    message, _, _ = refusal("方案.docx", buffer.getvalue())
    assert message.startswith("附件“方案.docx”解压后超过 1 MB")


def test_a_docx_with_a_damaged_zip_directory_is_refused_as_damaged(ctx):
    message, _, _ = refusal("方案.docx", docx_bytes("正文")[:-40])
    assert message == "附件“方案.docx”已损坏，无法作为 .docx 文件打开，已拒收。请用原程序打开、另存后重新上传。"


def test_ordinary_docx_xlsx_and_pdf_files_pass_with_their_text(ctx):
    assert check_file("方案.docx", docx_bytes("附件正文", "第二段")).text == "附件正文\n第二段"
    assert check_file("统计.xlsx", xlsx_bytes(("项目", "金额"), ("加装电梯", 240000))).text == "项目 金额\n加装电梯 240000"
    checked = check_file("公告.pdf", pdf_bytes("Open government information"))
    assert checked.text.strip() == "Open government information" and checked.notices == ()


# ---- text: a limited child process; the file is kept without its text past the limits -----------

def test_a_file_too_big_to_parse_is_kept_without_text_and_the_worker_keeps_its_memory(ctx):
    ctx.config.update(NO_ARCHIVE_LIMITS, ATTACHMENT_TEXT_MEMORY_MB=200)
    bomb = docx_bomb(200_000_000)  # passes the (lifted) archive checks; parsing needs far more than 200 MB
    before, started = peak_rss_mb(), time.perf_counter()
    earlier = set(children_of_this_process())  # e.g. multiprocessing's resource tracker from other tests
    checked = check_file("大文件.docx", bomb)
    assert time.perf_counter() - started < 10 and peak_rss_mb() - before < 64
    assert checked.text == "" and checked.notices == (
        "附件“大文件.docx”已保存，但提取其中文字所需的内存超过了 200 MB 的限制，检索时只能按标题、关键词等信息找到这条信息。"
        "如需全文检索，请将文件拆分或另存为较小的 PDF 后重新上传。",)
    assert set(children_of_this_process()) <= earlier


def test_a_file_too_slow_to_parse_is_kept_without_text_once_the_time_limit_kills_its_child(ctx):
    ctx.config.update(NO_ARCHIVE_LIMITS, ATTACHMENT_TEXT_MEMORY_MB=4096, ATTACHMENT_TEXT_SECONDS=1)
    bomb = docx_bomb(300_000_000)  # ~15 s of parsing on this machine
    started = time.perf_counter()
    earlier = set(children_of_this_process())  # e.g. multiprocessing's resource tracker from other tests
    checked = check_file("慢文件.docx", bomb)
    assert time.perf_counter() - started < 3
    assert checked.text == "" and "超过了 1 秒的时间限制" in checked.notices[0]
    assert set(children_of_this_process()) <= earlier


def test_a_damaged_pdf_is_kept_without_text_with_a_notice(ctx):
    checked = check_file("扫描件.pdf", b"%PDF-1.7\n" + os.urandom(4000))
    assert checked.text == "" and checked.notices == (
        "附件“扫描件.pdf”已保存，但其中的文字无法读取（文件可能已损坏或加密），检索时只能按标题、关键词等信息找到这条信息。",)


def test_a_file_kept_without_text_is_found_by_its_metadata_and_staff_are_told(app, staff):
    app.config.update(NO_ARCHIVE_LIMITS, ATTACHMENT_TEXT_MEMORY_MB=200)
    staff("editor1", EDITOR)
    editor = app.test_client()
    login(editor, "editor1")
    data = dict(FORM, attachments=[(io.BytesIO(docx_bomb(200_000_000)), "大文件.docx")])
    response = editor.post("/admin/entries/new", data=data, content_type="multipart/form-data",
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "已保存草稿" in page
    assert re.search(r'notice-warn">附件“大文件.docx”已保存，但提取其中文字所需的内存超过了 200 MB 的限制', page)
    with app.app_context():
        doc = db.session.scalars(select(Document)).one()
        assert [(a.filename, a.text) for a in doc.attachments] == [("大文件.docx", "")]


def test_an_entry_whose_attachment_has_no_text_is_searchable_by_its_title(ctx):
    ctx.config.update(NO_ARCHIVE_LIMITS, ATTACHMENT_TEXT_MEMORY_MB=200)
    doc = publish([check_file("大文件.docx", docx_bomb(200_000_000))], title="加装电梯补贴办法")
    assert doc.id in [hit.doc_id for hit in search.query("加装电梯").hits]


# ---- names and text fit the database and the download header ------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("方案\x00.pdf", "方案.pdf"),
    ("年度\x01报告\x1f.docx", "年度报告.docx"),
    ("\u202egpj.exe.pdf", "gpj.exe.pdf"),               # RIGHT-TO-LEFT OVERRIDE: shown as "fdp.exe.jpg"
    ("说明\u2066\u2069\u200b\u200e.txt", "说明.txt"),    # isolates, zero-width space, LRM
    ("第一行\n第二行\r\t.txt", "第一行 第二行.txt"),
    ("../../etc/通知.pdf", "通知.pdf"),
    ("C:\\Users\\办公室\\通知.pdf", "通知.pdf"),
    ("e\u0301.txt", "\u00e9.txt"),                      # NFC: one character, as typed on another system
    ("\x00\x01.pdf", f"{DEFAULT_NAME}.pdf"),
    (".pdf", f"{DEFAULT_NAME}.pdf"),
    ("通知.pdf.", "通知.pdf"),
])
def test_an_attachment_name_loses_control_and_invisible_characters_and_keeps_its_extension(raw, clean):
    assert clean_filename(raw) == clean


def test_a_long_name_is_shortened_to_the_column_keeping_its_extension_and_staff_are_told(ctx):
    assert FILENAME_MAX == Attachment.__table__.c.filename.type.length == 255
    long_name = "关于" + "加装电梯" * 100  # 402 characters before ".txt"
    checked = check_file(long_name + ".txt", "正文".encode())
    assert checked.filename == long_name[:251] + ".txt" and len(checked.filename) == 255
    assert checked.notices == (f"附件名称超过 255 个字符，已缩短为“{checked.filename}”。",)
    doc = publish([checked], title="长名称附件")
    assert db.session.get(Document, doc.id).attachments[0].filename == checked.filename


def test_text_content_with_nul_is_stored_without_it(ctx):
    doc = publish([check_file("说明.txt", "第一段\x00第二段".encode())], title="带NUL的附件")
    assert db.session.get(Document, doc.id).attachments[0].text == "第一段第二段"


def disposition_name(response) -> str:
    """The UTF-8 filename* of a Content-Disposition header, decoded."""
    match = re.search(r"filename\*=UTF-8''([^;]+)", response.headers["Content-Disposition"])
    return unquote(match.group(1))


def test_a_name_with_control_characters_uploads_and_downloads_under_its_cleaned_name(app, staff):
    staff("editor1", EDITOR)
    editor = app.test_client()
    login(editor, "editor1")
    data = dict(FORM, attachments=[(io.BytesIO("正文".encode()), "实施\x00方案\x07\u202e.txt")])
    assert editor.post("/admin/entries/new", data=data, content_type="multipart/form-data").status_code == 303
    with app.app_context():
        doc = db.session.scalars(select(Document)).one()
        attachment = doc.attachments[0]
        assert attachment.filename == "实施方案.txt"
        url = f"/admin/entries/{doc.id}/attachments/{attachment.id}"
    response = editor.get(url)
    assert response.status_code == 200 and disposition_name(response) == "实施方案.txt"
    assert not re.search(r"[\x00-\x1f\x7f]", response.headers["Content-Disposition"])
    response.close()


def test_a_bad_name_stored_before_names_were_cleaned_still_downloads(client, ctx):
    doc = publish([check_file("旧附件.txt", "正文".encode())], title="旧数据")
    attachment_id = doc.attachments[0].id
    with transaction():  # as a row written before this release could hold it
        db.session.execute(update(Attachment).where(Attachment.id == attachment_id)
                           .values(filename="旧\x01附件\r\nSet-Cookie: x=1\u202e" + "长" * 200))  # and no extension
    response = client.get(f"/documents/{doc.id}/attachments/{attachment_id}")
    assert response.status_code == 200 and response.data == "正文".encode()
    name = disposition_name(response)
    assert name.startswith("旧附件 Set-Cookie: x=1长") and name.endswith(".txt") and len(name) <= 255
    # gunicorn refuses a header with control characters, Werkzeug one with a line break: either is a 500
    assert not re.search(r"[\x00-\x1f\x7f]", response.headers["Content-Disposition"])
    assert "Set-Cookie" not in response.headers
    response.close()


# ---- the form refuses what cannot be kept, with the input kept ----------------------------------

FORM = {
    "title": "保留我输入的标题", "doc_number": "", "publisher": "上海市普陀区石泉路街道办事处",
    "written_date": "2026-03-02", "category": "综合政务\\政务公开", "doc_type": "通知", "validity": "有效",
    "repealed_date": "", "disclosure_method": "主动公开", "disclosure_scope": "面向全社会",
    "timeliness": "常年公开", "keywords": "保留我输入的关键词", "summary": "", "body": "",
}


def test_a_bomb_uploaded_through_the_form_is_refused_in_chinese_with_the_input_kept(app, staff):
    staff("editor1", EDITOR)
    editor = app.test_client()
    login(editor, "editor1")
    data = dict(FORM, attachments=[(io.BytesIO(docx_bomb(1_000_000_000, 2_400_000)), "方案.docx")])
    started = time.perf_counter()
    response = editor.post("/admin/entries/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and time.perf_counter() - started < 2
    assert "附件“方案.docx”中有一部分解压后超过 100 MB" in page
    assert 'value="保留我输入的标题"' in page and 'value="保留我输入的关键词"' in page
    with app.app_context():
        assert db.session.scalars(select(Document)).all() == [] and list(upload_dir().iterdir()) == []


def test_an_import_refuses_a_bomb_on_its_line_and_reports_a_file_kept_without_text(ctx, tmp_path):
    (tmp_path / "炸弹.docx").write_bytes(docx_bomb(400_000_000, 990_000))
    (tmp_path / "扫描件.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    good = {"title": "关于加装电梯补贴的通知", "publisher": "石泉路街道办事处", "written_date": "2024-03-11",
            "published_date": "2024-03-18", "category": "综合政务\\政务公开", "doc_type": "通知"}
    lines = [good | {"attachments": ["炸弹.docx"]}, good | {"title": "第二份通知", "attachments": ["扫描件.pdf"]}]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    report = import_file(path, actor="命令行", skip_invalid=True)
    assert [str(e) for e in report.errors] == [
        "第 1 行，附件（attachments）：附件“炸弹.docx”中有一部分解压后超过 100 MB，不像正常的 .docx 文档"
        "（可能是恶意构造的压缩文件），已拒收。请拆分文件或另存为 PDF 后上传。"]
    assert report.committed and report.created == 1 and report.notices == [
        "第 2 行：附件“扫描件.pdf”已保存，但其中的文字无法读取（文件可能已损坏或加密），检索时只能按标题、关键词等信息找到这条信息。"]


# ---- orphans: a process killed between writing and committing ------------------------------------

KILLED_BEFORE_COMMIT = """
import os, signal, sys
from sqlalchemy import event
from portal.catalog import workflow
from portal.catalog.attachments import check_file
from portal.core.db import transaction
from portal.extensions import db
from tests.factories.app import make_app
from tests.factories.catalog import BASE
from pathlib import Path

app = make_app(sys.argv[1], Path(sys.argv[2]), BACKGROUND_THREADS=False)
with app.app_context():
    event.listen(db.session, "before_commit", lambda session: os.kill(os.getpid(), signal.SIGKILL))
    with transaction():
        workflow.record_published(BASE | {"title": "写到一半"}, [check_file("中断.txt", "正文".encode())],
                                  actor="测试数据", action="import")
"""


def test_a_file_left_by_a_process_killed_before_its_commit_is_swept_once_old_and_named_files_stay(
        app, database_url, tmp_path):
    with app.app_context():
        kept = publish([check_file("保留.txt", "正文".encode())], title="已提交的条目")
        kept_path = stored_path(kept.attachments[0].stored_name)
    folder = Path(app.config["UPLOAD_DIR"]).parent
    child = subprocess.run([sys.executable, "-c", KILLED_BEFORE_COMMIT, database_url, str(folder)], cwd=ROOT,
                           capture_output=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    with app.app_context():
        orphan = next(p for p in upload_dir().iterdir() if p != kept_path)
        assert db.session.scalars(select(Document.title)).all() == ["已提交的条目"]
        assert sweep_orphans() == []  # younger than any transaction can be: it might still commit
        day_old = time.time() - 25 * 3600
        for path in (orphan, kept_path):
            os.utime(path, (day_old, day_old))
        (upload_dir() / "README.txt").write_text("not ours")  # only generated names are swept
        os.utime(upload_dir() / "README.txt", (day_old, day_old))
        assert sweep_orphans() == [orphan.name]
        assert sorted(p.name for p in upload_dir().iterdir()) == sorted([kept_path.name, "README.txt"])


def test_the_operator_sweeps_orphans_from_the_command_line(app, runner):
    with app.app_context():
        orphan = upload_dir() / f"{'0' * 32}.pdf"
        orphan.write_bytes(b"%PDF-1.4")
    assert "已删除 0 个" in runner.invoke(args=["sweep-uploads"]).output
    result = runner.invoke(args=["sweep-uploads", "--hours", "0"])
    assert result.exit_code == 0 and "已删除 1 个无主附件文件" in result.output and not orphan.exists()


def test_each_serving_process_sweeps_orphans_when_it_starts(app, client):
    with app.app_context():
        orphan = upload_dir() / f"{'1' * 32}.docx"
        orphan.write_bytes(b"PK")
        day_old = time.time() - 25 * 3600
        os.utime(orphan, (day_old, day_old))
    client.get("/")  # the first request starts this process's background workers
    with app.app_context():
        SWEEPER.wake()
        assert SWEEPER.wait_idle(10)
    assert not orphan.exists()
