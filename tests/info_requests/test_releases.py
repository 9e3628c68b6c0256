"""Receiving the information: files released with a 予以公开/部分公开 reply are checked like catalog attachments,
listed in the 答复书, downloaded only after number + query code or through the mailed link (which expires),
every download logged on the staff timeline; paper handovers recorded, audited and shown to the applicant.

Calendar used (2026, no holiday in November): the application is handed in on Mon 2 Nov (收到申请之日), its
20 working days run 3 Nov – 30 Nov; the reply on Mon 16 Nov is the 10th working day, in time; the handover on
Fri 20 Nov falls after the reply and before today (the suite's clock is the machine's, December 2026 or later).
"""
import io
import os
import re
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select, update

from portal.calendar.store import ensure_seeded
from portal.core.clock import utcnow
from portal.core.uploads import stored_path, sweep_orphans, upload_dir
from portal.extensions import db
from portal.info_requests import releases, services
from portal.models import (
    HANDLER, AuditEntry, InfoRequest, OutboxMessage, ReleaseDownload, ReleasedFile, ReleaseLink, User)
from tests.factories.files import docx_bomb, pdf_bytes
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.smtp import wait_for_mail
from tests.factories.staff import login, make_user

RECEIVED, REPLIED, HANDED_OVER = date(2026, 11, 2), "2026-11-16", "2026-11-20"
ROOT = Path(__file__).resolve().parents[2]
PAPER = FIELDS | {"provide_forms": "纸质", "obtain_methods": "邮寄"}


@pytest.fixture
def desk(app):
    """A seeded calendar, a 经办人 signed in, and an application handed in on 2 Nov; (client, number, code)."""
    with app.app_context():
        ensure_seeded()
        make_user("handler", HANDLER, display_name="李经办")
    client = app.test_client()
    assert login(client, "handler").status_code == 302
    return client


def handed_in(app, fields=FIELDS) -> tuple[str, str]:
    """An application handed in at the counter on 2 Nov through the service; its number and query code."""
    with app.app_context():
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        info_request, code = services.register(fields, APPLICANT, channel="当面", receipt_date=RECEIVED, user=handler)
        return info_request.tracking_number, code


def zip_bytes(**members: bytes) -> bytes:
    """A plain ZIP archive of these members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def reply(client, number: str, files: list[tuple[bytes, str]], **fields):
    """Post the reply form with these files (content, name) as a browser would (multipart)."""
    data = {"reply-on": REPLIED, "reply-outcome": "予以公开", "reply-note": "请查收附件。"} | fields
    data["reply-released"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"/admin/requests/{number}/reply", data=data, content_type="multipart/form-data")


def tracked(app, number: str, code: str):
    """A fresh applicant's browser that gave the number and query code."""
    browser = app.test_client()
    assert browser.post("/apply/track", data={"number": number, "code": code}).status_code == 303
    return browser


def rows(app, model):
    """Every row of a model."""
    with app.app_context():
        return db.session.scalars(select(model).order_by(model.id)).all()


