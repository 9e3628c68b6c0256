"""Proof of identity where the office asks for it: the form asks for the 证件 copy (and an agent's 授权委托书)
as the settings say, refuses a missing, wrong-typed, oversized or oddly named file in Chinese with the typed
text kept, stores the files outside the web root (a rollback removes them, the sweep keeps them), and shows
them to staff only behind the reveal, each opening logged, sent as a no-store attachment."""
import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.admin.settings import update_office
from portal.calendar.store import ensure_seeded
from portal.core.uploads import stored_path, sweep_orphans, upload_dir
from portal.extensions import db
from portal.info_requests import proofs, services
from portal.models import HANDLER, AuditEntry, InfoRequest, ProofFile
from tests.factories.files import pdf_bytes, png_bytes
from tests.factories.people import CITIZEN_FORM
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.staff import login, make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def asking(app):
    """A factory: the office's proof settings saved through the settings service."""
    def set_to(id_proof: str, agent_proof: str = "不要求") -> None:
        with app.app_context():
            ensure_seeded()
            update_office({"id_proof": id_proof, "agent_proof": agent_proof})
    return set_to


def apply(client, *, id_files=(), agent_files=(), **changes):
    """Post the citizen's form with these files (content, name), multipart as a browser sends it."""
    data = CITIZEN_FORM | changes
    data["id_proof"] = [(io.BytesIO(content), name) for content, name in id_files]
    data["agent_proof"] = [(io.BytesIO(content), name) for content, name in agent_files]
    return client.post("/apply/form", data=data, content_type="multipart/form-data")


def stored(app) -> list[ProofFile]:
    """Every proof row."""
    with app.app_context():
        return list(db.session.scalars(select(ProofFile).order_by(ProofFile.id)))


def test_the_form_hides_the_upload_when_the_office_asks_for_none(client, asking):
    asking("不要求")
    page = client.get("/apply/form").get_data(as_text=True)
    assert 'type="file"' not in page and "代理人姓名" not in page


def test_a_required_copy_of_the_id_is_asked_for_and_refused_without_it_keeping_the_typed_text(client, app, asking):
    asking("必须提交")
    page = client.get("/apply/form").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'accept=".pdf,.jpg,.jpeg,.png"' in page
    assert '<label for="id_proof">身份证件复印件</label> <span class="req">（必填）</span>' in page
    response = apply(client, description="石泉路街道2025年社区食堂补贴的发放标准")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "本机关要求提交身份证件复印件，请选择文件（PDF 或图片（JPG、PNG））" in html
    assert "石泉路街道2025年社区食堂补贴的发放标准" in html and 'value="13800138000"' in html
    assert stored(app) == []


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00 not an image", "身份证.exe", "的类型不受支持，请上传 PDF 或图片（JPG、PNG）"),
    (b"%!PS-Adobe not a pdf", "身份证.pdf", "的内容与扩展名 .pdf 不符，已拒收"),
    (pdf_bytes() + b"\0" * (1024 * 1024), "身份证.pdf", "超过 1 MB 的大小限制"),
    (png_bytes(), "身份证\u202egnp.exe.png", "含有控制字符或不可见的格式字符"),
    (png_bytes(), "身份证\x00正面.png", "含有控制字符或不可见的格式字符"),
    (png_bytes(), "身份证\u200b正面.png", "含有控制字符或不可见的格式字符"),
])
def test_a_bad_file_is_refused_in_chinese_with_the_typed_text_kept(client, app, asking, content, name, message):
    asking("必须提交")
    app.config["PROOF_MAX_FILE_MB"] = 1
    response = apply(client, id_files=[(content, name)], name="李小红")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html and "已选择的文件没有保存：请改正后重新选择文件" in html
    assert 'value="李小红"' in html and "2024年石泉路街道老旧小区加装电梯补贴的发放名单" in html
    assert stored(app) == []
    with app.app_context():
        assert list(upload_dir().iterdir()) == []


