"""The SMTP side of the outbox: bounded connections, the MIME message, and errors described without addresses.

Every socket operation is bounded by SMTP_TIMEOUT (seconds): the TCP connect, the greeting and each
command's reply. A server that stops answering mid-conversation is treated like one that cannot be
reached, so one stalled server costs a batch one timeout, not one per message.
"""
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTPUTF8
from email.utils import format_datetime

from ..models import OutboxMessage
from .clock import OFFICE_TZ

# Anything shaped like a mail address; servers echo the recipient in refusals ("<a@b.cn>: … rejected").
ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]@]+@[^\s<>\"'(),;:\[\]@]+")


def connect(config) -> smtplib.SMTP:
    """Open an SMTP connection: implicit TLS on port 465, else plain with STARTTLS if configured; login if set."""
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], float(config["SMTP_TIMEOUT"])
    if port == 465:  # RFC 8314 "submissions": TLS from the first byte, STARTTLS does not apply
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config["SMTP_STARTTLS"] and port != 465:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    except BaseException:
        drop(smtp)
        raise
    return smtp


def close(smtp: smtplib.SMTP | None) -> None:
    """Say goodbye if the server still listens, then drop the socket; returns None for reassignment."""
    if smtp is None:
        return None
    try:
        smtp.quit()
    except Exception:
        smtp.close()
    return None


def drop(smtp: smtplib.SMTP | None) -> None:
    """Close the socket without a QUIT (the server stopped answering: waiting for its goodbye would stall)."""
    if smtp is not None:
        smtp.close()
    return None


def is_unreachable(exc: Exception) -> bool:
    """Whether the connection is gone or stalled (timeout, reset, disconnect), so later messages cannot go either."""
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)  # SMTPException is an OSError


def is_permanent(exc: Exception) -> bool:
    """Whether retrying cannot help: the message cannot be built, or the server refused every recipient for good."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, (ValueError, TypeError, UnicodeError))


def describe(exc: Exception) -> str:
    """A short, single-line description of a send error for `last_error` and the log, addresses removed."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        detail = f"{code} {_text(text)}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    else:
        detail = str(exc) or repr(exc)
    return redact(f"{type(exc).__name__}: {' '.join(detail.split())}")[:500]


def redact(text: str) -> str:
    """Replace every mail address in the text by 〈地址〉."""
    return ADDRESS.sub("〈地址〉", text)


def _text(value) -> str:
    """A server's reply text as str."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def build(message: OutboxMessage, config, now, cte: str = "base64") -> EmailMessage:
    """The MIME message: UTF-8 subject (RFC 2047) and body, From, Date in the office's zone."""
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now.astimezone(OFFICE_TZ))
    email["Message-ID"] = message.message_id
    email.set_content(message.body, charset="utf-8", cte=cte)
    return email


def readable_bytes(message: OutboxMessage, config, now) -> bytes:
    """The whole message as a developer reads it: UTF-8 headers and body as they are, not encoded."""
    return build(message, config, now, cte="8bit").as_bytes(policy=SMTPUTF8)
