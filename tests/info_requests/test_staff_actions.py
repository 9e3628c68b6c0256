"""Each action on an application: its event, audit row, letter and mail in one transaction; refusals leave
nothing; the applicant's data masked everywhere until a logged reveal."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.calendar.store import ensure_seeded
from portal.core.clock import office_today
from portal.extensions import db
from portal.info_requests import outcomes as rl
from portal.info_requests import services
from portal.models import HANDLER, HEAD, AuditEntry, InfoRequest, OutboxMessage, User
from portal.reports import lines
from tests.factories.requests import APPLICANT, FIELDS, handed_in, posted
from tests.factories.staff import login, make_user


@pytest.fixture
def desk(app):
    """A seeded calendar, a 经办人 and a 负责人; returns their ids."""
    with app.app_context():
        ensure_seeded()
        return {"handler": make_user("handler", HANDLER).id, "head": make_user("head", HEAD).id}


def signed_in(app, username: str):
    """A client signed in as this account."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def make(app, desk, state: str) -> str:
    """An application in the named state; returns its tracking number."""
    with app.app_context():
        handler = db.session.get(User, desk["handler"])
        if state == "online":
            info_request, _ = services.submit_online(FIELDS, APPLICANT)
        elif state == "plain":
            info_request = posted(date(2026, 3, 2), handler)
        else:
            info_request = handed_in(date(2026, 3, 2), handler)
        if state in ("correcting", "corrected"):
            services.request_correction(info_request, date(2026, 3, 4), handler, points="请写明年份", workdays=10)
        if state == "consulting":
            services.start_consultation(info_request, date(2026, 3, 4), handler, party_kind="第三方",
                                       recipient="某物业公司", matter="维修资金明细")
        return info_request.tracking_number


def written(app, number: str) -> dict:
    """What exists for an application: event kinds, letter kinds, audit actions, mail subjects."""
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        audit = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.object_type == "info_request", AuditEntry.object_id == str(info_request.id),
            AuditEntry.action.not_in(["view_request", "view_letter"])).order_by(AuditEntry.id)).all()
        mail = db.session.scalars(select(OutboxMessage.subject).where(
            OutboxMessage.related == f"info_request:{number}").order_by(OutboxMessage.id)).all()
        return {"events": [e.kind for e in info_request.events], "letters": [l.kind for l in info_request.letters],
                "audit": list(audit), "mail": list(mail), "state": info_request.state}


def added(before: dict, after: dict) -> dict:
    """What an action added."""
    return {k: after[k][len(before[k]):] for k in ("events", "letters", "audit", "mail")}


ACTIONS = [
    # state, who, url part, form data, event, letter, audit action, mails the applicant
    ("online", "handler", "confirm", {"on": "today"}, "confirmed", "接收回执", "confirm_request", True),
    ("plain", "handler", "confirm", {"on": "2026-03-02"}, "confirmed", "接收回执", "confirm_request", True),
    ("received", "handler", "correction", {"on": "2026-03-04", "points": "请写明年份", "period": "workdays",
                                           "workdays": "10"}, "correction_requested", "补正告知书",
     "request_correction", True),
    ("correcting", "handler", "corrected", {"on": "2026-03-10"}, "corrected_received", None, "record_correction",
     False),
    ("received", "handler", "consult", {"on": "2026-03-04", "party_kind": "第三方", "recipient": "某物业公司",
                                        "matter": "维修资金明细"}, "consultation_started", "征求意见书",
     "start_consultation", False),
    ("consulting", "handler", "deliver", {"on": "2026-03-05", "party": "第三方", "how": "邮寄签收"},
     "consultation_delivered", None, "record_delivery", False),
    ("consulting", "handler", "close", {"on": "2026-03-10", "party": "第三方", "reason": "收到意见",
                                        "opinion": "同意公开"}, "consultation_closed", None, "close_consultation",
     False),
    ("received", "head", "extend", {"on": "2026-03-20", "workdays": "20", "reason": "需调取档案"},
     "extension_approved", "延期答复告知书", "approve_extension", True),
    ("received", "head", "delay", {"on": "2026-03-10", "until": "2026-06-30", "reason": "申请数量明显超过合理范围"},
     "delay_set", "延迟答复告知书", "set_delay", True),
    ("received", "handler", "reply", {"on": "2026-03-20", "outcome": "部分公开", "ground": "保护第三方合法权益"},
     "replied", "答复书", "reply", True),
    ("received", "handler", "withdraw", {"on": "2026-03-05", "reason": "申请人电话告知"}, "withdrawn", None,
     "withdraw_request", False),
    ("correcting", "handler", "abandon", {"on": "2026-03-25"}, "abandoned", "视为放弃告知书", "mark_abandoned", True),
]


