"""The mail outbox against a real SMTP server on loopback."""
import logging
import os
import stat
import threading
import time
from datetime import timedelta

import pytest

from portal.core import mail
from portal.core.clock import utcnow
from portal.core.mail import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    SENDER,
    backoff,
    mail_queued,
    queue_mail,
    send_mail_command,
    send_pending,
)
from portal.extensions import db
from portal.models import OutboxMessage
from tests.factories.smtp import BlackHoleServer, free_port, start_smtp_server, wait_for_mail

SUBJECT = "政府信息公开申请接收回执（石信公〔2026〕3号）"
BODY = "张三：\n\n您于2026年11月25日提交的政府信息公开申请已收到。\n查询码：A7K2-9QX\n"


@pytest.fixture
def smtp_ctx(ctx, smtp_server):
    """An app context whose outbox sends to the loopback server."""
    ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, MAIL_FROM="石泉路街道 <gkb@example.gov.cn>")
    yield smtp_server


def point_at(ctx, port):
    """Send to 127.0.0.1:port."""
    ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)


def queued(to="zhangsan@example.com", subject=SUBJECT, body=BODY, related="info_request:12"):
    """Queue one message and commit, as a service would."""
    message = queue_mail(to, subject, body, related=related)
    db.session.commit()
    return message.id


def reload(message_id):
    """The row as stored now (the sender writes through its own session)."""
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_queued_message_is_delivered_with_chinese_subject_and_body(smtp_ctx):
    message_id = queued()
    assert send_pending() == (1, 0)
    [received] = smtp_ctx.messages
    assert received.rcpt_tos == ["zhangsan@example.com"]
    assert received.mail_from == "gkb@example.gov.cn"
    parsed = received.message
    assert parsed["Subject"] == SUBJECT
    assert parsed.get_content() == BODY
    assert parsed.get_content_charset() == "utf-8"
    assert parsed["From"].addresses[0].display_name == "石泉路街道"
    assert parsed["To"] == "zhangsan@example.com"
    assert parsed["Date"].datetime.utcoffset() == timedelta(hours=8)
    row = reload(message_id)
    assert parsed["Message-ID"] == row.message_id
    assert row.sent_at is not None and row.attempts == 1 and row.last_error is None
    assert row.status == "已发送" and row.related == "info_request:12" and row.claim_token is None


def test_nothing_is_sent_before_commit(smtp_ctx):
    message = queue_mail("zhangsan@example.com", SUBJECT, BODY)
    db.session.flush()
    assert send_pending() == (0, 0)
    db.session.commit()
    assert smtp_ctx.messages == []
    assert send_pending() == (1, 0)
    assert reload(message.id).sent_at is not None


def test_rolled_back_transaction_sends_nothing(smtp_ctx):
    queue_mail("zhangsan@example.com", SUBJECT, BODY)
    db.session.flush()
    db.session.rollback()
    assert send_pending() == (0, 0)
    assert smtp_ctx.messages == []
    assert db.session.query(OutboxMessage).count() == 0


def test_server_down_keeps_message_queued_then_later_delivers(ctx):
    port = free_port()
    point_at(ctx, port)
    message_id = queued()
    now = utcnow()
    assert send_pending(now=now) == (0, 1)
    row = reload(message_id)
    assert row.sent_at is None and row.failed_at is None and row.status == "待发送"
    assert row.attempts == 1 and "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == now + backoff(1) > now
    server = start_smtp_server(port)
    try:
        assert send_pending(now=now + timedelta(seconds=30)) == (0, 0)  # not due yet
        assert send_pending(now=now + backoff(1)) == (1, 0)
        assert [r.message["Subject"] for r in server.messages] == [SUBJECT]
    finally:
        server.stop()
    row = reload(message_id)
    assert row.sent_at is not None and row.attempts == 2


def test_backoff_grows_and_is_capped():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 5, 15, 60)]
    assert backoff(7) == backoff(50) == timedelta(hours=12)