def test_a_disclosed_reply_lists_its_files_in_the_letter_and_the_applicant_downloads_them_after_the_code(app, desk):
    number, code = handed_in(app)
    pdf, archive = pdf_bytes(), zip_bytes(**{"名单.txt": "张三 1000元\n".encode() * 50})
    response = reply(desk, number, [(pdf, "2024年补贴发放名单.pdf"), (archive, "附表.zip")])
    assert response.status_code == 303
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        letter = info_request.letters[-1]
        assert letter.kind == "答复书"
        assert f"共 2 个文件：1. 2024年补贴发放名单.pdf（{len(pdf)} 字节）；2. 附表.zip（{len(archive)} 字节）" in letter.body
        files = db.session.scalars(select(ReleasedFile).order_by(ReleasedFile.id)).all()
        assert [f.letter_id for f in files] == [letter.id, letter.id]
        path = stored_path(files[0].stored_name)
        assert path.read_bytes() == pdf and ROOT / "static" not in path.parents
        public_id = files[0].public_id
        assert re.fullmatch(r"[0-9a-f]{32}", public_id) and public_id != str(files[0].id)
        assert "公开文件 2 个" in db.session.scalar(select(AuditEntry.summary).filter_by(action="reply"))

    url = f"/apply/track/{number}/files/{public_id}"
    assert app.test_client().get(url).status_code == 404  # no query code given in this browser
    browser = tracked(app, number, code)
    page = browser.get(f"/apply/track/{number}").get_data(as_text=True)
    assert "公开的政府信息" in page and f'href="{url}"' in page and "附表.zip" in page
    download = browser.get(url)
    assert download.status_code == 200 and download.data == pdf
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"filename*=UTF-8''{quote('2024年补贴发放名单.pdf')}" in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"].startswith("no-store")
    assert browser.get(f"/apply/track/{number}/files/{'0' * 32}").status_code == 404

    assert [d.via for d in rows(app, ReleaseDownload)] == ["查询页面"]
    staff_page = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "申请人下载公开的信息" in staff_page and "2024年补贴发放名单.pdf（通过查询页面）" in staff_page
    assert "1 次，最近" in staff_page


def test_another_applicants_code_does_not_open_these_files(app, desk):
    number, _ = handed_in(app)
    other_number, other_code = handed_in(app)
    assert reply(desk, number, [(pdf_bytes(), "名单.pdf")]).status_code == 303
    public_id = rows(app, ReleasedFile)[0].public_id
    stranger = tracked(app, other_number, other_code)
    assert stranger.get(f"/apply/track/{number}/files/{public_id}").status_code == 404
    assert stranger.get(f"/apply/track/{other_number}/files/{public_id}").status_code == 404
    assert rows(app, ReleaseDownload) == []


BAD_UPLOADS = [
    ("wrong type", lambda: (b"MZ\x90\x00" + b"\0" * 200, "名单.exe"), "类型不受支持"),
    ("content not its extension", lambda: (b"MZ\x90\x00" + b"\0" * 200, "名单.pdf"), "内容与扩展名 .pdf 不符"),
    ("oversized", lambda: (pdf_bytes() + b"%" * (1024 * 1024), "名单.pdf"), "超过 1 MB 的大小限制"),
    ("archive bomb", lambda: (docx_bomb(300 * 1024 * 1024), "名单.docx"), "可能是恶意构造的压缩文件"),
    ("zip bomb", lambda: (zip_bytes(**{"a.txt": b"0" * (5 * 1024 * 1024)}), "名单.zip"), "压缩比异常"),
    ("control characters", lambda: (pdf_bytes(), "名单\u202efdp.exe.pdf"), "含有控制字符或不可见的格式字符"),
    ("NUL in the name", lambda: (pdf_bytes(), "名单\x00.pdf"), "含有控制字符或不可见的格式字符"),
]