@pytest.mark.parametrize("state, who, path, data, event, letter, audit, mails", ACTIONS,
                         ids=[f"{a[2]}-{a[0]}" for a in ACTIONS])
def test_each_action_writes_its_event_audit_row_letter_and_mail(app, desk, state, who, path, data, event, letter,
                                                                  audit, mails):
    number = make(app, desk, state)
    before = written(app, number)
    data = {k: office_today().isoformat() if v == "today" else v for k, v in data.items()}
    response = signed_in(app, who).post(f"/admin/requests/{number}/{path}",
                                        data={f"{path}-{k}": v for k, v in data.items()})
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    new = added(before, written(app, number))
    assert new["events"] == [event] and new["audit"] == [audit]
    assert new["letters"] == ([letter] if letter else [])
    assert len(new["mail"]) == (1 if mails else 0)


def test_registering_a_paper_application_shows_the_query_code_once(app, desk):
    client = signed_in(app, "handler")
    form = {"channel": "邮寄", "received_on": "2026-03-02", "applicant_type": "公民", "name": "李四",
            "id_type": "居民身份证", "id_number": APPLICANT["id_number"], "address": "上海市普陀区石泉路1号",
            "description": "石泉路街道2025年预算执行情况", "provide_forms": "纸质", "obtain_methods": "邮寄",
            "late_for": "2026-03-02", "confirm_late": "y"}  # months back: the confirming submit
    response = client.post("/admin/requests/register", data=form)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "查询码（只显示这一次）" in page and "办理中" in page
    assert "查询码（只显示这一次）" not in client.get(response.headers["Location"]).get_data(as_text=True)
    number = response.headers["Location"].rsplit("/", 1)[1]
    got = written(app, number)
    assert got["events"] == ["received"] and got["letters"] == ["接收回执"] and got["audit"] == ["register_request"]
    assert got["mail"] == []  # no e-mail address was given
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        assert info_request.receipt_date == date(2026, 3, 2) and info_request.handler_id == desk["handler"]


