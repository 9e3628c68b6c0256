"""Guessing an application's query code slows the guesser's address; the applicant's right code always works."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.accounts.throttle import TooSoon
from portal.extensions import db
from portal.info_requests import services
from portal.info_requests.applicant import guard
from portal.models import OutboxMessage
from tests.factories.requests import APPLICANT, FIELDS, clerk

START = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)
APPLICANT_ADDRESS, GUESSER = "10.0.0.1", "198.51.100.7"


@pytest.fixture
def application(calendar):
    """(tracking number, query code) of an application handed in at the counter."""
    info_request, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2), user=clerk())
    db.session.query(OutboxMessage).delete()  # its receipt: only the guessing notice matters here
    db.session.commit()
    return info_request.tracking_number, code


def attempt(number: str, code: str, address: str, now: datetime):
    """One tracking attempt: the application, None, or the TooSoon raised."""
    try:
        return guard.track(number, code, address, now)
    except TooSoon as wait:
        return wait


def test_the_right_code_works_for_the_applicant_while_others_guess_it(app_with, application):
    number, code = application
    client = app_with(RATELIMIT_ENABLED=True).test_client()
    # 60 wrong codes from 20 addresses (three each; the per-address limit allows ten per 15 minutes).
    for n in range(60):
        client.post("/apply/track", data={"number": number, "code": "AAAA-AAAA"},
                    environ_base={"REMOTE_ADDR": f"192.0.2.{n % 20}"})
    response = client.post("/apply/track", data={"number": number, "code": code},
                           environ_base={"REMOTE_ADDR": APPLICANT_ADDRESS})
    assert response.status_code == 303 and response.headers["Location"] == f"/apply/track/{number}"


def test_wrong_codes_from_one_address_make_it_wait_twice_as_long_each_time(application):
    number, code = application
    for _ in range(5):
        assert attempt(number, "AAAA-AAAA", GUESSER, START) is None
    assert attempt(number, code, GUESSER, START).seconds == 1  # even the right code, while waiting
    assert attempt(number, "AAAA-AAAA", GUESSER, START + timedelta(seconds=1)) is None
    assert attempt(number, "AAAA-AAAA", GUESSER, START + timedelta(seconds=1)).seconds == 2
    assert attempt(number, code, GUESSER, START + timedelta(seconds=3)).tracking_number == number


def test_an_unknown_number_is_slowed_exactly_like_a_real_one(application):
    number, _ = application
    for tried in (number, "1999-9999"):
        for _ in range(5):
            assert attempt(tried, "AAAA-AAAA", GUESSER, START) is None
        assert attempt(tried, "AAAA-AAAA", GUESSER, START).seconds == 1


def test_the_tracking_page_says_how_long_to_wait(client, application):
    number, _ = application
    for _ in range(5):
        assert client.post("/apply/track", data={"number": number, "code": "AAAA-AAAA"}).status_code == 422
    response = client.post("/apply/track", data={"number": number, "code": "AAAA-AAAA"})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "该申请编号的查询尝试过多，请 1 秒后再试" in html and f'value="{number}"' in html


def test_the_applicant_is_told_by_mail_once_a_day_that_someone_is_guessing(application):
    number, code = application
    for n in range(9):
        attempt(number, "AAAA-AAAA", f"192.0.2.{n}", START)
    assert db.session.scalar(select(OutboxMessage)) is None
    for n in range(9, 20):  # the tenth wrong code tells the applicant; more that day do not
        attempt(number, "AAAA-AAAA", f"192.0.2.{n}", START + timedelta(minutes=n))
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 1 and messages[0].to_address == APPLICANT["email"]
    assert number in messages[0].subject and "查询码都不受影响" in messages[0].body
    assert code not in messages[0].body


def test_guessing_an_unknown_number_mails_nobody(application):
    for n in range(12):
        attempt("1999-9999", "AAAA-AAAA", f"192.0.2.{n}", START)
    assert db.session.scalar(select(OutboxMessage)) is None