def test_files_chosen_on_a_form_with_another_error_are_asked_for_again(client, app, asking):
    asking("可以提交")
    response = apply(client, id_files=[(png_bytes(), "正面.png")], phone="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写联系电话" in html
    assert "已选择的文件没有保存：请改正后重新选择文件" in html and stored(app) == []


def test_an_optional_copy_may_be_left_out_and_a_sent_one_is_stored_outside_the_web_root(client, app, asking):
    asking("可以提交")
    assert apply(client).status_code == 303
    assert apply(client, id_files=[(png_bytes(), "正面.png"), (pdf_bytes(), "反面.pdf")]).status_code == 303
    rows = stored(app)
    assert [(r.kind, r.filename, r.mime_type) for r in rows] == [
        ("证件", "正面.png", "image/png"), ("证件", "反面.pdf", "application/pdf")]
    with app.app_context():
        for row in rows:
            path = stored_path(row.stored_name)
            assert path.read_bytes() in (png_bytes(), pdf_bytes())
            assert row.stored_name != row.filename and ROOT / "static" not in path.parents
        assert sweep_orphans(older_than=timedelta(0)) == []  # NAMED_BY keeps them


def test_an_agent_must_send_the_power_of_attorney_when_the_office_requires_it(client, app, asking):
    asking("不要求", agent_proof="必须提交")
    page = client.get("/apply/form").get_data(as_text=True)
    assert "代理人姓名" in page and "（由代理人申请的必填）" in page
    assert apply(client).status_code == 303  # applying in person: no 授权委托书 asked
    refused = apply(client, agent_name="王律师").get_data(as_text=True)
    assert "由代理人申请的，本机关要求提交授权委托书" in refused and 'value="王律师"' in refused
    assert apply(client, agent_name="王律师", agent_files=[(pdf_bytes(), "授权委托书.pdf")]).status_code == 303
    rows = stored(app)
    assert [(r.kind, r.filename) for r in rows] == [("授权委托书", "授权委托书.pdf")]
    with app.app_context():
        assert db.session.get(InfoRequest, rows[0].info_request_id).applicant.agent_name == "王律师"


def test_a_rolled_back_application_leaves_no_proof_file_behind(app, asking):
    asking("必须提交")
    with app.app_context():
        checked = [("证件", proofs.check_file("正面.png", png_bytes()))]
        with pytest.raises(Exception):
            services.submit_online(FIELDS | {"description": None}, APPLICANT, checked)  # NOT NULL refuses it
        db.session.rollback()
        assert list(upload_dir().iterdir()) == []
        assert db.session.scalars(select(ProofFile)).all() == []


def test_staff_see_the_files_only_after_the_reveal_and_every_opening_is_logged(app, asking):
    asking("必须提交")
    applicant = app.test_client()
    assert apply(applicant, id_files=[(png_bytes(), "身份证正面.png")]).status_code == 303
    [row] = stored(app)
    with app.app_context():
        make_user("handler", HANDLER, display_name="李经办")
        number = db.session.get(InfoRequest, row.info_request_id).tracking_number
    staff = app.test_client()
    login(staff, "handler")
    url = f"/admin/requests/{number}/proofs/{row.public_id}"
    page = staff.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "申请人提交了 1 个文件（证件），显示完整信息后可以查看" in page and url not in page
    revealed = staff.post(f"/admin/requests/{number}/reveal").get_data(as_text=True)
    assert url in revealed and "身份证正面.png" in revealed
    for _ in range(2):
        response = staff.get(url)
        assert response.status_code == 200 and response.data == png_bytes()
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
    assert staff.get(f"/admin/requests/{number}/proofs/{'0' * 32}").status_code == 404
    with app.app_context():
        summaries = db.session.scalars(select(AuditEntry.summary).filter_by(action="view_proof")).all()
        assert summaries == [f"申请 {number}：查看身份证明材料（证件：身份证正面.png）"] * 2
        assert db.session.scalar(select(AuditEntry).filter_by(action="reveal_applicant")).actor_name == "李经办"
    assert applicant.get(url).status_code in (302, 401, 403)  # the applicant's browser is no staff session