def test_a_registration_without_any_contact_is_refused_with_the_input_kept(app, desk):
    client = signed_in(app, "handler")
    response = client.post("/admin/requests/register", data={
        "channel": "当面", "received_on": "2026-03-02", "applicant_type": "公民", "name": "李四",
        "id_type": "居民身份证", "id_number": APPLICANT["id_number"], "description": "石泉路街道2025年预算",
        "provide_forms": "纸质", "obtain_methods": "自行领取/当场阅读抄录"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "请至少填写一种联系方式" in page and "石泉路街道2025年预算" in page
    with app.app_context():
        assert db.session.scalar(select(InfoRequest)) is None


def test_a_second_extension_is_refused_beside_its_form_with_the_input_kept_and_nothing_written(app, desk):
    number = make(app, desk, "received")
    client = signed_in(app, "head")
    client.post(f"/admin/requests/{number}/extend", data={"extend-on": "2026-03-20", "extend-workdays": "10",
                                                          "extend-reason": "需调取档案"})
    before = written(app, number)
    response = client.post(f"/admin/requests/{number}/extend", data={
        "extend-on": "2026-03-25", "extend-workdays": "5", "extend-reason": "还要再查一次档案"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "答复期限只能延长一次" in page and "还要再查一次档案" in page
    assert added(before, written(app, number)) == {"events": [], "letters": [], "audit": [], "mail": []}


@pytest.mark.parametrize("workdays", ["２０", "①", "٣", str(10**30), "21"])
def test_an_extension_typed_in_other_digits_or_out_of_range_is_refused_in_chinese_with_the_input_kept(app, desk,
                                                                                                     workdays):
    number = make(app, desk, "received")
    before = written(app, number)
    response = signed_in(app, "head").post(f"/admin/requests/{number}/extend", data={
        "extend-on": "2026-03-20", "extend-workdays": workdays, "extend-reason": "需调取档案"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "延长的期限应为1至20个工作日的整数" in page
    assert f'value="{workdays}"' in page
    assert added(before, written(app, number)) == {"events": [], "letters": [], "audit": [], "mail": []}


@pytest.mark.parametrize("path, data, message", [
    ("correction", {"on": "2099-01-05", "points": "请写明年份", "period": "workdays", "workdays": "10"}, "晚于今天"),
    ("reply", {"on": "2026-03-20", "outcome": "不予公开", "ground": ""}, "须从以下理由中选择一项"),
    ("reply", {"on": "2026-03-20", "outcome": "已经主动公开", "note": ""}, "请写明获取该信息的方式和途径"),
    ("confirm", {"on": "2026-03-03"}, "不能确认收到申请"),
    ("correction", {"on": "2026-03-04", "points": "请写明年份", "period": "workdays", "workdays": "１０"},
     "请填写1至60之间的整数"),
    ("correction", {"on": "2026-03-04", "points": "请写明年份", "period": "workdays", "workdays": "²"},
     "请填写1至60之间的整数"),
    ("correction", {"on": "2026-03-04", "points": "请写明年份", "period": "workdays", "workdays": str(10**30)},
     "请填写1至60之间的整数"),
])
def test_refused_actions_leave_nothing(app, desk, path, data, message):
    number = make(app, desk, "received")
    before = written(app, number)
    response = signed_in(app, "handler").post(f"/admin/requests/{number}/{path}",
                                              data={f"{path}-{k}": v for k, v in data.items()})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert added(before, written(app, number)) == {"events": [], "letters": [], "audit": [], "mail": []}


def test_marking_abandoned_before_the_correction_period_ends_is_refused(app, desk):
    number = make(app, desk, "correcting")  # period: 10 working days from 2026-03-04 → 2026-03-18
    response = signed_in(app, "handler").post(f"/admin/requests/{number}/abandon", data={"abandon-on": "2026-03-18"})
    assert response.status_code == 422 and "尚未届满" in response.get_data(as_text=True)


def test_a_handler_cannot_approve_an_extension_or_a_delay(app, desk):
    number = make(app, desk, "received")
    client = signed_in(app, "handler")
    before = written(app, number)
    for path, data in (("extend", {"on": "2026-03-20", "workdays": "10", "reason": "档案"}),
                       ("delay", {"on": "2026-03-10", "until": "2026-06-30", "reason": "很多"})):
        response = client.post(f"/admin/requests/{number}/{path}", data={f"{path}-{k}": v for k, v in data.items()})
        assert response.status_code == 403
    assert added(before, written(app, number)) == {"events": [], "letters": [], "audit": [], "mail": []}
    page = client.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "须由政府信息公开工作机构负责人批准" in page and "批准延期并生成告知书" not in page


def test_the_service_itself_refuses_an_extension_by_someone_without_the_head_role(app, desk):
    with app.app_context():
        handler = db.session.get(User, desk["handler"])
        info_request = handed_in(date(2026, 3, 2), handler)
        with pytest.raises(ValueError, match="负责人"):
            services.approve_extension(info_request, date(2026, 3, 20), handler, workdays=10, reason="档案")


def test_the_page_is_masked_and_the_reveal_is_audited(app, desk):
    number = make(app, desk, "received")
    client = signed_in(app, "handler")
    page = client.get(f"/admin/requests/{number}").get_data(as_text=True)
    for full in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"],
                 APPLICANT["address"]):
        assert full not in page
    assert "张*丰" in page and "z***@example.com" in page and "138****8000" in page
    revealed = client.post(f"/admin/requests/{number}/reveal", headers={"HX-Request": "true"})
    html = revealed.get_data(as_text=True)
    assert revealed.status_code == 200 and html.lstrip().startswith('<section id="applicant"')
    for full in (APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], APPLICANT["email"]):
        assert full in html
    assert "no-store" in revealed.headers["Cache-Control"]
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "info_request")).all()
        actions_by = [(r.action, r.actor_id) for r in rows]
        assert ("view_request", desk["handler"]) in actions_by and ("reveal_applicant", desk["handler"]) in actions_by


def test_the_reveal_works_without_javascript_as_a_full_page(app, desk):
    number = make(app, desk, "received")
    page = signed_in(app, "handler").post(f"/admin/requests/{number}/reveal").get_data(as_text=True)
    assert "<h1>申请 " in page and APPLICANT["id_number"] in page and "已显示完整信息" in page


def offered(page: str) -> set[str]:
    """The action sections on an application's page."""
    return {name for name in ("confirm", "correction", "corrected", "consult", "close", "extend", "delay", "reply",
                              "withdraw", "abandon") if f'id="action-{name}"' in page}


def test_only_actions_allowed_in_the_state_are_offered(app, desk):
    client = signed_in(app, "head")
    page = client.get(f"/admin/requests/{make(app, desk, 'plain')}").get_data(as_text=True)
    assert offered(page) == {"confirm", "withdraw"}
    page = client.get(f"/admin/requests/{make(app, desk, 'correcting')}").get_data(as_text=True)
    assert offered(page) == {"corrected", "reply", "withdraw", "abandon"}  # the period ended on 2026-03-18
    page = client.get(f"/admin/requests/{make(app, desk, 'received')}").get_data(as_text=True)
    assert offered(page) == {"correction", "consult", "extend", "delay", "reply", "withdraw"}
    page = client.get(f"/admin/requests/{make(app, desk, 'consulting')}").get_data(as_text=True)
    assert offered(page) == {"consult", "close", "extend", "delay", "reply", "withdraw"}


def test_the_applicant_never_sees_the_letter_to_a_consulted_party(app, desk):
    with app.app_context():
        handler = db.session.get(User, desk["handler"])
        info_request, code = services.submit_online(FIELDS, APPLICANT)
        services.confirm(info_request, office_today(), handler)
        services.start_consultation(info_request, office_today(), handler, party_kind="第三方",
                                   recipient="某物业公司", matter="维修资金明细")
        number, consult_id = info_request.tracking_number, info_request.letters[-1].id
    public = app.test_client()
    public.post("/apply/track", data={"number": number, "code": code})
    page = public.get(f"/apply/track/{number}").get_data(as_text=True)
    assert "接收回执（确认收到）" in page and "征求" not in page.split("已发出的文书")[1].split("申请内容")[0]
    assert "某物业公司" not in page
    assert public.get(f"/apply/track/{number}/letters/{consult_id}").status_code == 404


def test_the_applicant_sees_the_abandonment_notice_when_tracking(app, desk):
    with app.app_context():
        handler = db.session.get(User, desk["handler"])
        info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 3, 2),
                                              user=handler)
        services.request_correction(info_request, date(2026, 3, 4), handler, points="请写明年份", workdays=10)
        services.mark_abandoned(info_request, date(2026, 3, 19), handler)
        number, notice_id = info_request.tracking_number, info_request.letters[-1].id
    public = app.test_client()
    public.post("/apply/track", data={"number": number, "code": code})
    sent = public.get(f"/apply/track/{number}").get_data(as_text=True).split("已发出的文书")[1]
    assert "政府信息公开申请视为放弃告知书" in sent and "石信公〔2026〕弃字第1号" in sent
    letter = public.get(f"/apply/track/{number}/letters/{notice_id}").get_data(as_text=True)
    assert "不再处理" in letter and "2026年3月19日" in letter


