"""The per-address limits hold across workers when they count in Redis (the real redis-server on 127.0.0.1:6379).

Two app processes stand for two workers of one server. With the default memory:// each would count its own
requests and let through twice the limit; with Redis they share one count. This test needs Redis and fails
without it (.ci/run starts Debian's redis-server): it never skips.
"""
import http.client
import json
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def workers(database_url: str, folder: Path, count: int, **config):
    """`count` app processes on one database and one Redis; yields their ports."""
    overrides = json.dumps({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                            "RATELIMIT_STORAGE_URI": REDIS_URL} | config)
    processes = [subprocess.Popen([sys.executable, "-m", "tests.accounts.serve_app", overrides, str(folder / f"w{n}")],
                                  cwd=ROOT, stdout=subprocess.PIPE, text=True) for n in range(count)]
    try:
        yield [int(p.stdout.readline()) for p in processes]
    finally:
        for p in processes:
            p.terminate()
            p.wait(10)


def post(port: int, path: str, form: dict) -> int:
    """POST a form to one worker; the status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", path, body=urlencode(form), headers={"Content-Type": "application/x-www-form-urlencoded"})
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.fixture
def prefix():
    """A Redis key prefix of this test alone; its keys are removed afterwards."""
    name = f"portal-test-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # no Redis: the test fails here, it does not skip
    yield name
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)
    client.close()


def test_failed_sign_ins_are_counted_once_across_two_workers(database_url, tmp_path, prefix, app):
    with workers(database_url, tmp_path, 2, SIGNIN_IP_LIMIT="3 per minute", RATELIMIT_KEY_PREFIX=prefix) as (a, b):
        failures = [post(port, "/admin/login", {"username": name, "password": "wrong-password"})
                    for port, name in ((a, "u1"), (b, "u2"), (a, "u3"))]
        assert failures == [200, 200, 200]  # three failures, two in one worker and one in the other
        assert post(a, "/admin/login", {"username": "u4", "password": "x"}) == 429
        assert post(b, "/admin/login", {"username": "u4", "password": "x"}) == 429
    assert any(redis.Redis.from_url(REDIS_URL).scan_iter(f"*{prefix}*"))  # the count was kept in Redis


def test_tracking_tries_are_counted_once_across_two_workers(database_url, tmp_path, prefix, app):
    with workers(database_url, tmp_path, 2, RATELIMIT_KEY_PREFIX=prefix) as (a, b):
        statuses = [post((a, b)[n % 2], "/apply/track", {"number": f"2026-{n + 1:04d}", "code": "AAAA-AAAA"})
                    for n in range(11)]  # ten per 15 minutes per address: five and five, then the eleventh
        assert statuses == [422] * 10 + [429]
