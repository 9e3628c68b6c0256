"""The mail outbox: queue in the caller's transaction, send from this process's background sender.

A service queues a message in its transaction and, after commit, says `mail_queued()`: the sender thread
(core.background, one per process) sends it soon; no request waits on SMTP. The same thread runs every
POLL_SECONDS for what is due again (retries with backoff) or was left by a process that died; `flask
send-mail` from cron does the same from outside. Rows stay in the outbox until sent, and are kept after.

Claiming, so that several processes (web workers, the cron `send-mail`) never send one row twice:
a sender reads the ids of due rows, then claims them with one conditional UPDATE that sets its random
`claim_token` and a lease (`claimed_until`) only where the row is still due, unsent, not given up and
not under a live claim; it commits, then sends exactly the rows carrying its token. The database
re-checks that WHERE under the row lock (PostgreSQL) or its write lock (SQLite), so of two racing
senders only one sets its token on a row. No lock is held while the SMTP server is talking.
Each result is recorded (and the claim cleared) in its own commit. A sender that dies mid-batch leaves
claims that expire after CLAIM_LEASE, so delivery is at-least-once: a crash between the server's
"250 OK" and that commit may send a message again, with the same Message-ID.

The log says only that a message (id, kind) was sent or failed, never its address, subject or body.
Without SMTP_HOST in development each message is written whole to MAIL_DIR/<id>.eml (mode 0600) instead.
"""
import logging
import os
import secrets
import smtplib
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import OutboxMessage
from . import smtp as transport
from .background import Worker
from .clock import utcnow

log = logging.getLogger("portal.core.mail")

CLAIM_LEASE = timedelta(minutes=15)  # far longer than a batch can take
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60, 180, 360, 720))
MAX_ATTEMPTS = 10  # about two days of retries, then the message is marked failed for staff
BATCH = 50  # messages per run of the sender
MAX_BATCHES = 100  # per `send-mail` run
POLL_SECONDS = 30  # the background sender's period, for retries that fall due


def queue_mail(to: str, subject: str, body: str, related: str | None = None) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (no commit); after commit call mail_queued()."""
    to = to.strip()
    if "@" not in to or any(c in to + subject for c in "\r\n"):
        raise ValueError("收件地址或邮件主题无效")
    message = OutboxMessage(
        to_address=to, subject=subject, body=body, related=related,
        message_id=make_msgid(domain=_sender_domain()),
    )
    db.session.add(message)
    return message


def mail_queued() -> None:
    """After a commit that queued mail: wake this process's sender; never raises, never waits on SMTP."""
    try:
        SENDER.wake()
    except Exception:  # e.g. no thread could be started: the periodic run or `send-mail` sends it later
        log.exception("无法唤醒后台邮件发送；邮件仍在发件箱中，稍后发送")


def _send_due(app: Flask) -> bool:
    """One run of the background sender; True when a full batch was handled and more may be due."""
    sent, failed = send_pending(limit=BATCH)
    return sent + failed >= BATCH


SENDER = Worker("mail", _send_due, every=POLL_SECONDS)


def init_app(app: Flask) -> None:
    """Give the app its background sender (started in each process on its first request or wake)."""
    SENDER.init_app(app)


def send_pending(limit: int = BATCH, now: datetime | None = None) -> tuple[int, int]:
    """Send the due messages; return (sent, failed attempts). Uses its own session, never the caller's."""
    now = now or utcnow()
    app = current_app._get_current_object()
    config = app.config
    if not config["SMTP_HOST"] and config["PORTAL_ENV"] == "production":
        # Writing files would put applicants' data on the server and marking sent would lose the mail.
        if not app.extensions.get("mail_unconfigured_warned"):
            app.extensions["mail_unconfigured_warned"] = True
            log.warning("未配置 SMTP_HOST：邮件留在发件箱中，配置后发送")
        return 0, 0
    with Session(db.engine, expire_on_commit=False) as session:
        claimed = _claim(session, now, limit)
        if not claimed:
            return 0, 0
        if not config["SMTP_HOST"]:
            return _write_files(session, claimed, now, app)
        return _send_batch(session, claimed, now, config)


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


