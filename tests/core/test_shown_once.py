"""The once-shown query code never travels readable in the (signed, not encrypted) session cookie, and the
page still shows it exactly once."""
import json
import re

import pytest
from flask import session

from portal.core import shown_once
from portal.info_requests import services
from portal.models import HANDLER
from tests.factories.people import CITIZEN_FORM, resident_id
from tests.factories.requests import APPLICANT, FIELDS
from tests.factories.staff import login, make_user

RECEIPT_CODE = re.compile(r"查询码：<strong class=\"big\">([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")
STAFF_CODE = re.compile(r'<p class="big">([A-Z0-9]{4}-[A-Z0-9]{4})</p>')


def session_text(app, client) -> str:
    """What anyone holding the browser's session cookie can read in it: the signed payload, decoded."""
    cookie = client.get_cookie("session")
    return json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie.value), ensure_ascii=False)


def test_the_applicants_code_is_not_readable_in_the_cookie_and_the_receipt_shows_it_once(app, client, calendar):
    response = client.post("/apply/form", data=CITIZEN_FORM)
    assert response.status_code == 303
    carried = session_text(app, client)
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    code = RECEIPT_CODE.search(receipt)[1]
    assert code not in carried and code.replace("-", "") not in carried
    assert code not in session_text(app, client)  # and it is gone once shown
    again = client.get(response.headers["Location"]).get_data(as_text=True)
    assert not RECEIPT_CODE.search(again) and "查询码已在提交时显示过" in again


@pytest.fixture
def handler_client(app, calendar):
    """A client signed in as a 经办人."""
    make_user("handler", HANDLER)
    client = app.test_client()
    assert login(client, "handler").status_code == 302
    return client


def test_a_registered_applications_code_is_not_readable_in_the_cookie_and_shown_once(app, handler_client):
    form = {"channel": "邮寄", "received_on": "2026-03-02", "applicant_type": "公民", "name": "李四",
            "id_type": "居民身份证", "id_number": resident_id(), "address": "上海市普陀区石泉路1号",
            "description": "石泉路街道2025年预算执行情况", "provide_forms": "纸质", "obtain_methods": "邮寄",
            "late_for": "2026-03-02", "confirm_late": "y"}  # months back: the confirming submit
    response = handler_client.post("/admin/requests/register", data=form)
    assert response.status_code == 303
    carried = session_text(app, handler_client)
    code = STAFF_CODE.search(handler_client.get(response.headers["Location"]).get_data(as_text=True))[1]
    assert code not in carried
    assert not STAFF_CODE.search(handler_client.get(response.headers["Location"]).get_data(as_text=True))


def test_a_reset_code_is_not_readable_in_the_cookie_and_shown_once(app, handler_client):
    with app.app_context():
        number = services.submit_online(FIELDS, APPLICANT)[0].tracking_number
    response = handler_client.post(f"/admin/requests/{number}/reset-code")
    assert response.status_code == 303
    carried = session_text(app, handler_client)
    html = handler_client.get(response.headers["Location"]).get_data(as_text=True)
    code = STAFF_CODE.search(html)[1]
    assert code not in carried and "新的查询码（只显示这一次）" in html
    assert not STAFF_CODE.search(handler_client.get(f"/admin/requests/{number}").get_data(as_text=True))


def test_a_kept_code_is_for_its_own_record_and_only_for_ten_minutes(app, monkeypatch):
    clock = {"now": 1_800_000_000}
    monkeypatch.setattr("cryptography.fernet.time.time", lambda: clock["now"])
    with app.test_request_context("/"):
        shown_once.keep("k", 7, code="ABCD-2345")
        assert shown_once.take("k", 8) == {}  # another application's page: not shown, and dropped
        assert shown_once.take("k", 7) == {}
        shown_once.keep("k", 7, code="ABCD-2345")
        clock["now"] += shown_once.TTL + 1  # ten minutes and a second later
        assert shown_once.take("k", 7) == {}
        shown_once.keep("k", 7, code="ABCD-2345")
        assert shown_once.take("k", 7) == {"id": 7, "code": "ABCD-2345"}
    with app.test_request_context("/"):
        session["k"] = "forged-or-from-another-key"
        assert shown_once.take("k", 7) == {}
