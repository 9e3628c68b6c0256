"""Slowing down guesses of a secret without a lock that anyone could set off.

The secrets are a staff member's password (scope SIGN_IN, subject: the username typed) and an
application's query code (scope TRACKING, subject: the tracking number). The old rules locked the
subject for everybody after a number of failures from anywhere, so a stranger could keep the owner out
at will. Here nothing is ever locked for everybody; the design, and why the owner always gets in:

- Failures are counted per (subject, address). The first PAIR_FREE cost nothing; from then on each
  attempt from that address waits 1, 2, 4, 8 … seconds after the last failure (doubling, at most
  MAX_WAIT). An attempt made before its wait is over is answered "try again in N seconds" without the
  secret being checked and without counting, so a guesser gains nothing by hammering. The right secret
  clears the pair; a pair's failures are forgotten FORGET after the last one.
- Failures are also counted per subject from every address (the EVERY_ADDRESS row, over WINDOW). When
  those from other addresses than this one reach SUSPECT, someone is guessing from elsewhere: an address from which the right secret has never come
  (within KNOWN_FOR) then gets a single free failure before its own doubling starts. A guesser spread
  over many addresses so gets one quick try per new address and then the same doubling on each, while
  the owner loses nothing: from an address they used before they keep the full allowance, and from any
  address that has not failed yet their first attempt is checked at once. Only their own mistypes (or a
  guesser behind the very same address) can make them wait, and then for seconds, at most MAX_WAIT.
- Flask-Limiter's per-address limits (all subjects from one address) stay on top of this.
- When the count from every address reaches NOTIFY_AFTER, the holder is told by mail (where an address
  is known), at most once per NOTIFY_PERIOD, and the caller writes that in the audit log.
- The attempt is claimed with a conditional UPDATE before the secret is checked: the pair's next allowed
  time is set to what it will be if this attempt fails, so parallel requests and other workers cannot
  slip extra tries into one wait. The state lives in the database, shared by all workers.
- Rows that can no longer change an answer (no failure within FORGET/WINDOW, no wait running, no success
  within KNOWN_FOR) are deleted: they hold visitors' addresses, and random guesses of tracking numbers would
  otherwise grow the table without end. begin() prunes at most once per PRUNE_EVERY in each process.
- Subjects are stored as a keyed hash (HMAC with SECRET_KEY), never as typed (a password typed into the
  username box is not written down), and an unknown username or number is slowed exactly like a real
  one, so the answers never tell which accounts or applications exist.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.throttle import EVERY_ADDRESS, GuessThrottle

SIGN_IN, TRACKING = "sign_in", "tracking"
PAIR_FREE = 5                         # failures per (subject, address) before the waits start
SUSPECT = 10                          # failures from every address that mean someone is guessing
MAX_WAIT = timedelta(minutes=15)      # the longest wait between two attempts
FORGET = timedelta(hours=24)          # a pair's failures are forgotten this long after the last one
WINDOW = timedelta(hours=24)          # … and the subject's failures from every address likewise
KNOWN_FOR = timedelta(days=90)        # an address the right secret came from counts as the owner's this long
NOTIFY_AFTER = 10                     # failures from every address before the holder is told …
NOTIFY_PERIOD = timedelta(hours=24)   # … at most once in this period
PRUNE_EVERY = timedelta(hours=1)      # how often a process deletes the rows that no longer matter
_last_pruned: dict[str, datetime] = {}  # per app's database URL: when this process last pruned


class TooSoon(Exception):
    """An attempt before this address's wait for this subject is over; `seconds` still to wait."""

    def __init__(self, seconds: int):
        """Remember how long to wait."""
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def text(self) -> str:
        """The wait in Chinese, for the page: 请 N 秒后再试 / 请 N 分钟后再试."""
        if self.seconds < 60:
            return f"请 {self.seconds} 秒后再试"
        return f"请 {math.ceil(self.seconds / 60)} 分钟后再试"


def subject_key(scope: str, value: str) -> str:
    """The stored form of a subject: a keyed hash of it, trimmed and case-folded."""
    key = current_app.config["SECRET_KEY"].encode()
    text = f"{scope}:{(value or '').strip().lower()}".encode("utf-8", "surrogatepass")  # lone surrogates too
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def delay(failures: int, allowance: int) -> timedelta:
    """The wait after `failures` in a row when `allowance` are free: 0, then 1, 2, 4 … s, at most MAX_WAIT."""
    if failures < allowance:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - allowance, 20)), MAX_WAIT)


def _query(scope: str, subject: str, address: str):
    """SELECT of one row."""
    return select(GuessThrottle).filter_by(scope=scope, subject=subject, address=address)


def _ensure(scope: str, subject: str, address: str) -> GuessThrottle:
    """The row, added in the caller's transaction if missing (another worker may add it first)."""
    row = db.session.scalar(_query(scope, subject, address))
    if row is None:
        try:
            with db.session.begin_nested():
                row = GuessThrottle(scope=scope, subject=subject, address=address, failures=0)
                db.session.add(row)
        except IntegrityError:
            row = db.session.scalar(_query(scope, subject, address))
    return row


def _recent(row: GuessThrottle | None, now: datetime, span: timedelta) -> int:
    """The row's failures, or 0 when the last one is older than `span`."""
    if row is None or row.last_failure_at is None or row.last_failure_at <= now - span:
        return 0
    return row.failures


