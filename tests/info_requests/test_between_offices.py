"""Applications between the offices of a district's portal: the applicant chooses the office (选择受理机关);
an application not yet confirmed can be passed to another office (签收/退回) by a 经办人 of its office or the
政务公开办; once confirmed it stays, and its office answers 非本机关负责公开 naming the competent office.

Dates: an online application arrives on Mon 2026-03-02, is passed on Tue 2026-03-03 and confirmed by the
receiving office that same Tuesday (no holiday in March 2026).
"""
from datetime import date

import pytest
from sqlalchemy import select

from portal.admin.settings import update_office
from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests import passing, services
from portal.models import COORDINATOR, HANDLER, HEAD, AuditEntry, InfoRequest, Office, OutboxMessage, User
from tests.factories.offices import in_office, make_office
from tests.factories.people import CITIZEN_FORM
from tests.factories.requests import APPLICANT, FIELDS, handed_in, user
from tests.factories.staff import login

MON, TUE, WED = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
REASON = "所申请的加装电梯补贴名单由万镇街道制作并保存（条例第十条）"
WANZHEN = {"description": "万镇街道辖区的社区事务、城市管理、加装电梯补贴等信息", "search_hint": "万镇 加装电梯 社区"}
CONTACT = {"address": "上海市普陀区万镇路1号", "phone": "021-11112222", "disclosure_office": "万镇街道党政办公室"}


@pytest.fixture
def district(app, today):
    """Two offices (石泉路, the first; 万镇), a 经办人 in each, and an online application to 石泉路 on Mon 03-02;
    today is then Tue 03-03."""
    today(MON)
    with app.app_context():
        ensure_seeded()
        wanzhen = make_office("wanzhen", "万镇街道办事处", prefix="WZ", **WANZHEN)
        user("shi", HANDLER)
        with in_office(wanzhen):
            update_office(CONTACT)  # its own settings, as its 管理员 saves them
            user("wan", HANDLER)
        info_request, code = services.submit_online(FIELDS, APPLICANT)
        made = {"first": Office.first().id, "wanzhen": wanzhen.id, "number": info_request.tracking_number,
                "code": code}
    today(TUE)  # the day it is passed on (and the pages are seen)
    return made


def stored(number: str) -> InfoRequest:
    """The application (inside an app context)."""
    return db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))


def account(username: str) -> User:
    """A staff account made by the fixture."""
    return db.session.scalar(select(User).filter_by(username=username))


def pass_to_wanzhen(district, by: str = "shi"):
    """石泉路's 经办人 passes the application to 万镇 on Tue 03-03 (inside an app context)."""
    with in_office(db.session.get(Office, district["first"])):
        return passing.pass_on(stored(district["number"]), db.session.get(Office, district["wanzhen"]),
                               account(by), reason=REASON, on=TUE)


