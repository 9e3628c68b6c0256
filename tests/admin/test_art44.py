"""申请转主动公开 (条例第四十四条): a disclosed reply becomes a draft entry through the catalog's own write path
(files copied as attachments, never published directly), linked both ways for staff only; converting twice
names the existing draft; the 工作台 lists information asked for by two or more applicants.

Calendar used (2026, no holiday in November): applications handed in on Mon 2 Nov (收到申请之日), their 20
working days run 3 Nov – 30 Nov; the replies on Mon 16 Nov are the 10th working day, in time.
"""
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.calendar.store import ensure_seeded
from portal.catalog import workflow
from portal.core.uploads import stored_path
from portal.extensions import db
from portal.info_requests import releases, services
from portal.models import (
    EDITOR, HANDLER, REVIEWER, AuditEntry, Document, InfoRequest, Office, ReleasedFile, RequestEntry, User)
from tests.factories.files import pdf_bytes
from tests.factories.people import resident_id
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.staff import login, make_user

RECEIVED, REPLIED = date(2026, 11, 2), date(2026, 11, 16)
TITLE = "2024年石泉路街道老旧小区加装电梯补贴发放名单"
SECOND_APPLICANT = APPLICANT | {"name": "李四光", "id_number": resident_id("31010719900202234"),
                                "email": "lisi@example.com", "phone": "13900139000"}


@pytest.fixture
def desk(app):
    """A seeded calendar and a signed-in 经办人 who is also an 编辑 (converts from the application page)."""
    with app.app_context():
        ensure_seeded()
        make_user("clerk", HANDLER, EDITOR, display_name="李经办")
    client = app.test_client()
    assert login(client, "clerk").status_code == 302
    return client


def text(response) -> str:
    """The decoded body."""
    return response.get_data(as_text=True)


