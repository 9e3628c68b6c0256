"""The application form's per-address limit: only accepted submissions count, and a refusal loses nothing."""
import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Applicant, InfoRequest, Office
from tests.factories.people import CITIZEN_FORM


def limited_client(app_with):
    """A client of an app with the rate limits on, as in production."""
    return app_with(RATELIMIT_ENABLED=True).test_client()


def saved() -> int:
    """How many applications are stored."""
    return db.session.scalar(select(func.count()).select_from(InfoRequest))


def test_forms_returned_with_errors_do_not_count_towards_the_limit(app_with, calendar):
    client = limited_client(app_with)
    statuses = [client.post("/apply/form", data=CITIZEN_FORM | {"name": ""}).status_code for _ in range(15)]
    assert statuses == [422] * 15  # fifteen corrections, more than the limit of ten an hour
    assert client.post("/apply/form", data=CITIZEN_FORM).status_code == 303 and saved() == 1


def test_the_eleventh_submission_in_an_hour_keeps_every_field_and_says_when_and_where_else(app_with, calendar):
    client = limited_client(app_with)
    assert [client.post("/apply/form", data=CITIZEN_FORM).status_code for _ in range(10)] == [303] * 10
    typed = CITIZEN_FORM | {"name": "李四", "phone": "6212 3456", "description": "2025年石泉路街道垃圾分类收运点位清单",
                            "doc_title": "垃圾分类工作方案", "provide_forms": ["纸质", "电子邮件"], "obtain_methods": ["邮寄"]}
    response = client.post("/apply/form", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and saved() == 10
    assert int(response.headers["Retry-After"]) > 0
    assert "已达到次数上限" in html and re.search(r"请于 (今天|\d{4}年\d{1,2}月\d{1,2}日) \d{2}:\d{2} 以后再", html)
    office = Office.current()
    assert office.phone in html and office.address in html
    for value in ("李四", "6212 3456", "2025年石泉路街道垃圾分类收运点位清单", "垃圾分类工作方案", CITIZEN_FORM["id_number"],
                  "zhangsan@example.com", "上海市普陀区石泉路1号", "200061"):
        assert value in html, value
    checked = set(re.findall(r'<input checked[^>]*value="([^"]+)"', html))
    assert checked == {"公民", "纸质", "电子邮件", "邮寄"}


def test_switching_the_applicant_type_is_never_refused_by_the_limit(app_with, calendar):
    client = limited_client(app_with)
    for _ in range(10):
        client.post("/apply/form", data=CITIZEN_FORM)
    switch = client.post("/apply/form", data=CITIZEN_FORM | {"applicant_type": "法人或其他组织", "action": "switch"})
    assert switch.status_code == 200 and "统一社会信用代码" in switch.get_data(as_text=True)


def test_a_local_number_without_area_code_is_accepted_on_the_form(client, calendar):
    assert client.post("/apply/form", data=CITIZEN_FORM | {"phone": "6212 3456"}).status_code == 303
    assert db.session.scalar(select(Applicant.phone)) == "62123456"