@pytest.mark.parametrize("case,make,message", BAD_UPLOADS, ids=[c[0] for c in BAD_UPLOADS])
def test_a_refused_file_gets_a_chinese_message_keeps_the_typed_reply_and_stores_nothing(app, desk, case, make,
                                                                                         message):
    app.config["RELEASE_MAX_FILE_MB"] = 1
    number, _ = handed_in(app)
    content, name = make()
    response = reply(desk, number, [(content, name)], **{"reply-note": "请查收两份文件，另一份已邮寄。"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and "文件未保存，请改正后重新选择全部文件" in page
    assert "请查收两份文件，另一份已邮寄。" in page  # the typed text is kept
    assert re.search(r'value="予以公开"[^>]*checked|checked[^>]*value="予以公开"', page)
    with app.app_context():
        assert db.session.scalar(select(InfoRequest.state).filter_by(tracking_number=number)) == "办理中"
    assert rows(app, ReleasedFile) == [] and list(upload_dir_of(app).iterdir()) == []


def upload_dir_of(app) -> Path:
    """The app's upload folder."""
    with app.app_context():
        return upload_dir()


def test_more_files_than_allowed_are_refused_beside_the_form(app, desk):
    app.config["RELEASE_MAX_FILES"] = 2
    number, _ = handed_in(app)
    response = reply(desk, number, [(pdf_bytes(), f"{n}.pdf") for n in range(3)])
    assert response.status_code == 422 and "一次答复最多附上 2 个文件" in response.get_data(as_text=True)
    assert rows(app, ReleasedFile) == [] and list(upload_dir_of(app).iterdir()) == []


def test_files_on_a_reply_that_releases_nothing_are_refused(app, desk):
    number, _ = handed_in(app)
    response = reply(desk, number, [(pdf_bytes(), "名单.pdf")], **{
        "reply-outcome": "不予公开", "reply-ground": "保护第三方合法权益"})
    assert response.status_code == 422
    assert "只有予以公开或部分公开的答复可以附上公开的政府信息文件" in response.get_data(as_text=True)
    assert rows(app, ReleasedFile) == [] and list(upload_dir_of(app).iterdir()) == []


def test_a_partly_disclosed_reply_says_its_files_are_the_redacted_version(app, desk):
    number, _ = handed_in(app)
    assert reply(desk, number, [(pdf_bytes(), "名单（遮盖后）.pdf")], **{
        "reply-outcome": "部分公开", "reply-ground": "保护第三方合法权益"}).status_code == 303
    with app.app_context():
        body = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number)).letters[-1].body
        assert "本机关公开的政府信息（已对不予公开的内容作区分处理）共 1 个文件：1. 名单（遮盖后）.pdf" in body


def test_a_reply_that_fails_after_writing_its_files_leaves_none_behind(app, desk, monkeypatch):
    number, _ = handed_in(app)

    def broken(*args, **kwargs):
        """The mail link cannot be made: the reply's transaction must roll back whole."""
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(releases, "mail_link", broken)
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        with pytest.raises(RuntimeError):
            services.reply(info_request, date(2026, 11, 16), handler, outcome="予以公开",
                           released=[releases.check_file("名单.pdf", pdf_bytes())])
        assert info_request.state == "办理中"
        assert db.session.scalars(select(ReleasedFile)).all() == [] and list(upload_dir().iterdir()) == []


def test_the_reply_mail_carries_an_expiring_link_not_the_files_and_its_downloads_are_logged(app, desk, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    number, code = handed_in(app)  # the applicant asked for 电子邮件 and gave an address
    pdf = pdf_bytes()
    assert reply(desk, number, [(pdf, "名单.pdf")]).status_code == 303
    wait_for_mail(app)
    mail = next(m.message for m in smtp_server.messages if "答复书" in m.message["Subject"])
    assert mail.get_content_type() == "text/plain" and list(mail.iter_attachments()) == []
    text = mail.get_content()
    assert "1. 名单.pdf" in text and "90 日内有效" in text
    link = re.search(r"http://localhost(/apply/released/[A-Za-z0-9_-]{43})\s", text).group(1)
    with app.app_context():
        stored = db.session.scalar(select(ReleaseLink))
        assert link.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is kept
        days = (stored.expires_at - stored.created_at)
        assert timedelta(days=90) - timedelta(minutes=1) < days <= timedelta(days=90)
        letter_body = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number)).letters[-1].body
        assert "/apply/released/" not in letter_body  # the token goes by mail only

    mailbox = app.test_client()  # the applicant's mail program: no tracking session
    listing = mailbox.get(link)
    assert listing.status_code == 200 and listing.headers["Cache-Control"].startswith("no-store")
    public_id = rows(app, ReleasedFile)[0].public_id
    assert f'href="{link}/{public_id}"' in listing.get_data(as_text=True)
    download = mailbox.get(f"{link}/{public_id}")
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"].startswith("no-store")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert [d.via for d in rows(app, ReleaseDownload)] == ["邮件链接"]
    assert "名单.pdf（通过邮件链接）" in desk.get(f"/admin/requests/{number}").get_data(as_text=True)

    with app.app_context():
        db.session.execute(update(ReleaseLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    expired = mailbox.get(f"{link}/{public_id}")
    assert expired.status_code == 410 and "下载链接已过期" in expired.get_data(as_text=True)
    assert mailbox.get(link).status_code == 410
    wrong = mailbox.get("/apply/released/" + "x" * 43)
    assert wrong.status_code == 404 and "下载链接无效" in wrong.get_data(as_text=True)
    assert len(rows(app, ReleaseDownload)) == 1  # refused links download nothing


def test_the_link_period_is_a_setting(app, desk, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, RELEASE_LINK_DAYS=30)
    number, _ = handed_in(app)
    assert reply(desk, number, [(pdf_bytes(), "名单.pdf")]).status_code == 303
    wait_for_mail(app)
    assert "30 日内有效" in next(m.message for m in smtp_server.messages
                               if "答复书" in m.message["Subject"]).get_content()


def test_no_link_is_mailed_to_an_applicant_who_asked_for_paper(app, desk):
    number, _ = handed_in(app, PAPER)
    assert reply(desk, number, [(pdf_bytes(), "名单.pdf")]).status_code == 303
    assert rows(app, ReleaseLink) == []
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.body).filter_by(related=f"info_request:{number}")).all()
        assert not any("/apply/released/" in body for body in bodies)