def signed_in(app, username: str):
    """A client signed in as the account."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


# --- 签收/退回: the service ---------------------------------------------------------------------------------

def test_a_passed_application_belongs_to_the_other_office_and_keeps_its_number(app, district):
    with app.app_context():
        info_request = pass_to_wanzhen(district)
        assert info_request.office_id == district["wanzhen"]
        assert info_request.tracking_number == district["number"] == "2026-0001"  # the first office's number stays
        assert info_request.state == "待确认" and info_request.receipt_date is None  # passing sets no receipt date
        assert info_request.handler_id is None
        event = info_request.events[-1]
        assert (event.kind, event.date, event.party, event.actor) == ("passed", TUE, "万镇街道办事处", "shi")
        assert event.reason == REASON and event.note == "由上海市普陀区石泉路街道办事处转至万镇街道办事处"
        audit = db.session.scalar(select(AuditEntry).filter_by(action="pass_request"))
        assert "转至万镇街道办事处" in audit.summary and REASON in audit.summary
        assert audit.office_id == district["first"] and '"office_id"' in audit.after


def test_the_receiving_office_confirms_it_and_that_day_is_the_receipt_date(app, district):
    with app.app_context():
        pass_to_wanzhen(district)
        with in_office(db.session.get(Office, district["wanzhen"])):
            # Passed on Tue 03-03 and confirmed by 万镇 that day: it arrived there that day, so no reason is asked,
            # although the application reached the portal on Mon 03-02.
            info_request = services.confirm(stored(district["number"]), TUE, account("wan"))
        assert info_request.receipt_date == TUE
        # 20 working days strictly after Tue 03-03: Wed 4 (1) … Fri 6 (3), 9–13 (4–8), 16–20 (9–13),
        # 23–27 (14–18), Mon 30 (19), Tue 31 (20).
        assert info_request.due_date == date(2026, 3, 31)
        assert info_request.letters[-1].number.startswith("万镇信公")  # the receiving office's letter
        assert info_request.handler_id == account("wan").id


def test_a_confirmation_after_the_day_it_was_passed_needs_its_reason(app, district, today):
    today(WED)
    with app.app_context():
        pass_to_wanzhen(district)
        with in_office(db.session.get(Office, district["wanzhen"])):
            with pytest.raises(ValueError, match="晚于到达之日"):
                services.confirm(stored(district["number"]), WED, account("wan"))


def test_the_applicant_is_mailed_through_the_outbox_when_it_is_passed(app, district):
    with app.app_context():
        pass_to_wanzhen(district)
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[-1]
        assert mail.to_address == APPLICANT["email"] and "已转至万镇街道" in mail.subject
        assert REASON in mail.body and "021-11112222" in mail.body and "查询码不变" in mail.body
        assert mail.related == f"info_request:{district['number']}"


def test_a_confirmed_application_cannot_be_passed_and_the_office_must_answer_not_ours(app, district):
    with app.app_context():
        handed = handed_in(MON, account("shi"))  # handed in: received that day
        with pytest.raises(ValueError, match="非本机关负责公开") as refused:
            with in_office(Office.first()):
                passing.pass_on(handed, db.session.get(Office, district["wanzhen"]), account("shi"), reason=REASON,
                                on=TUE)
        assert "第三十六条第（五）项" in str(refused.value)
        assert stored(handed.tracking_number).office_id == district["first"]


def test_a_handler_of_one_office_cannot_pass_another_office_application(app, district):
    with app.app_context():
        with pytest.raises(ValueError, match="只有本申请所属机关的经办人"):
            pass_to_wanzhen(district, by="wan")  # 万镇's 经办人, the application is 石泉路's
        assert stored(district["number"]).office_id == district["first"]


def test_the_coordinator_may_pass_any_office_application(app, district):
    with app.app_context():
        coordinator = user("gkb", display_name="区政务公开办")
        coordinator.district_role_set = {COORDINATOR}  # no service sets district roles on main yet
        db.session.commit()
        assert pass_to_wanzhen(district, by="gkb").office_id == district["wanzhen"]


def test_a_pass_without_a_reason_or_to_its_own_office_is_refused(app, district):
    with app.app_context():
        info_request, shi = stored(district["number"]), account("shi")
        with pytest.raises(ValueError, match="请写明转办理由"):
            passing.pass_on(info_request, db.session.get(Office, district["wanzhen"]), shi, reason="  ", on=TUE)
        with pytest.raises(ValueError, match="申请已属于"):
            passing.pass_on(info_request, Office.first(), shi, reason=REASON, on=TUE)
        with pytest.raises(ValueError, match="请选择接收申请的机关"):
            passing.pass_on(info_request, None, shi, reason=REASON, on=TUE)


# --- 签收/退回: the staff pages -----------------------------------------------------------------------------

def test_the_pass_form_passes_it_and_it_is_then_in_the_other_office_hands(app, district):
    number, shi = district["number"], signed_in(app, "shi")
    page = shi.get(f"/admin/requests/{number}")
    assert f'href="/admin/requests/{number}/pass"' in page.get_data(as_text=True)
    form = shi.get(f"/admin/requests/{number}/pass").get_data(as_text=True)
    assert f'<option value="{district["wanzhen"]}">万镇街道办事处</option>' in form and 'name="reason"' in form
    done = shi.post(f"/admin/requests/{number}/pass", data={"to_office": district["wanzhen"], "reason": REASON})
    assert done.status_code == 303 and done.headers["Location"].endswith("/admin/requests/")
    assert shi.get(f"/admin/requests/{number}/pass").status_code == 404  # no longer 石泉路's
    wan = signed_in(app, "wan")
    page = wan.get(f"/o/wanzhen/admin/requests/{number}/pass")
    assert page.status_code == 200 and REASON in page.get_data(as_text=True)


def test_a_refused_pass_keeps_what_was_typed(app, district):
    shi = signed_in(app, "shi")
    page = shi.post(f"/admin/requests/{district['number']}/pass",
                    data={"to_office": district["wanzhen"], "reason": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "请写明转办理由" in html
    assert f'<option selected value="{district["wanzhen"]}">' in html
    with app.app_context():
        assert stored(district["number"]).office_id == district["first"]


def test_the_pass_page_of_a_confirmed_application_explains_and_offers_no_form(app, district):
    with app.app_context():
        number = handed_in(MON, account("shi")).tracking_number
    shi = signed_in(app, "shi")
    html = shi.get(f"/admin/requests/{number}/pass").get_data(as_text=True)
    assert "非本机关负责公开" in html and 'name="reason"' not in html
    refused = shi.post(f"/admin/requests/{number}/pass", data={"to_office": district["wanzhen"], "reason": REASON})
    assert refused.status_code == 422 and "第三十六条第（五）项" in refused.get_data(as_text=True)


def test_another_office_application_is_404_on_the_pass_page_and_a_wrong_role_is_403(app, district):
    wan = signed_in(app, "wan")
    assert wan.get(f"/o/wanzhen/admin/requests/{district['number']}/pass").status_code == 404
    assert wan.post(f"/o/wanzhen/admin/requests/{district['number']}/pass",
                    data={"to_office": district["wanzhen"], "reason": REASON}).status_code == 404
    assert wan.get(f"/admin/requests/{district['number']}/pass").status_code == 403  # not a member of 石泉路
    with app.app_context():
        user("boss", HEAD)
    assert signed_in(app, "boss").get(f"/admin/requests/{district['number']}/pass").status_code == 403
    with app.app_context():
        assert stored(district["number"]).office_id == district["first"]


def test_the_coordinator_passes_from_any_office_pages_and_follows_the_application(app, district):
    with app.app_context():
        coordinator = user("gkb", display_name="区政务公开办")
        coordinator.district_role_set = {COORDINATOR}
        db.session.commit()
    gkb = signed_in(app, "gkb")
    done = gkb.post(f"/o/shiquanlu/admin/requests/{district['number']}/pass",
                    data={"to_office": district["wanzhen"], "reason": REASON})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/o/wanzhen/admin/requests/{district['number']}/pass")
    assert gkb.get(done.headers["Location"]).status_code == 200


def test_the_coordinator_lists_every_office_unconfirmed_applications_and_office_staff_may_not(app, district):
    with app.app_context():
        coordinator = user("gkb", display_name="区政务公开办")
        coordinator.district_role_set = {COORDINATOR}
        db.session.commit()
        with in_office(db.session.get(Office, district["wanzhen"])):
            other, _ = services.submit_online(FIELDS, APPLICANT)
            other_number = other.tracking_number
    html = signed_in(app, "gkb").get("/admin/requests/unconfirmed").get_data(as_text=True)
    assert f'href="/o/shiquanlu/admin/requests/{district["number"]}/pass"' in html
    assert f'href="/o/wanzhen/admin/requests/{other_number}/pass"' in html
    assert signed_in(app, "shi").get("/admin/requests/unconfirmed").status_code == 403


def test_a_single_office_portal_offers_no_passing(app, today):
    today(MON)
    with app.app_context():
        ensure_seeded()
        user("shi", HANDLER)
        number = services.submit_online(FIELDS, APPLICANT)[0].tracking_number
    shi = signed_in(app, "shi")
    assert "转至其他机关…" not in shi.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert "本门户只有一个机关" in shi.get(f"/admin/requests/{number}/pass").get_data(as_text=True)


@pytest.mark.parametrize("office", ["abc", "-1", "0", "99999999999999999999", "office-1", "", "１"])
def test_hostile_pass_input_is_refused_without_a_500(app, district, office):
    shi = signed_in(app, "shi")
    page = shi.post(f"/admin/requests/{district['number']}/pass",
                    data={"to_office": office, "reason": "<script>alert(1)</script>" * 40})
    assert page.status_code == 422 and "<script>alert" not in page.get_data(as_text=True)
    for number in ("%00", "x" * 300, "2026-0001'--", "../2026-0001"):
        assert shi.get(f"/admin/requests/{number}/pass").status_code == 404
    with app.app_context():
        assert stored(district["number"]).office_id == district["first"]


# --- 选择受理机关 and tracking -------------------------------------------------------------------------------

def test_the_choice_page_lists_each_office_with_what_it_holds_and_a_search_hint(app, district, client):
    html = client.get("/apply/").get_data(as_text=True)
    assert "选择受理机关" in html and "发布机构" in html and 'href="/search"' in html
    assert 'href="/o/shiquanlu/apply/"' in html and 'href="/o/wanzhen/apply/"' in html
    assert WANZHEN["description"] in html and WANZHEN["search_hint"] in html
    office_page = client.get("/o/wanzhen/apply/").get_data(as_text=True)
    assert "您正在向<strong>万镇街道办事处</strong>提出申请" in office_page and 'href="/apply/"' in office_page


def test_a_single_office_portal_keeps_its_apply_page(app, client):
    html = client.get("/apply/").get_data(as_text=True)
    assert "选择受理机关" not in html and 'href="/apply/form?applicant_type=' in html


def test_the_form_without_an_office_in_a_district_portal_leads_to_the_choice(app, district, client):
    response = client.get("/apply/form?applicant_type=公民")
    assert response.status_code == 303 and response.headers["Location"].endswith("/apply/")


def test_an_application_filed_under_an_office_prefix_is_that_office_and_stays_under_it(app, district, client):
    form = client.get("/o/wanzhen/apply/form?applicant_type=公民").get_data(as_text=True)
    assert 'action="/o/wanzhen/apply/form"' in form
    done = client.post("/o/wanzhen/apply/form", data=CITIZEN_FORM)
    assert done.status_code == 303 and done.headers["Location"].endswith("/o/wanzhen/apply/receipt/WZ-2026-0001")
    assert client.get(done.headers["Location"]).status_code == 200
    with app.app_context():
        assert stored("WZ-2026-0001").office_id == district["wanzhen"]


@pytest.mark.parametrize("track_from", ["/apply/track", "/o/wanzhen/apply/track", "/o/shiquanlu/apply/track"])
def test_tracking_finds_an_application_of_any_office_from_any_url(app, district, track_from):
    with app.app_context():
        pass_to_wanzhen(district)
    client = app.test_client()
    found = client.post(track_from, data={"number": district["number"], "code": district["code"]})
    assert found.status_code == 303
    assert found.headers["Location"].endswith(f"/o/wanzhen/apply/track/{district['number']}")
    html = client.get(found.headers["Location"]).get_data(as_text=True)
    assert "申请已转至其他机关办理" in html and REASON in html and "万镇街道办事处将与您确认收到申请" in html


# --- 非本机关负责公开 naming an office of the portal -------------------------------------------------------------

def test_a_not_ours_answer_can_name_another_office_of_the_portal_with_its_address_and_phone(app, district):
    with app.app_context():
        number = handed_in(MON, account("shi")).tracking_number
    shi = signed_in(app, "shi")
    page = shi.get(f"/admin/requests/{number}").get_data(as_text=True)
    assert f'<option value="office-{district["wanzhen"]}">万镇街道办事处</option>' in page
    done = shi.post(f"/admin/requests/{number}/reply", data={
        "reply-on": "2026-03-02", "reply-outcome": "非本机关负责公开", "reply-competent": f"office-{district['wanzhen']}",
        "reply-note": REASON})
    assert done.status_code == 303
    with app.app_context():
        letter = stored(number).letters[-1]
        assert "该政府信息由万镇街道办事处负责公开" in letter.body
        assert CONTACT["address"] in letter.body and CONTACT["phone"] in letter.body and "本门户" in letter.body


@pytest.mark.parametrize("competent", ["office-abc", "office-", f"office-{10**30}", "office-1"])
def test_a_hostile_competent_office_is_refused_without_a_500(app, district, competent):
    with app.app_context():
        number = handed_in(MON, account("shi")).tracking_number
    shi = signed_in(app, "shi")
    page = shi.post(f"/admin/requests/{number}/reply", data={
        "reply-on": "2026-03-02", "reply-outcome": "非本机关负责公开", "reply-competent": competent, "reply-note": REASON})
    assert page.status_code == 422  # not a choice (office-1 is the office itself)


@pytest.mark.parametrize("office", ["999", "abc", ""])
def test_a_pass_to_an_office_not_on_the_list_is_refused_in_chinese(app, district, office):
    shi = signed_in(app, "shi")
    page = shi.post(f"/admin/requests/{district['number']}/pass", data={"to_office": office, "reason": REASON})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Not a valid choice" not in html
    assert "请从列表中选择接收申请的机关" in html or "请选择接收申请的机关" in html
