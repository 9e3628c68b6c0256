"""The mail outbox: queue in the caller's transaction, send after commit, retry with backoff.

Claiming, so that several processes (web workers, the cron `send-mail`) never send one row twice:
a sender reads the ids of due rows, then claims them with one conditional UPDATE that sets its random
`claim_token` and a lease (`claimed_until`) only where the row is still due, unsent, not given up and
not under a live claim; it commits, then sends exactly the rows carrying its token. The database
re-checks that WHERE under the row lock (PostgreSQL) or its write lock (SQLite), so of two racing
senders only one sets its token on a row. No lock is held while the SMTP server is talking.
Each result is recorded (and the claim cleared) in its own commit. A sender that dies mid-batch leaves
claims that expire after CLAIM_LEASE, so delivery is at-least-once: a crash between the server's
"250 OK" and that commit may send a message again, with the same Message-ID.
"""
import logging
import secrets
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import OutboxMessage
from .clock import OFFICE_TZ, utcnow

log = logging.getLogger("portal.core.mail")

SMTP_TIMEOUT = 10  # seconds, for connecting and for each SMTP command
CLAIM_LEASE = timedelta(minutes=15)  # far longer than a batch can take
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720))
MAX_ATTEMPTS = 10  # about two days of retries, then the message is marked failed for staff
MAX_BATCHES = 100  # per `send-mail` run