def test_gives_up_after_max_attempts_and_keeps_the_row(ctx):
    port = free_port()
    point_at(ctx, port)
    message_id = queued()
    now = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        now += timedelta(days=1)
        assert send_pending(now=now) == (0, 1), attempt
    row = reload(message_id)
    assert row.attempts == MAX_ATTEMPTS and row.failed_at == now and row.status == "发送失败"
    server = start_smtp_server(port)
    try:
        assert send_pending(now=now + timedelta(days=30)) == (0, 0)
        assert server.messages == []
    finally:
        server.stop()
    assert reload(message_id).sent_at is None


def test_refused_recipient_is_marked_failed_at_once_and_others_still_go(smtp_ctx, caplog):
    smtp_ctx.refuse.add("nobody@example.com")
    bad = queued(to="nobody@example.com")
    good = queued(to="lisi@example.com")
    with caplog.at_level(logging.INFO, logger="portal.core.mail"):
        assert send_pending() == (1, 1)
    row = reload(bad)
    assert row.failed_at is not None and row.attempts == 1 and "550" in row.last_error
    # The server's refusal names the address (as Postfix's does): neither last_error nor the log keeps it.
    assert "nobody@example.com" not in row.last_error and "〈地址〉" in row.last_error
    assert f"发件箱邮件 {bad}（info_request）" in caplog.text and "550" in caplog.text
    assert "@example.com" not in caplog.text
    assert reload(good).sent_at is not None
    assert [r.rcpt_tos for r in smtp_ctx.messages] == [["lisi@example.com"]]


def test_logs_in_when_a_user_is_configured(ctx, smtp_ctx):
    ctx.config.update(SMTP_USER="gkb", SMTP_PASSWORD="s3cret-pass")
    queued()
    assert send_pending() == (1, 0)
    assert smtp_ctx.logins == [("gkb", "s3cret-pass")]


def test_without_smtp_host_the_message_goes_to_a_private_file_and_the_log_holds_no_personal_data(ctx, caplog):
    ctx.config.update(SMTP_HOST="")
    message_id = queued()
    with caplog.at_level(logging.DEBUG):
        assert send_pending() == (1, 0)
    path = os.path.join(ctx.config["MAIL_DIR"], f"{message_id}.eml")
    assert f"发件箱邮件 {message_id}（info_request）" in caplog.text and path in caplog.text
    for private in ("zhangsan@example.com", "张三", SUBJECT, "查询码", "info_request:12"):
        assert private not in caplog.text
    written = open(path, "rb").read().decode("utf-8")  # readable as it is: headers and body not encoded
    assert "To: zhangsan@example.com" in written and f"Subject: {SUBJECT}" in written and "查询码：A7K2-9QX" in written
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert reload(message_id).sent_at is not None


def test_in_production_without_smtp_host_messages_wait_and_stay_out_of_the_log(ctx, caplog):
    ctx.config.update(SMTP_HOST="", PORTAL_ENV="production")
    message_id = queued()
    with caplog.at_level(logging.INFO, logger="portal.core.mail"):
        assert send_pending() == (0, 0)
    assert "SMTP_HOST" in caplog.text and "查询码" not in caplog.text
    assert reload(message_id).status == "待发送"


def test_a_row_claimed_by_another_sender_is_skipped_until_its_lease_expires(smtp_ctx):
    message_id = queued()
    now = utcnow()
    row = reload(message_id)
    row.claim_token, row.claimed_until = "other-worker", now + CLAIM_LEASE
    db.session.commit()
    assert send_pending(now=now) == (0, 0)
    assert smtp_ctx.messages == []
    assert send_pending(now=now + CLAIM_LEASE + timedelta(seconds=1)) == (1, 0)
    assert len(smtp_ctx.messages) == 1


def test_a_sender_that_loses_the_race_sends_nothing(smtp_ctx, monkeypatch):
    queued()
    real_due_ids = mail._due_ids
    results = []

    def due_ids_then_rival(session, now, limit):
        """Read the due ids, then let a rival sender claim and send them before this one claims."""
        ids = real_due_ids(session, now, limit)
        if not results:
            results.append("rival")
            results.append(send_pending())
        return ids

    monkeypatch.setattr(mail, "_due_ids", due_ids_then_rival)
    assert send_pending() == (0, 0)
    assert results == ["rival", (1, 0)]
    assert len(smtp_ctx.messages) == 1