def test_a_paper_handover_is_recorded_audited_and_shown_to_the_applicant(app, desk):
    number, code = handed_in(app, PAPER)
    assert reply(desk, number, []).status_code == 303
    page = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "公开的信息与交付" in page and 'id="handover-tracking_number"' in page

    missing = desk.post(f"/admin/requests/{number}/handover", data={
        "handover-method": "邮寄", "handover-on": HANDED_OVER, "handover-note": "纸质文件三页"})
    assert missing.status_code == 422
    assert "邮寄的，请填写邮件或快递单号" in missing.get_data(as_text=True)
    assert "纸质文件三页" in missing.get_data(as_text=True)
    early = desk.post(f"/admin/requests/{number}/handover", data={
        "handover-method": "自行领取", "handover-on": "2026-11-13"})
    assert early.status_code == 422 and "交付日期不能早于答复日期 2026-11-16" in early.get_data(as_text=True)

    done = desk.post(f"/admin/requests/{number}/handover", data={
        "handover-method": "邮寄", "handover-on": HANDED_OVER, "handover-tracking_number": "XA123456789CN",
        "handover-note": "纸质文件三页"})
    assert done.status_code == 303
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="record_handover"))
        assert entry.summary == f"申请 {number}：登记信息交付（邮寄，2026-11-20，单号 XA123456789CN）"
    staff_page = desk.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "登记信息交付" in staff_page and "邮件或快递单号：XA123456789CN" in staff_page
    status = tracked(app, number, code).get(f"/apply/track/{number}").get_data(as_text=True)
    assert "交付情况" in status and "2026年11月20日：方式：邮寄；邮件或快递单号：XA123456789CN；纸质文件三页" in status


def test_a_handover_needs_a_reply_that_released_information(app, desk):
    number, _ = handed_in(app, PAPER)
    response = desk.post(f"/admin/requests/{number}/handover", data={
        "handover-method": "自行领取", "handover-on": HANDED_OVER})
    assert response.status_code == 422
    assert "只有予以公开或部分公开的答复才需要登记信息的交付" in response.get_data(as_text=True)


def test_the_orphan_sweep_keeps_released_files_and_removes_files_no_row_names(app, desk):
    number, _ = handed_in(app)
    assert reply(desk, number, [(pdf_bytes(), "名单.pdf")]).status_code == 303
    with app.app_context():
        kept = stored_path(db.session.scalar(select(ReleasedFile.stored_name)))
        orphan = upload_dir() / f"{'2' * 32}.zip"
        orphan.write_bytes(b"left by a killed worker")
        day_old = time.time() - 25 * 3600
        for path in (kept, orphan):
            os.utime(path, (day_old, day_old))
        assert sweep_orphans() == [orphan.name]
        assert kept.is_file() and not orphan.exists()
