"""The shortest 补正 period (Art. 30: a 合理的补正期限) is the office's setting, 5 working days by default; a shorter
period is refused with the reason, by the service and beside the staff form. Counted on the 2026 notice: the
notice is given on Wed 2026-03-04; 3-5, 3-6 (2), 3-9…3-11 (5), 3-12 (6), 3-13 (7)."""
from datetime import date

import pytest
from sqlalchemy import select

from portal.admin.settings import update_office
from portal.calendar.store import ensure_seeded
from portal.extensions import db
from portal.info_requests import services
from portal.models import HANDLER, InfoRequest, User
from tests.factories.requests import handed_in
from tests.factories.staff import login, make_user


@pytest.fixture
def handler(calendar):
    """A 经办人 (the calendar seeded)."""
    return db.session.get(User, make_user("handler", HANDLER).id)


def correct(handler, **period):
    """Ask for a 补正 on Wed 2026-03-04 on a fresh application; its letters afterwards."""
    info_request = handed_in(date(2026, 3, 2), handler)
    services.request_correction(info_request, date(2026, 3, 4), handler, points="请写明年份", **period)
    return [x.kind for x in info_request.letters]


@pytest.mark.parametrize("period", [{"workdays": 4}, {"until": date(2026, 3, 10)}, {"until": date(2026, 3, 3)}],
                         ids=["4-workdays", "until-3-10-is-4", "until-before-the-notice"])
def test_a_period_shorter_than_the_default_five_working_days_is_refused(handler, period):
    with pytest.raises(ValueError, match="少于本机关设置的最短补正期限5个工作日"):
        correct(handler, **period)


@pytest.mark.parametrize("period", [{"workdays": 5}, {"until": date(2026, 3, 11)}], ids=["5-workdays", "until-3-11"])
def test_exactly_the_minimum_is_accepted(handler, period):
    assert correct(handler, **period) == ["接收回执", "补正告知书"]


def test_the_minimum_is_the_offices_setting(handler):
    update_office({"correction_min_workdays": 7})  # as the settings page saves it
    with pytest.raises(ValueError, match="补正期限6个工作日，少于本机关设置的最短补正期限7个工作日"):
        correct(handler, workdays=6)
    with pytest.raises(ValueError, match="截止日期 2026-03-12 距告知之日只有6个工作日"):
        correct(handler, until=date(2026, 3, 12))
    assert correct(handler, until=date(2026, 3, 13)) == ["接收回执", "补正告知书"]


def test_the_staff_form_refuses_a_short_period_with_the_reason_and_keeps_the_input(app):
    with app.app_context():
        ensure_seeded()
        handler = db.session.get(User, make_user("handler", HANDLER).id)
        number = handed_in(date(2026, 3, 2), handler).tracking_number
    client = app.test_client()
    login(client, "handler")
    response = client.post(f"/admin/requests/{number}/correction", data={
        "correction-on": "2026-03-04", "correction-points": "请写明所需文件的年份", "correction-period": "workdays",
        "correction-workdays": "3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "未能办理：补正期限3个工作日，少于本机关设置的最短补正期限5个工作日" in page
    assert "请写明所需文件的年份" in page and 'value="3"' in page
    with app.app_context():
        info_request = db.session.scalar(select(InfoRequest).filter_by(tracking_number=number))
        assert [e.kind for e in info_request.events] == ["received"]