def queue_mail(to: str, subject: str, body: str, related: str | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (no commit); it is sent after commit."""
    to = to.strip()
    if "@" not in to or any(c in to + subject for c in "\r\n"):
        raise ValueError("收件地址或邮件主题无效")
    message = OutboxMessage(
        to_address=to, subject=subject, body=body, related=related,
        message_id=make_msgid(domain=_sender_domain()),
    )
    db.session.add(message)
    return message


def send_pending(limit: int = 50, now: datetime | None = None) -> tuple[int, int]:
    """Send the due messages; return (sent, failed attempts). Uses its own session, never the caller's."""
    now = now or utcnow()
    config = current_app.config
    if not config["SMTP_HOST"] and config["PORTAL_ENV"] == "production":
        # Logging would put applicants' data in production logs and marking sent would lose the mail.
        log.warning("未配置 SMTP_HOST：邮件留在发件箱中，配置后由 flask send-mail 发送")
        return 0, 0
    with Session(db.engine, expire_on_commit=False) as session:
        claimed = _claim(session, now, limit)
        if not claimed:
            return 0, 0
        if not config["SMTP_HOST"]:
            for message in claimed:
                _log_message(message)
                _record(session, message, attempts=message.attempts + 1, sent_at=now, last_error=None)
            return len(claimed), 0
        return _send_batch(session, claimed, now, config)


def deliver_after_commit() -> None:
    """Try to send what is due right after a service's commit; on any error the outbox keeps it."""
    try:
        send_pending()
    except Exception:
        log.exception("发件箱即时发送出错；邮件仍在发件箱中，将由 flask send-mail 重试")


def backoff(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts: 1, 5, 15, 60 minutes … capped at 12 hours."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _claimable(now: datetime) -> tuple:
    """Rows a sender may take now: due, unsent, not given up, and not under another sender's live claim."""
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


def _due_ids(session: Session, now: datetime, limit: int) -> list[int]:
    """The ids of up to `limit` claimable rows, oldest due first."""
    query = (
        select(OutboxMessage.id).where(*_claimable(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    )
    return list(session.scalars(query))


def _claim(session: Session, now: datetime, limit: int) -> list[OutboxMessage]:
    """Claim due rows for this sender (committed) and return those it won; see the module docstring."""
    ids = _due_ids(session, now, limit)
    session.commit()  # end the read before writing: SQLite cannot upgrade a read to a write under contention
    if not ids:
        return []
    token = secrets.token_hex(16)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), *_claimable(now))
        .values(claim_token=token, claimed_until=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    query = select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
    return list(session.scalars(query))


def _record(session: Session, message: OutboxMessage, **values) -> None:
    """Store a send result and release the claim, in its own commit, only while the claim is still ours."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claim_token == message.claim_token)
        .values(claim_token=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    if result.rowcount != 1:
        log.warning("发件箱邮件 %s 的领取已过期，结果未记录（可能被重复发送）", message.id)


def _send_batch(session: Session, claimed: list[OutboxMessage], now: datetime, config) -> tuple[int, int]:
    """Send claimed messages over one SMTP connection; once the server is unreachable, fail the rest."""
    sent = failed = 0
    smtp = None
    unreachable = None
    try:
        for message in claimed:
            if unreachable is None and smtp is None:
                try:
                    smtp = _connect(config)
                except Exception as exc:  # refused, timed out, TLS or login failed
                    unreachable = exc
            if unreachable is not None:
                _fail(session, message, now, unreachable)
                failed += 1
                continue
            try:
                smtp.send_message(_build(message, config, now))
            except Exception as exc:
                permanent = _is_permanent(exc)
                _fail(session, message, now, exc, permanent=permanent)
                failed += 1
                if not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    smtp = _close(smtp)  # the connection may be broken: reconnect for the next one
            else:
                _record(session, message, attempts=message.attempts + 1, sent_at=now, last_error=None)
                sent += 1
    finally:
        _close(smtp)
    return sent, failed


def _fail(session: Session, message: OutboxMessage, now: datetime, exc: Exception, permanent: bool = False) -> None:
    """Record a failed attempt: schedule the next one with backoff, or give up and mark it failed."""
    attempts = message.attempts + 1
    error = _describe(exc)
    if permanent or attempts >= MAX_ATTEMPTS:
        log.error("发件箱邮件 %s 第 %d 次发送失败，已停止重试：%s", message.id, attempts, error)
        _record(session, message, attempts=attempts, last_error=error, failed_at=now)
    else:
        log.warning("发件箱邮件 %s 第 %d 次发送失败，稍后重试：%s", message.id, attempts, error)
        _record(session, message, attempts=attempts, last_error=error, next_attempt_at=now + backoff(attempts))


def _is_permanent(exc: Exception) -> bool:
    """Whether retrying cannot help: the message cannot be built, or the server refused every recipient for good."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, (ValueError, TypeError, UnicodeError))


def _describe(exc: Exception) -> str:
    """A short, single-line description of a send error for `last_error`."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        detail = f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        detail = f"{exc.smtp_code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}"
    else:
        detail = str(exc) or repr(exc)
    return f"{type(exc).__name__}: {' '.join(detail.split())}"[:500]


def _connect(config) -> smtplib.SMTP:
    """Open an SMTP connection: implicit TLS on port 465, else plain with STARTTLS if configured; login if set."""
    host, port = config["SMTP_HOST"], config["SMTP_PORT"]
    if port == 465:  # RFC 8314 "submissions": TLS from the first byte, STARTTLS does not apply
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    try:
        if config["SMTP_STARTTLS"] and port != 465:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    """Say goodbye if the server still listens, then drop the socket; returns None for reassignment."""
    if smtp is None:
        return None
    try:
        smtp.quit()
    except Exception:
        smtp.close()
    return None


def _build(message: OutboxMessage, config, now: datetime) -> EmailMessage:
    """The MIME message: UTF-8 subject (RFC 2047) and body (base64), From, Date in the office's zone."""
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now.astimezone(OFFICE_TZ))
    email["Message-ID"] = message.message_id
    email.set_content(message.body, charset="utf-8", cte="base64")
    return email


def _log_message(message: OutboxMessage) -> None:
    """The development default: write the whole message to the log instead of sending it."""
    log.info(
        "邮件（未配置 SMTP_HOST，仅写入日志，未实际发送）\n收件人：%s\n主题：%s\n\n%s",
        message.to_address, message.subject, message.body,
    )


def _sender_domain() -> str:
    """The domain of MAIL_FROM, for Message-IDs (never the host name: looking it up can block)."""
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


def outbox_counts() -> tuple[int, int]:
    """How many messages are waiting to be sent, and how many were given up (for staff to handle)."""
    waiting = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None)
    )
    given_up = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_not(None)
    )
    return db.session.scalar(waiting), db.session.scalar(given_up)


@click.command("send-mail")
@click.option("--limit", default=50, show_default=True, help="每批最多发送的邮件数。")
@with_appcontext
def send_mail_command(limit: int) -> None:
    """发送发件箱中到期的邮件（供定时任务调用）。"""
    if not current_app.config["SMTP_HOST"]:
        if current_app.config["PORTAL_ENV"] == "production":
            click.echo("未配置 SMTP_HOST：邮件不会发送，保留在发件箱中。", err=True)
        else:
            click.echo("未配置 SMTP_HOST：邮件只写入日志，不实际发送。")
    sent = failed = 0
    for _ in range(MAX_BATCHES):
        batch_sent, batch_failed = send_pending(limit=limit)
        sent, failed = sent + batch_sent, failed + batch_failed
        if batch_sent + batch_failed < limit:
            break
    waiting, given_up = outbox_counts()
    click.echo(f"本次发送成功 {sent} 封，发送失败 {failed} 封。")
    click.echo(f"发件箱中待发送 {waiting} 封，已停止重试 {given_up} 封（需人工处理）。")


MAIL_COMMANDS = [send_mail_command]