def test_a_letter_prints_on_its_own_page_without_navigation(app, desk):
    number = make(app, desk, "received")
    client = signed_in(app, "handler")
    detail = client.get(f"/admin/requests/{number}").get_data(as_text=True)
    href = detail.split('href="/admin/requests/' + number + '/letters/')[1].split('"')[0]
    page = client.get(f"/admin/requests/{number}/letters/{href}").get_data(as_text=True)
    assert "石信公〔2026〕收字第1号" in page and "（印章）" in page
    assert "site-nav" not in page and "admin-nav" not in page and "requests.css" in page
    css = client.get("/static/css/requests.css").get_data(as_text=True)
    assert "@page { size: A4" in css
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="view_letter"))
        assert entry.actor_id == desk["handler"] and "石信公〔2026〕收字第1号" in entry.summary


def test_reply_with_an_outcome_stores_the_report_line(app, desk):
    number = make(app, desk, "received")
    signed_in(app, "handler").post(f"/admin/requests/{number}/reply", data={
        "reply-on": "2026-03-20", "reply-outcome": "已经主动公开", "reply-note": "本门户“法定主动公开内容”栏目"})
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        assert (info_request.outcome, info_request.ground) == (rl.DISCLOSED, rl.ALREADY_PUBLISHED)
        assert lines.row_for("2021", info_request.outcome, info_request.ground).key == "disclosed"