def _sent(session: Session, message: OutboxMessage, now: datetime, note: str = "已发送") -> None:
    """Record a delivered message and log that it went (id and kind only)."""
    _record(session, message, attempts=message.attempts + 1, sent_at=now, last_error=None)
    log.info("发件箱邮件 %s（%s）%s", message.id, _kind(message), note)


def _send_batch(session: Session, claimed: list[OutboxMessage], now: datetime, config) -> tuple[int, int]:
    """Send claimed messages over one SMTP connection; once the server is unreachable or stalls, fail the rest."""
    sent = failed = 0
    smtp = None
    unreachable = None
    try:
        for message in claimed:
            if unreachable is None and smtp is None:
                try:
                    smtp = transport.connect(config)
                except Exception as exc:  # refused, timed out, no greeting, TLS or login failed
                    unreachable = exc
            if unreachable is not None:
                _fail(session, message, now, unreachable)
                failed += 1
                continue
            try:
                smtp.send_message(transport.build(message, config, now))
            except Exception as exc:
                _fail(session, message, now, exc, permanent=transport.is_permanent(exc))
                failed += 1
                if transport.is_unreachable(exc):  # a QUIT or a reconnect would wait for the timeout again
                    unreachable, smtp = exc, transport.drop(smtp)
                elif not isinstance(exc, smtplib.SMTPRecipientsRefused):
                    smtp = transport.close(smtp)  # the connection may be broken: reconnect for the next one
            else:
                _sent(session, message, now)
                sent += 1
    finally:
        transport.close(smtp)
    return sent, failed


def _fail(session: Session, message: OutboxMessage, now: datetime, exc: Exception, permanent: bool = False) -> None:
    """Record a failed attempt: schedule the next one with backoff, or give up and mark it failed."""
    attempts = message.attempts + 1
    error = transport.describe(exc)
    if permanent or attempts >= MAX_ATTEMPTS:
        log.error("发件箱邮件 %s（%s）第 %d 次发送失败，已停止重试：%s", message.id, _kind(message), attempts, error)
        _record(session, message, attempts=attempts, last_error=error, failed_at=now)
    else:
        log.warning("发件箱邮件 %s（%s）第 %d 次发送失败，稍后重试：%s", message.id, _kind(message), attempts, error)
        _record(session, message, attempts=attempts, last_error=error, next_attempt_at=now + backoff(attempts))


def _write_files(session: Session, claimed: list[OutboxMessage], now: datetime, app: Flask) -> tuple[int, int]:
    """The development default: write each message whole to MAIL_DIR/<id>.eml (0600) instead of sending it."""
    folder = Path(app.config.get("MAIL_DIR") or Path(app.instance_path) / "mail")
    sent = failed = 0
    for message in claimed:
        try:
            path = _write_file(folder, message, transport.readable_bytes(message, app.config, now))
        except OSError as exc:
            _fail(session, message, now, exc)
            failed += 1
        else:
            _sent(session, message, now, note=f"未实际发送（未配置 SMTP_HOST），全文见 {path}")
            sent += 1
    return sent, failed


def _write_file(folder: Path, message: OutboxMessage, content: bytes) -> Path:
    """Write one message readable by its owner only; the folder too."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{message.id}.eml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # also when the file existed (a resend after an expired claim)
        file.write(content)
    return path


def _kind(message: OutboxMessage) -> str:
    """What the message is about, for the log: the kind of its `related` reference, never the reference itself."""
    return (message.related or "").partition(":")[0] or "其他"


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
@click.option("--limit", default=BATCH, show_default=True, help="每批最多发送的邮件数。")
@with_appcontext
def send_mail_command(limit: int) -> None:
    """发送发件箱中到期的邮件（供定时任务调用）。"""
    if not current_app.config["SMTP_HOST"]:
        if current_app.config["PORTAL_ENV"] == "production":
            click.echo("未配置 SMTP_HOST：邮件不会发送，保留在发件箱中。", err=True)
        else:
            click.echo("未配置 SMTP_HOST：邮件不实际发送，全文写入 MAIL_DIR（默认 instance/mail/）。")
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
