"""A secret for the next page to show once (a new query code), carried there encrypted in the session.

Flask's session cookie is signed, not encrypted: whoever holds it (a shared computer in a service hall, a
browser profile, a log of request headers) can read it. So the code travels as a Fernet token (AES-128 and
HMAC-SHA256) under a key derived from SECRET_KEY, expires after TTL seconds, and the page that shows it
takes it out of the session. A row on the server would need a table for a few seconds' worth of state;
the cookie already has to reach the page.
"""
import base64
import json

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session

TTL = 600  # seconds: the page follows its redirect at once; a token older than this is ignored
PURPOSE = b"portal.core.shown_once"  # the derived key serves this and nothing else


def _fernet() -> Fernet:
    """Fernet under a key derived from SECRET_KEY for this purpose only."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret if isinstance(secret, bytes) else secret.encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def keep(name: str, record_id: int, **values) -> None:
    """Keep `values` (e.g. code=...) encrypted in the session for the page of record `record_id`."""
    payload = json.dumps({"id": record_id, **values}).encode()
    session[name] = _fernet().encrypt(payload).decode()


def take(name: str, record_id: int) -> dict:
    """The values kept for this record's page, now gone from the session; {} if none, expired or another's."""
    token = session.pop(name, None)
    if not isinstance(token, str):
        return {}
    try:
        values = json.loads(_fernet().decrypt(token.encode(), ttl=TTL))
    except InvalidToken:
        return {}
    return values if values.get("id") == record_id else {}
