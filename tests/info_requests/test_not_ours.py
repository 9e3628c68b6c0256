"""Art. 36(五): 非本机关负责公开 — the answer says why and names the office responsible with its contact details,
chosen from the settings' list or typed; it counts as 无法提供 · 本机关不掌握相关政府信息 in the annual report.
Applications are handed in on Mon 2026-03-02 and answered on Fri 2026-03-20."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.admin.settings import save_other_office
from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.info_requests.reply_letters import Competent
from portal.models import HANDLER, AuditEntry, InfoRequest, User
from portal.reports import lines
from tests.factories.requests import handed_in
from tests.factories.staff import login, make_user

HOUSING = {"name": "上海市普陀区住房保障和房屋管理局", "address": "上海市普陀区大渡河路1668号", "phone": "021-52564588"}
REASON = "加装电梯补贴由区住房保障和房屋管理局审核发放，相关名单由该局制作和保存（条例第十条）。"
CHOICE = "可以自收到本答复之日起60日内向上海市普陀区人民政府申请行政复议，也可以自收到本答复之日起6个月内"


@pytest.fixture
def desk(app):
    """A seeded calendar, a 经办人, one application and one listed office; returns what the tests need."""
    with app.app_context():
        ensure_seeded()
        handler = db.session.get(User, make_user("handler", HANDLER).id)
        other = save_other_office(HOUSING)
        return {"number": handed_in(date(2026, 3, 2), handler).tracking_number, "other": str(other.id)}


def post_reply(app, number: str, **fields):
    """The reply form posted by the 经办人."""
    client = app.test_client()
    login(client, "handler")
    data = {"reply-on": "2026-03-20", "reply-outcome": "非本机关负责公开"} | {f"reply-{k}": v for k, v in fields.items()}
    return client, client.post(f"/admin/requests/{number}/reply", data=data)


def stored(number: str) -> InfoRequest:
    """The application with its letters loaded (inside an app context)."""
    info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
    info_request.letters  # noqa: B018  (load before the context ends)
    return info_request


def test_the_answer_names_the_listed_office_with_its_address_and_phone(app, desk):
    client, response = post_reply(app, desk["number"], competent=desk["other"], note=REASON)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    with app.app_context():
        info_request = stored(desk["number"])
        letter = info_request.letters[-1]
        assert letter.kind == "答复书"
        assert "经审查，您申请公开的政府信息不属于本机关负责公开。理由：" + REASON in letter.body
        assert ("根据《中华人民共和国政府信息公开条例》第三十六条第（五）项的规定，告知如下：该政府信息由"
                "上海市普陀区住房保障和房屋管理局负责公开，联系方式：地址：上海市普陀区大渡河路1668号；电话：021-52564588。"
                in letter.body)
        assert CHOICE in letter.body  # 无法提供: 复议 or a lawsuit, at the applicant's choice
        assert (info_request.outcome, info_request.ground) == (rl.UNABLE, "本机关不掌握相关政府信息")
        assert lines.row_for("2021", info_request.outcome, info_request.ground).key == "unable-1"
        audit = db.session.scalar(select(AuditEntry.summary).filter_by(action="reply"))
        assert "答复：非本机关负责公开（负责公开的机关：上海市普陀区住房保障和房屋管理局）" in audit
        letter_id = letter.id
    page = client.get(f"/admin/requests/{desk['number']}/letters/{letter_id}").get_data(as_text=True)
    assert "上海市普陀区住房保障和房屋管理局负责公开" in page and "021-52564588" in page  # the printed letter


def test_an_office_not_on_the_list_can_be_typed(app, desk):
    _, response = post_reply(app, desk["number"], competent="", note="该信息由区民政局制作。",
                             competent_name="上海市普陀区民政局", competent_phone="021-52564000")
    assert response.status_code == 303
    with app.app_context():
        body = stored(desk["number"]).letters[-1].body
        assert "该政府信息由上海市普陀区民政局负责公开，联系方式：电话：021-52564000。" in body


def test_a_typed_office_without_contact_details_is_refused_and_the_form_keeps_what_was_typed(app, desk):
    _, response = post_reply(app, desk["number"], competent="", note="该信息由区民政局制作。",
                             competent_name="上海市普陀区民政局")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请填写负责公开的机关的联系方式" in page
    assert re.search(r'<input[^>]*id="reply-competent_name"[^>]*value="上海市普陀区民政局"', page)
    assert "该信息由区民政局制作。" in page
    radio = re.search(r'<input[^>]*value="非本机关负责公开"[^>]*>', page).group(0)
    assert "checked" in radio
    with app.app_context():
        assert stored(desk["number"]).letters[-1].kind == "接收回执"  # nothing issued


def test_the_reason_is_required(app, desk):
    _, response = post_reply(app, desk["number"], competent=desk["other"], note="")
    assert response.status_code == 422 and "请在答复说明中写明理由" in response.get_data(as_text=True)


def test_the_reply_form_offers_the_listed_offices(app, desk):
    client = app.test_client()
    login(client, "handler")
    page = client.get(f"/admin/requests/{desk['number']}").get_data(as_text=True)
    assert "非本机关负责公开（第三十六条第（五）项" in page
    assert f'<option value="{desk["other"]}">上海市普陀区住房保障和房屋管理局</option>' in page


def test_when_the_office_responsible_cannot_be_determined_the_answer_says_so(app, desk):
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=desk["number"]))
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        services.reply(info_request, date(2026, 3, 20), handler, outcome=rl.UNABLE,
                       ground="本机关不掌握相关政府信息", note="该信息不是本机关制作或者保存的。", competent=Competent())
        body = info_request.letters[-1].body
        assert "第三十六条第（五）项的规定，告知如下：本机关无法确定负责公开该政府信息的行政机关。" in body


def test_the_service_refuses_a_competent_office_on_another_outcome(app, desk):
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=desk["number"]))
        handler = db.session.scalar(select(User).filter_by(username="handler"))
        with pytest.raises(ValueError, match="无法提供—本机关不掌握相关政府信息"):
            services.reply(info_request, date(2026, 3, 20), handler, outcome=rl.REFUSED, ground="属于国家秘密",
                           note="x", competent=Competent(**HOUSING))