def test_the_consultation_form_never_prefills_the_applicants_request_text(app, desk):
    number = make(app, desk, "received")
    page = signed_in(app, "handler").get(f"/admin/requests/{number}").get_data(as_text=True)
    textarea = re.search(r'<textarea[^>]*id="consult-matter"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea is not None and textarea.group(1).strip() == ""
    assert "不要写申请人的姓名、证件号码、联系方式等身份信息" in page


CODE = re.compile(r'<p class="big">([A-Z0-9]{4}-[A-Z0-9]{4})</p>')


@pytest.mark.parametrize("who", ["handler", "head"])
def test_a_lost_query_code_is_replaced_by_one_shown_once_and_the_old_code_stops_working(app, desk, who):
    with app.app_context():
        info_request, old = services.submit_online(FIELDS, APPLICANT)
        number = info_request.tracking_number
    client = signed_in(app, who)
    assert "重新生成查询码" in client.get(f"/admin/requests/{number}").get_data(as_text=True)
    response = client.post(f"/admin/requests/{number}/reset-code")
    assert response.status_code == 303
    shown = client.get(response.headers["Location"])
    html = shown.get_data(as_text=True)
    assert "no-store" in shown.headers["Cache-Control"]
    assert "新的查询码（只显示这一次）" in html and "原查询码已失效" in html
    new = CODE.search(html).group(1)
    assert new != old
    assert not CODE.search(client.get(f"/admin/requests/{number}").get_data(as_text=True))
    with app.app_context():
        assert services.find_tracked(number, old) is None
        assert services.find_tracked(number, new).tracking_number == number
        entry = db.session.scalars(select(AuditEntry).filter_by(action="reset_query_code")).one()
        assert entry.actor_id == desk[who] and entry.object_id == str(info_request.id)
        assert new not in " ".join(str(v) for v in (entry.summary, entry.before, entry.after))


@pytest.mark.parametrize("ground, action", [(rl.OVERDUE_CORRECTION, "视为放弃申请"),
                                            (rl.UNPAID_FEE, "逾期未缴费（视为放弃申请）")])
def test_a_reply_never_ends_an_application_as_abandoned_only_its_own_step_does(app, desk, ground, action):
    # Received Mon 03-02, 补正告知书 Wed 03-04 for 10 working days: 03-05,06 (2), 03-09..13 (7), 03-16..18 (10)
    # → 03-18. A reply of 其他处理 on Thu 03-05 with a 视为放弃 ground would go around that date (and around a
    # fee's payment period): the form does not offer the ground, and the service refuses it, naming the action.
    number = make(app, desk, "correcting")
    before = written(app, number)
    client = signed_in(app, "handler")
    page = client.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert f'value="{ground}"' not in page
    response = client.post(f"/admin/requests/{number}/reply", data={
        "reply-on": "2026-03-05", "reply-outcome": rl.OTHER, "reply-ground": ground})
    assert response.status_code != 303
    assert added(before, written(app, number)) == {"events": [], "letters": [], "audit": [], "mail": []}
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        with pytest.raises(ValueError, match=f"不能以答复办理：请在申请页面使用“{re.escape(action)}”操作"):
            services.reply(info_request, date(2026, 3, 5), db.session.get(User, desk["handler"]),
                           outcome=rl.OTHER, ground=ground)
        assert info_request.state == "待补正"
