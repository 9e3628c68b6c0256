"""A worker killed (SIGKILL) between the database commit of a publish and the index write loses nothing:
the restarted process finds the change in the log and applies it, without `flask reindex`."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from portal import search
from portal.extensions import db
from portal.models import Document
from portal.search.index import current_handle
from tests.factories.app import app_on_empty_database

ROOT = Path(__file__).resolve().parents[2]
TITLE = "石泉路街道加装电梯补贴实施细则"


@pytest.fixture
def quiet(database_url, tmp_path):
    """The test's own app, with no follower thread (it must not apply the killed process's change)."""
    for app in app_on_empty_database(database_url, tmp_path, BACKGROUND_THREADS=False):
        with app.app_context():
            yield app


def _child(mode: str, config: dict, *args: str) -> subprocess.Popen:
    """Start a real portal process (tests/search/crash_child.py)."""
    return subprocess.Popen([sys.executable, "-m", "tests.search.crash_child", mode, json.dumps(config), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)


def _line(process: subprocess.Popen, prefix: str) -> str:
    """The child's first line starting with `prefix` (it prints one when ready)."""
    for line in process.stdout:
        if line.startswith(prefix):
            return line.split()[1]
    raise AssertionError(f"the child exited with {process.wait()} before saying {prefix!r}")


def _kill(process: subprocess.Popen) -> None:
    """SIGKILL: no exit handler, no finally block, no flush runs."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_an_entry_committed_by_a_killed_process_is_searchable_after_restart_without_reindex(quiet):
    search.catch_up()  # the index exists
    handle = current_handle()
    generation = handle.link_target()
    config = {key: quiet.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SEARCH_INDEX_DIR", "UPLOAD_DIR")}
    config |= {"TESTING": True, "SECRET_KEY": "test", "SEARCH_WRITE_TIMEOUT": 120}
    writer = handle.writer(timeout=1)  # the killed process's follower will wait on this lock
    publisher = _child("publish", config, TITLE)
    try:
        doc_id = int(_line(publisher, "committed"))
        time.sleep(1.0)  # its follower is now blocked between the commit and the index write
        _kill(publisher)
    finally:
        if publisher.poll() is None:
            _kill(publisher)
        writer.cancel()
    assert db.session.get(Document, doc_id).status == "published"  # committed …
    assert search.query("加装电梯").total == 0                      # … and not in the index
    server = _child("serve", config)
    try:
        base = f"http://127.0.0.1:{_line(server, 'port')}"
        deadline, html = time.monotonic() + 20, ""
        while time.monotonic() < deadline and f"/documents/{doc_id}" not in html:
            with urllib.request.urlopen(f"{base}/search?q={urllib.parse.quote('加装电梯')}", timeout=10) as page:
                html = page.read().decode()  # the first request starts the restarted process's follower
            time.sleep(0.2)
        assert f"/documents/{doc_id}" in html
    finally:
        _kill(server)
    assert handle.link_target() == generation  # followed from the log, not rebuilt
