"""Service functions of an application: each change is one transaction with its event row; dates follow."""
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.calendar.changes import import_schedule
from portal.extensions import db
from portal.info_requests import services
from portal.models import HANDLER, HEAD, InfoRequest, OutboxMessage, RequestEvent
from tests.factories.people import resident_id
from tests.factories.requests import user

FIELDS = {"applicant_type": "公民", "org_kind": None, "description": "加装电梯补贴发放名单",
          "provide_forms": "纸质", "obtain_methods": "自行领取/当场阅读抄录"}
APPLICANT = {"name": "张三", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000"}


@pytest.fixture
def jia(calendar):
    """The 经办人 who registers and handles the applications here."""
    return user("jia", HANDLER, display_name="经办人甲")


@pytest.fixture
def yi(calendar):
    """The 负责人 who approves extensions."""
    return user("yi", HEAD, display_name="负责人乙")


def in_person(day: date, by) -> InfoRequest:
    """An application handed in at the counter on `day`, registered by `by`."""
    info_request, _ = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=day, user=by)
    return info_request


def events(info_request):
    return [row.kind for row in info_request.events]


def test_handed_in_application_is_due_on_the_20th_working_day_after_receipt(jia):
    info_request = in_person(date(2026, 9, 24), jia)
    assert info_request.state == "办理中" and info_request.receipt_date == date(2026, 9, 24)
    # 中秋 9/25, 国庆 10/1–10/7 off; 9/20 (before) and 10/10 worked.
    assert info_request.due_date == date(2026, 10, 29)


def test_online_application_waits_for_confirmation_which_sets_the_receipt_date(jia, monkeypatch):
    monkeypatch.setattr(services, "office_today", lambda: date(2026, 11, 20))
    info_request, _ = services.submit_online(FIELDS, APPLICANT | {"email": ""})
    assert info_request.state == "待确认" and info_request.due_date is None
    services.confirm(info_request, date(2026, 11, 23), jia, reason="周五提交，周一与申请人确认")  # after arrival: why
    assert info_request.receipt_date == date(2026, 11, 23)
    assert info_request.due_date == date(2026, 12, 21)
    assert events(info_request) == ["submitted", "confirmed"]


def test_correction_restarts_the_count_from_the_corrected_receipt(jia):
    info_request = in_person(date(2026, 3, 2), jia)
    services.request_correction(info_request, date(2026, 3, 5), jia, points="请写明年份", workdays=10)
    assert info_request.state == "待补正" and info_request.due_date is None
    services.record_correction(info_request, date(2026, 3, 12), jia)
    assert info_request.state == "办理中" and info_request.due_date == date(2026, 4, 10)


def test_extension_counts_on_from_the_original_due_date(jia, yi):
    info_request = in_person(date(2026, 3, 2), jia)
    original = info_request.due_date
    services.approve_extension(info_request, date(2026, 3, 20), yi, workdays=20, reason="需调取档案")
    assert original == date(2026, 3, 30)
    assert info_request.state == "已延期" and info_request.due_date == date(2026, 4, 28)


def test_second_extension_is_refused_and_nothing_is_written(jia, yi):
    info_request = in_person(date(2026, 3, 2), jia)
    services.approve_extension(info_request, date(2026, 3, 20), yi, workdays=10, reason="档案")
    with pytest.raises(ValueError):
        services.approve_extension(info_request, date(2026, 3, 25), yi, workdays=5, reason="再延")
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(RequestEvent)) == 2


def test_reply_closes_the_application_with_its_outcome(jia):
    info_request = in_person(date(2026, 3, 2), jia)
    services.reply(info_request, date(2026, 3, 16), jia, outcome="部分公开", ground="保护第三方合法权益")
    assert (info_request.state, info_request.replied_on, info_request.outcome, info_request.ground) == \
        ("已答复", date(2026, 3, 16), "部分公开", "保护第三方合法权益")


def test_every_change_writes_one_event_row_with_who_did_it(jia):
    info_request = in_person(date(2026, 3, 2), jia)
    services.start_consultation(info_request, date(2026, 3, 4), jia, party_kind="第三方", recipient="某公司",
                                matter="某项信息")
    services.close_consultation(info_request, date(2026, 3, 10), jia, opinion="同意公开")
    services.withdraw(info_request, date(2026, 3, 11), jia, reason="申请人撤回")
    rows = db.session.scalars(select(RequestEvent).order_by(RequestEvent.id)).all()
    assert [(r.kind, r.actor) for r in rows] == [
        ("received", "经办人甲"), ("consultation_started", "经办人甲"),
        ("consultation_closed", "经办人甲"), ("withdrawn", "经办人甲")]
    assert info_request.state == "已撤回"


def test_due_date_in_an_unloaded_year_is_provisional_until_the_year_is_imported(jia, monkeypatch):
    monkeypatch.setattr("portal.info_requests.records.office_today", lambda: date(2026, 12, 20))
    info_request = in_person(date(2026, 12, 15), jia)
    # Estimated from weekends and the statutory 元旦 (1/1) only: 12 days in December, 8 in January.
    assert info_request.due_provisional and info_request.due_date == date(2027, 1, 13)
    # The 2027 schedule arrives: 元旦 1/1–1/3 (1/4 worked is made up here for the test).
    schedule = "\n".join([
        "2027-01-01,休,元旦", "2027-01-04,休,假设的调休", "2027-02-05~2027-02-11,休,春节",
        "2027-04-05,休,清明节", "2027-05-03~2027-05-05,休,劳动节", "2027-06-09,休,端午节",
        "2027-09-15,休,中秋节", "2027-10-01~2027-10-07,休,国庆节",
    ])
    _, moved = import_schedule(schedule.encode())
    assert moved == [info_request] and not info_request.due_provisional
    assert info_request.due_date == date(2027, 1, 14)  # the extra day off on 1/4 moves it by one


def test_submission_is_saved_even_when_the_mail_server_is_down(app, calendar):
    from tests.factories.smtp import free_port, wait_for_mail

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    info_request, _ = services.submit_online(FIELDS, APPLICANT | {"email": "a@example.com"})
    wait_for_mail(app)
    db.session.expire_all()
    assert db.session.get(InfoRequest, info_request.id) is not None
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None and message.last_error


def test_submission_is_saved_even_when_the_search_index_is_broken(client, app, calendar):
    from tests.factories.people import CITIZEN_FORM

    index_dir = app.config["SEARCH_INDEX_DIR"]
    import os
    os.makedirs(index_dir, exist_ok=True)
    for name in ("_MAIN_1.toc", "MAIN_WRITELOCK"):
        with open(os.path.join(index_dir, name), "wb") as f:
            f.write(b"\x00garbage")
    response = client.post("/apply/form", data=CITIZEN_FORM)
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(InfoRequest)) == 1


def test_query_code_is_checked_case_and_dash_insensitively(jia):
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 3, 2), user=jia)
    assert services.find_tracked(info_request.tracking_number, code.lower().replace("-", " ")) is info_request
    assert services.find_tracked(info_request.tracking_number, "ZZZZ-ZZZZ") is None
    assert services.find_tracked("1999-0001", code) is None