def _allowance(pair: GuessThrottle, every: GuessThrottle | None, now: datetime) -> int:
    """Free failures for this pair: PAIR_FREE, or 1 for an unknown address while others are guessing."""
    known = pair.succeeded_at is not None and pair.succeeded_at > now - KNOWN_FOR
    elsewhere = _recent(every, now, WINDOW) - _recent(pair, now, FORGET)
    return PAIR_FREE if known or elsewhere < SUSPECT else 1


def network_of(address: str) -> str:
    """What counts as one address: an IPv4 address, an IPv6 /64 (one subscriber's whole prefix, or
    rotating addresses inside it would each get a fresh allowance), or the text cut to the column."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "")[:45]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def prune(now: datetime) -> int:
    """Delete the rows that no longer change any answer (caller commits); how many went."""
    stale = max(FORGET, WINDOW, NOTIFY_PERIOD)
    return db.session.execute(
        delete(GuessThrottle)
        .where(or_(GuessThrottle.last_failure_at.is_(None), GuessThrottle.last_failure_at <= now - stale),
               or_(GuessThrottle.next_allowed_at.is_(None), GuessThrottle.next_allowed_at <= now),
               or_(GuessThrottle.succeeded_at.is_(None), GuessThrottle.succeeded_at <= now - KNOWN_FOR))
        .execution_options(synchronize_session=False)
    ).rowcount


def _prune_now_and_then(now: datetime) -> None:
    """Prune when this process has not done so for PRUNE_EVERY (in the caller's transaction)."""
    key = str(db.engine.url)
    last = _last_pruned.get(key)
    if last is None or now - last >= PRUNE_EVERY or now < last:
        _last_pruned[key] = now
        prune(now)


def begin(scope: str, value: str, address: str, now: datetime) -> str:
    """Claim one attempt (committed) before the secret is checked; its subject key. TooSoon while waiting."""
    _prune_now_and_then(now)
    subject = subject_key(scope, value)
    address = network_of(address)
    pair = _ensure(scope, subject, address)
    every = _ensure(scope, subject, EVERY_ADDRESS)
    hold = now + delay(_recent(pair, now, FORGET) + 1, _allowance(pair, every, now))
    claimed = db.session.execute(
        update(GuessThrottle)
        .where(GuessThrottle.id == pair.id,
               or_(GuessThrottle.next_allowed_at.is_(None), GuessThrottle.next_allowed_at <= now))
        .values(next_allowed_at=hold)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        wait = (db.session.get(GuessThrottle, pair.id).next_allowed_at - now).total_seconds()
        raise TooSoon(max(1, math.ceil(wait)))
    return subject


def succeeded(scope: str, subject: str, address: str, now: datetime) -> None:
    """The right secret from this address: clear its failures and remember it as the owner's (caller commits)."""
    address = network_of(address)
    db.session.execute(
        update(GuessThrottle).filter_by(scope=scope, subject=subject, address=address)
        .values(failures=0, next_allowed_at=None, succeeded_at=now)
        .execution_options(synchronize_session=False))


def failed(scope: str, subject: str, address: str, now: datetime) -> int | None:
    """Count a wrong secret (caller commits); the count from every address if the holder is to be told now."""
    address = network_of(address)
    for where, span in ((address, FORGET), (EVERY_ADDRESS, WINDOW)):
        db.session.execute(
            update(GuessThrottle).filter_by(scope=scope, subject=subject, address=where)
            .values(failures=case((GuessThrottle.last_failure_at > now - span, GuessThrottle.failures + 1), else_=1),
                    last_failure_at=now)
            .execution_options(synchronize_session=False))
    pair = db.session.scalar(_query(scope, subject, address).execution_options(populate_existing=True))
    every = db.session.scalar(_query(scope, subject, EVERY_ADDRESS).execution_options(populate_existing=True))
    pair.next_allowed_at = now + delay(pair.failures, _allowance(pair, every, now))
    told = db.session.execute(
        update(GuessThrottle)
        .where(GuessThrottle.id == every.id, GuessThrottle.failures >= NOTIFY_AFTER,
               or_(GuessThrottle.notified_at.is_(None), GuessThrottle.notified_at <= now - NOTIFY_PERIOD))
        .values(notified_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return every.failures if told else None


def failing_addresses(scope: str, subject: str, now: datetime) -> int:
    """From how many addresses the subject had failures within WINDOW."""
    return db.session.scalar(
        select(func.count()).select_from(GuessThrottle)
        .filter_by(scope=scope, subject=subject)
        .where(GuessThrottle.address != EVERY_ADDRESS, GuessThrottle.last_failure_at > now - WINDOW)) or 0


def recent_failures(scope: str, value: str, now: datetime) -> int:
    """Failures against this subject from every address within WINDOW (for the account page)."""
    return _recent(db.session.scalar(_query(scope, subject_key(scope, value), EVERY_ADDRESS)), now, WINDOW)


def forget(scope: str, value: str) -> None:
    """Drop every count for a subject, e.g. when a 管理员 sets a new password (caller commits)."""
    db.session.execute(delete(GuessThrottle).filter_by(scope=scope, subject=subject_key(scope, value)))
