"""Guessing a staff password is slowed per address and username; nobody can lock the owner out."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.accounts import auth, throttle
from portal.accounts import services as accounts
from portal.extensions import db
from portal.models import AuditEntry, OutboxMessage, User
from portal.models.throttle import GuessThrottle
from portal.models.staff import EDITOR
from tests.factories.staff import PASSWORD, login

START = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)
OWNER, GUESSER = "10.0.0.1", "198.51.100.7"


def guess(username: str, address: str, now: datetime, password: str = "wrong-password"):
    """One sign-in attempt from `address` at `now`: the user, None, or the TooSoon raised."""
    try:
        return auth.authenticate(username, password, address=address, now=now)
    except throttle.TooSoon as wait:
        return wait


def test_the_owner_signs_in_at_once_from_their_address_while_many_others_guess(ctx, staff):
    staff("lihua", EDITOR)
    results = [guess("lihua", f"192.0.2.{n // 2}", START + timedelta(seconds=n // 2))  # 20 addresses, 2 each
               for n in range(40)]  # an address's two tries in the same second, a new address each second
    # Ten failures in, someone is guessing: each new address then has one free failure, its second waits.
    assert results[:11] == [None] * 11 and all(isinstance(r, throttle.TooSoon) for r in results[11::2])
    user = guess("lihua", OWNER, START + timedelta(minutes=1), PASSWORD)
    assert isinstance(user, User) and user.username == "lihua"


def test_the_owner_signs_in_over_http_while_the_old_lock_would_hold(client, staff):
    staff("lihua", EDITOR)
    for n in range(12):
        client.post("/admin/login", data={"username": "lihua", "password": "wrong"},
                    environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})
    response = client.post("/admin/login", data={"username": "lihua", "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": OWNER})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"


def test_after_five_failures_from_one_address_each_try_waits_twice_as_long(ctx, staff):
    staff("lihua", EDITOR)
    now = START
    for _ in range(5):
        assert guess("lihua", GUESSER, now) is None  # five free failures at 09:00:00
    assert guess("lihua", GUESSER, now).seconds == 1
    waits = []
    for _ in range(6):
        now += timedelta(seconds=guess("lihua", GUESSER, now).seconds)
        assert guess("lihua", GUESSER, now) is None
        waits.append(guess("lihua", GUESSER, now).seconds)
    assert waits == [2, 4, 8, 16, 32, 64]
    # Waiting out 64 s, the owner's right password from that address works, and clears its failures.
    assert isinstance(guess("lihua", GUESSER, now + timedelta(seconds=64), PASSWORD), User)
    for _ in range(5):
        assert guess("lihua", GUESSER, now + timedelta(seconds=64)) is None


def test_an_attempt_before_the_wait_is_over_is_not_checked_and_does_not_count(ctx, staff):
    staff("lihua", EDITOR)
    for _ in range(5):
        guess("lihua", GUESSER, START)
    early = guess("lihua", GUESSER, START, PASSWORD)  # the right password, too soon: not even looked at
    assert isinstance(early, throttle.TooSoon) and early.text == "请 1 秒后再试"
    assert isinstance(guess("lihua", GUESSER, START + timedelta(seconds=1), PASSWORD), User)
    logins = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("login%"))).all()
    assert logins.count("login_failed") == 5 and logins.count("login") == 1


def test_waits_stop_growing_at_fifteen_minutes(ctx, staff):
    staff("lihua", EDITOR)
    assert throttle.delay(5, 5) == timedelta(seconds=1)
    assert throttle.delay(14, 5) == timedelta(seconds=512)
    assert throttle.delay(15, 5) == throttle.delay(500, 5) == timedelta(minutes=15)
    now, waits = START, []
    for _ in range(34):  # 34 attempts, each waiting out the wait it is told
        result = guess("lihua", GUESSER, now)
        if isinstance(result, throttle.TooSoon):
            waits.append(result.text)
            now += timedelta(seconds=result.seconds)
    assert waits[-1] == "请 15 分钟后再试" and waits.count("请 15 分钟后再试") == len(waits) - 10


def test_an_unknown_username_is_slowed_exactly_like_a_real_one(ctx, staff):
    staff("lihua", EDITOR)
    for name in ("lihua", "nobody"):
        for _ in range(5):
            assert guess(name, GUESSER, START) is None
        assert guess(name, GUESSER, START).seconds == 1
        assert guess(name, GUESSER, START + timedelta(seconds=1)) is None
        assert guess(name, GUESSER, START + timedelta(seconds=1)).seconds == 2


def test_what_was_typed_is_stored_only_as_a_keyed_hash(ctx, staff):
    typed = "MySecret-Passw0rd"  # a password typed into the username box
    guess(typed, GUESSER, START)
    subjects = db.session.scalars(select(GuessThrottle.subject)).all()
    assert subjects and all(typed.lower() not in s.lower() and len(s) == 64 for s in subjects)


def test_any_text_typed_has_a_key_even_a_lone_surrogate(ctx):
    assert len(throttle.subject_key(throttle.SIGN_IN, "\ud800ab")) == 64
    assert throttle.subject_key(throttle.SIGN_IN, " LiHua ") == throttle.subject_key(throttle.SIGN_IN, "lihua")


def test_while_an_account_is_guessed_a_new_address_gets_one_free_failure_the_owners_keep_five(ctx, staff):
    staff("lihua", EDITOR)
    assert isinstance(guess("lihua", OWNER, START - timedelta(days=3), PASSWORD), User)  # signed in here before
    for n in range(10):  # ten failures from ten addresses: someone is guessing
        guess("lihua", f"192.0.2.{n}", START)
    assert guess("lihua", "203.0.113.9", START) is None
    assert guess("lihua", "203.0.113.9", START).seconds == 1  # a new address: one free failure only
    for _ in range(5):
        assert guess("lihua", OWNER, START) is None  # the owner's own address: their five mistypes are free
    assert isinstance(guess("lihua", OWNER, START + timedelta(seconds=1), PASSWORD), User)
    assert isinstance(guess("lihua", "198.51.100.200", START, PASSWORD), User)  # a fresh address: at once


def test_the_holder_is_told_by_mail_once_a_day_while_their_account_is_guessed(ctx, staff):
    staff("lihua", EDITOR)
    user = db.session.scalar(select(User).filter_by(username="lihua"))
    accounts.update_user(user, display_name="李华", roles=[EDITOR], email="lihua@example.gov.cn", by=user)
    for n in range(9):
        guess("lihua", f"192.0.2.{n}", START)
    assert db.session.scalar(select(OutboxMessage)) is None
    for n in range(9, 20):  # the tenth failure tells the holder; ten more the same day do not
        guess("lihua", f"192.0.2.{n}", START + timedelta(minutes=n))
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert len(messages) == 1 and messages[0].to_address == "lihua@example.gov.cn"
    assert "有 10 次使用用户名“lihua”登录未成功，来自 10 个网络地址" in messages[0].body
    assert "没有被锁定" in messages[0].body
    # The notice went at the tenth failure, 09:09; the next failure after 09:09 the next day tells again.
    guess("lihua", "192.0.2.99", START + timedelta(hours=24, minutes=8))
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 1
    guess("lihua", "192.0.2.99", START + timedelta(hours=24, minutes=9))
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 2
    notices = db.session.scalars(select(AuditEntry).filter_by(action="account_guessed")).all()
    assert len(notices) == 2 and "已发邮件提醒本人" in notices[0].summary


def test_an_account_without_an_address_is_noted_in_the_audit_log_instead(ctx, staff):
    staff("lihua", EDITOR)
    for n in range(10):
        guess("lihua", f"192.0.2.{n}", START)
    assert db.session.scalar(select(OutboxMessage)) is None
    notice = db.session.scalars(select(AuditEntry).filter_by(action="account_guessed")).one()
    assert "未登记电子邮箱" in notice.summary


def test_the_guessing_notice_arrives_by_real_smtp(app, staff, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    staff("lihua", EDITOR)
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="lihua"))
        accounts.update_user(user, display_name="李华", roles=[EDITOR], email="lihua@example.gov.cn", by=user)
    client = app.test_client()
    for n in range(10):
        client.post("/admin/login", data={"username": "lihua", "password": "wrong"},
                    environ_base={"REMOTE_ADDR": f"192.0.2.{n}"})
    with app.app_context():
        from portal.core.mail import SENDER
        SENDER.wait_idle(10)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["lihua@example.gov.cn"]]


def test_a_wait_set_by_one_worker_holds_in_another(app_with, staff, app):
    staff("lihua", EDITOR)
    first = app_with("a").test_client()
    second = app_with("b").test_client()
    for _ in range(5):
        login(first, "lihua", "wrong-password")
    refused = second.post("/admin/login", data={"username": "lihua", "password": PASSWORD})
    assert refused.status_code == 429 and "登录尝试次数过多，请 1 秒后再试" in refused.get_data(as_text=True)


def test_a_claimed_attempt_holds_the_next_one_until_it_is_decided(ctx, staff):
    staff("lihua", EDITOR)
    for _ in range(5):
        guess("lihua", GUESSER, START)
    later = START + timedelta(seconds=1)
    throttle.begin(throttle.SIGN_IN, "lihua", GUESSER, later)  # a request checking its password right now …
    with pytest.raises(throttle.TooSoon):
        throttle.begin(throttle.SIGN_IN, "lihua", GUESSER, later)  # … a parallel one, even in another worker, waits


def test_a_password_reset_by_the_administrator_clears_the_waits(ctx, staff):
    staff("lihua", EDITOR)
    for _ in range(5):
        guess("lihua", GUESSER, START)
    assert isinstance(guess("lihua", GUESSER, START), throttle.TooSoon)
    accounts.reset_password(db.session.scalar(select(User).filter_by(username="lihua")), "another-password-1")
    assert isinstance(guess("lihua", GUESSER, START, "another-password-1"), User)


def test_the_sign_in_page_says_how_long_to_wait(client, staff):
    staff("lihua", EDITOR)
    for _ in range(5):
        login(client, "lihua", "wrong-password")
    page = login(client, "lihua")
    assert page.status_code == 429
    html = page.get_data(as_text=True)
    assert "登录尝试次数过多，请 1 秒后再试" in html and 'value="lihua"' in html
    assert "已被暂时锁定" not in html


def test_the_account_page_shows_the_failures_of_the_last_day_and_no_lock(app, staff):
    boss = staff("boss", "admin")
    lihua = staff("lihua", EDITOR)
    for n in range(3):
        login(app.test_client(), "lihua", "wrong-password")
    client = app.test_client()
    login(client, boss.username)
    html = client.get(f"/admin/accounts/{lihua.id}").get_data(as_text=True)
    assert "24 小时内 3 次" in html and "锁定（" not in html
    assert "24 小时内" not in client.get(f"/admin/accounts/{boss.id}").get_data(as_text=True)


def test_rotating_addresses_inside_one_ipv6_64_counts_as_one_address(ctx, staff):
    # One subscriber holds a whole /64: five wrong passwords from five of its addresses, then the sixth
    # waits like a sixth try from one address would (PAIR_FREE = 5).
    staff("lihua", EDITOR)
    results = [guess("lihua", f"2001:db8:1:2::{n + 1:x}", START) for n in range(6)]
    assert results[:5] == [None] * 5 and isinstance(results[5], throttle.TooSoon)


def test_an_address_too_long_for_its_column_is_cut_not_a_server_error(ctx, staff):
    # A forwarded-for value behind a misconfigured proxy can be any text; PostgreSQL refuses over 45 characters.
    staff("lihua", EDITOR)
    assert guess("lihua", "unknown, " * 20, START) is None
    assert throttle.network_of("::ffff:192.0.2.1") == "192.0.2.1"


def addresses_on_record() -> set[str]:
    """The addresses the throttle still holds a row for."""
    return set(db.session.scalars(select(GuessThrottle.address)))


def test_rows_that_no_longer_matter_are_deleted_with_the_addresses_they_hold(ctx, staff):
    staff("lihua", EDITOR)
    guess("lihua", GUESSER, START)                       # a failure: remembered for 24 hours
    guess("lihua", OWNER, START, PASSWORD)               # the owner's address: remembered for 90 days
    guess("nobody", "203.0.113.9", START)                # a guess at an account that does not exist
    db.session.commit()
    assert throttle.prune(START + timedelta(hours=23)) == 0
    # 25 hours on, the failures are forgotten by every rule (FORGET, WINDOW, NOTIFY_PERIOD): their rows go;
    # the owner's address stays, it still earns the owner the full allowance.
    throttle.prune(START + timedelta(hours=25))
    db.session.commit()
    assert addresses_on_record() == {OWNER}
    throttle.prune(START + timedelta(days=91))
    db.session.commit()
    assert addresses_on_record() == set()


def test_sign_in_attempts_prune_now_and_then_without_anyone_running_a_command(ctx, staff):
    staff("lihua", EDITOR)
    guess("nobody", "203.0.113.9", START)
    # A day and a half later, the next attempt of anyone (here the owner's) clears the stale row first.
    later = START + timedelta(hours=36)
    guess("lihua", OWNER, later, PASSWORD)
    assert "203.0.113.9" not in addresses_on_record()