def test_concurrent_senders_deliver_each_message_once(smtp_ctx, app):
    ids = {queued(to=f"user{n}@example.com") for n in range(20)}
    barrier = threading.Barrier(2)
    totals = []

    def sender():
        """Send in small batches until nothing is left, so the two senders interleave."""
        with app.app_context():
            barrier.wait()
            while (result := send_pending(limit=3)) != (0, 0):
                totals.append(result)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent for sent, _ in totals) == 20 and all(failed == 0 for _, failed in totals)
    assert sorted(r.rcpt_tos[0] for r in smtp_ctx.messages) == sorted(f"user{n}@example.com" for n in range(20))
    assert all(reload(i).sent_at is not None for i in ids)


def test_mail_queued_sends_in_the_background_sender_not_in_the_caller(app, smtp_ctx):
    message_id = queued()
    started = time.monotonic()
    mail_queued()
    assert time.monotonic() - started < 0.5
    wait_for_mail(app)
    assert len(smtp_ctx.messages) == 1 and reload(message_id).status == "已发送"
    assert app.extensions["background"]["mail"].thread.name == "portal-mail"


def test_mail_queued_swallows_errors_and_keeps_the_message(ctx, monkeypatch, caplog):
    message_id = queued()

    def broken():
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(SENDER, "wake", broken)
    mail_queued()
    assert "无法唤醒后台邮件发送" in caplog.text
    assert reload(message_id).status == "待发送"


def test_the_smtp_timeout_setting_bounds_a_server_that_never_greets(ctx):
    hole = BlackHoleServer()
    ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=hole.port, SMTP_TIMEOUT=0.5)
    try:
        message_id = queued()
        started = time.monotonic()
        assert send_pending() == (0, 1)
        elapsed = time.monotonic() - started
    finally:
        hole.stop()
    assert elapsed < 3, elapsed  # 0.5 s for the greeting, not the former fixed 10 s
    row = reload(message_id)
    assert row.status == "待发送" and "timed out" in row.last_error and row.claim_token is None


def test_a_server_that_stalls_after_its_greeting_costs_a_batch_one_timeout(ctx):
    hole = BlackHoleServer(greeting=b"220 mail.example.gov.cn ESMTP\r\n")
    ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=hole.port, SMTP_TIMEOUT=0.5)
    try:
        ids = [queued(to=f"user{n}@example.com") for n in range(3)]
        assert send_pending() == (0, 3)
        connections = len(hole.connections)
    finally:
        hole.stop()
    assert connections == 1  # no QUIT and no reconnect, each waiting for the timeout again
    assert all(reload(i).status == "待发送" and "timed out" in reload(i).last_error for i in ids)


def test_queue_mail_refuses_header_injection(ctx):
    with pytest.raises(ValueError):
        queue_mail("a@example.com\r\nBcc: x@example.com", SUBJECT, BODY)
    with pytest.raises(ValueError):
        queue_mail("a@example.com", "主题\nBcc: x@example.com", BODY)


def test_cli_prints_counts_in_chinese(runner, app, smtp_server):
    with app.app_context():
        queued(to="a@example.com")
        queued(to="b@example.com")
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    result = runner.invoke(send_mail_command)
    assert result.exit_code == 0, result.output
    assert "本次发送成功 2 封，发送失败 0 封。" in result.output
    assert "发件箱中待发送 0 封，已停止重试 0 封" in result.output
    assert len(smtp_server.messages) == 2


def test_cli_reports_failures_and_waiting_messages(runner, app):
    with app.app_context():
        queued()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    result = runner.invoke(send_mail_command)
    assert result.exit_code == 0, result.output
    assert "本次发送成功 0 封，发送失败 1 封。" in result.output
    assert "发件箱中待发送 1 封" in result.output