def zip_bytes() -> bytes:
    """A small ZIP archive: a released file the catalog does not take as an attachment."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("附表.txt", "名单附表")
    return buffer.getvalue()


def application(app, fields=None, applicant=None, *, files=(), outcome="予以公开") -> str:
    """An application handed in on 2 Nov and, unless `outcome` is None, answered on 16 Nov with these
    released files (name, bytes), all through the services; its tracking number."""
    with app.app_context():
        clerk = db.session.scalar(select(User).filter_by(username="clerk"))
        info_request, _ = services.register(FIELDS | (fields or {}), applicant or APPLICANT, channel="当面",
                                            receipt_date=RECEIVED, user=clerk)
        if outcome:
            released = [releases.check_file(name, data) for name, data in files]
            services.reply(info_request, REPLIED, clerk, outcome=outcome, note="请查收。", released=released)
        return info_request.tracking_number


def entries(app) -> list[int]:
    """The ids of every catalog entry."""
    with app.app_context():
        return db.session.scalars(select(Document.id).order_by(Document.id)).all()


def test_a_disclosed_reply_becomes_a_draft_with_its_files_linked_both_ways_for_staff(app, desk):
    pdf = pdf_bytes("Lift subsidy list")
    number = application(app, {"doc_title": TITLE}, files=[("补贴发放名单.pdf", pdf), ("附表.zip", zip_bytes())])
    page = text(desk.get(f"/admin/requests/{number}"))
    assert f'href="/admin/art44/{number}/convert"' in page

    confirm = desk.get(f"/admin/art44/{number}/convert")
    assert confirm.status_code == 200 and TITLE in text(confirm) and "补贴发放名单.pdf" in text(confirm)
    done = desk.post(f"/admin/art44/{number}/convert", follow_redirects=True)
    assert done.status_code == 200
    [doc_id] = entries(app)
    assert f"/admin/entries/{doc_id}" == done.request.path
    body = text(done)
    assert "已根据申请" in body and "“附表.zip”未能作为附件" in body  # the catalog takes no ZIP: staff are told
    with app.app_context():
        doc = db.session.get(Document, doc_id)
        assert (doc.status, doc.title, doc.publisher) == ("draft", TITLE, Office.current().name)
        assert doc.index_number is None and doc.published_date is None
        [attachment] = doc.attachments
        released = db.session.scalar(select(ReleasedFile).filter_by(filename="补贴发放名单.pdf"))
        assert attachment.filename == "补贴发放名单.pdf" and attachment.mime_type == "application/pdf"
        assert attachment.stored_name != released.stored_name  # a copy: removing one leaves the other
        assert stored_path(attachment.stored_name).read_bytes() == pdf
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        link = db.session.scalar(select(RequestEntry))
        assert (link.info_request_id, link.document_id, link.actor) == (info_request.id, doc.id, "李经办")
        audited = db.session.scalar(select(AuditEntry).filter_by(action="request_to_entry"))
        assert (audited.object_type, audited.object_id) == ("info_request", str(info_request.id))
        assert "转为主动公开" in audited.summary and "附件 1 个" in audited.summary
        assert db.session.scalar(select(AuditEntry).filter_by(action="document_draft", object_id=str(doc_id)))

    assert f'href="/admin/entries/{doc_id}"' in text(desk.get(f"/admin/requests/{number}"))
    assert f'href="/admin/requests/{number}"' in text(desk.get(f"/admin/entries/{doc_id}"))
    assert app.test_client().get(f"/documents/{doc_id}").status_code == 404  # a draft is not public


def test_converting_twice_names_the_existing_draft_and_makes_no_second(app, desk):
    number = application(app, {"doc_title": TITLE}, files=[("名单.pdf", pdf_bytes())])
    first = desk.post(f"/admin/art44/{number}/convert")
    again = desk.post(f"/admin/art44/{number}/convert", follow_redirects=True)
    [doc_id] = entries(app)
    assert first.status_code == 303 and again.request.path == f"/admin/entries/{doc_id}"
    assert "不会重复创建" in text(again) and TITLE in text(again)
    confirm = text(desk.get(f"/admin/art44/{number}/convert"))
    assert "该信息已经转为主动公开" in confirm and f'href="/admin/entries/{doc_id}"' in confirm
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RequestEntry)) == 1


def test_an_application_not_yet_disclosed_cannot_be_converted(app, desk):
    number = application(app, outcome=None)
    assert "只有已作出予以公开或部分公开答复的申请" in text(desk.get(f"/admin/requests/{number}"))
    refused = desk.post(f"/admin/art44/{number}/convert")
    assert refused.status_code == 422 and "不能转为主动公开" in text(refused)
    assert entries(app) == []
    assert desk.post("/admin/art44/2026-9999/convert").status_code == 404


def test_only_an_editor_may_convert(app, desk, staff):
    number = application(app, {"doc_title": TITLE}, files=[("名单.pdf", pdf_bytes())])
    staff("handler-only", HANDLER)
    handler = app.test_client()
    login(handler, "handler-only")
    assert "请有“编辑”角色的工作人员" in text(handler.get(f"/admin/requests/{number}"))
    assert handler.post(f"/admin/art44/{number}/convert").status_code == 403
    assert entries(app) == []


def test_a_title_from_the_request_text_leaves_out_the_applicants_personal_data(app, desk):
    id_number = APPLICANT["id_number"]
    description = (f"我是张三丰，身份证号{id_number}，电话13800138000，邮箱zhangsan@example.com，"
                   "申请公开2024年老旧小区加装电梯补贴发放名单。请邮寄。")
    number = application(app, {"description": description}, files=[("名单.pdf", pdf_bytes())])
    desk.post(f"/admin/art44/{number}/convert")
    [doc_id] = entries(app)
    with app.app_context():
        title = db.session.get(Document, doc_id).title
    for personal in ("张三丰", id_number, "13800138000", "zhangsan@example.com", "请邮寄"):
        assert personal not in title
    assert "2024年老旧小区加装电梯补贴发放名单" in title


def test_the_published_entry_goes_through_review_and_never_says_it_came_from_an_application(app, desk, staff):
    number = application(app, {"doc_title": TITLE}, files=[("名单.pdf", pdf_bytes())])
    desk.post(f"/admin/art44/{number}/convert")
    [doc_id] = entries(app)
    staff("reviewer", REVIEWER)
    with app.app_context():
        clerk = db.session.scalar(select(User).filter_by(username="clerk"))
        reviewer = db.session.scalar(select(User).filter_by(username="reviewer"))
        doc = db.session.get(Document, doc_id)
        with pytest.raises(workflow.WorkflowError):
            workflow.publish(doc, clerk)  # review is on: the drafter cannot publish it
        workflow.update_draft(doc, {"written_date": date(2026, 11, 16), "category": "综合政务\\政务公开",
                                    "doc_type": "其他"}, [], clerk)
        workflow.submit_for_review(doc, clerk)
        workflow.publish(doc, reviewer)
    public = app.test_client().get(f"/documents/{doc_id}")
    assert public.status_code == 200 and TITLE in text(public)
    for hidden in (number, "转为主动公开", "张三丰"):
        assert hidden not in text(public)


def test_applications_marked_as_the_same_information_are_dashboard_candidates_until_converted(app, desk):
    first = application(app, files=[("名单.pdf", pdf_bytes())])
    second = application(app, {"description": "想要加装电梯补贴的名单"}, SECOND_APPLICANT, outcome=None)
    assert "可转为主动公开的信息" not in text(desk.get("/admin/"))

    marked = desk.post(f"/admin/art44/{second}/same", data={"other": f" {first} "}, follow_redirects=True)
    assert "已标记申请" in text(marked) and f'href="/admin/requests/{first}"' in text(marked)
    board = text(desk.get("/admin/"))
    assert "可转为主动公开的信息" in board and "工作人员标记为相同信息" in board and "2 个申请人" in board
    assert f'href="/admin/art44/{first}/convert"' in board  # the disclosed one is converted from
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).filter_by(action="mark_same_information"))

    desk.post(f"/admin/art44/{first}/convert")
    [doc_id] = entries(app)
    assert "可转为主动公开的信息" not in text(desk.get("/admin/"))
    assert f'href="/admin/entries/{doc_id}"' in text(desk.get(f"/admin/requests/{second}"))


def test_applications_naming_the_same_document_number_are_candidates_without_marking(app, desk):
    application(app, {"doc_number": "石办[2024]5号"}, files=[("名单.pdf", pdf_bytes())])
    application(app, {"doc_number": "石办〔2024〕5号"}, SECOND_APPLICANT)
    board = text(desk.get("/admin/"))
    assert "申请的文号相同" in board and "2 个申请人" in board


def test_one_applicant_asking_twice_is_not_a_candidate(app, desk):
    application(app, {"doc_title": TITLE}, files=[("名单.pdf", pdf_bytes())])
    application(app, {"doc_title": TITLE})
    assert "可转为主动公开的信息" not in text(desk.get("/admin/"))


def test_marking_refuses_bad_numbers_in_chinese_and_keeps_what_was_typed(app, desk):
    number = application(app, outcome=None)
    unknown = desk.post(f"/admin/art44/{number}/same", data={"other": "2026-9999"})
    assert unknown.status_code == 422 and "没有编号为“2026-9999”的申请" in text(unknown)
    assert 'value="2026-9999"' in text(unknown)
    itself = desk.post(f"/admin/art44/{number}/same", data={"other": number})
    assert itself.status_code == 422 and "不能把申请标记为与它自己相同" in text(itself)
    empty = desk.post(f"/admin/art44/{number}/same", data={"other": ""})
    assert empty.status_code == 422 and "请填写申请编号" in text(empty)
    assert desk.get("/admin/art44/2026-9999/same").status_code == 404


def test_marking_twice_is_refused_and_unmarking_leaves_the_group(app, desk):
    first = application(app, outcome=None)
    second = application(app, applicant=SECOND_APPLICANT, outcome=None)
    assert desk.post(f"/admin/art44/{second}/same", data={"other": first}).status_code == 303
    twice = desk.post(f"/admin/art44/{first}/same", data={"other": second})
    assert twice.status_code == 422 and "已标记为相同信息" in text(twice)
    done = desk.post(f"/admin/art44/{second}/same/remove", follow_redirects=True)
    assert "已取消" in text(done) and f'href="/admin/requests/{first}"' not in text(done)
    again = desk.post(f"/admin/art44/{second}/same/remove", follow_redirects=True)
    assert "本申请没有被标记为与其他申请相同" in text(again)
