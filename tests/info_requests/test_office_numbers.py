"""Numbers per office under concurrent writers (PostgreSQL): tracking numbers, letter numbers and 索引号 are
each office's own gap-free sequence and never collide, even when every office's counters are first used at
the same moment (core.db.next_serial creates a counter's row on first use, in a savepoint).

SQLite has one writer at a time, so these run only when TEST_DATABASE_URL names PostgreSQL (as CI does).
"""
import os
import random
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from portal.catalog import workflow
from portal.core.db import transaction
from portal.extensions import db
from portal.info_requests import services
from portal.models import Document, InfoRequest, Letter, Office
from tests.factories.catalog import ACTOR, BASE
from tests.factories.offices import make_office
from tests.factories.people import resident_id

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="并发写入只在 PostgreSQL 上测试（SQLite 同一时刻只有一个写入者）")

THREADS = 8
PER_OFFICE = 20
FIELDS = {"applicant_type": "公民", "org_kind": None, "description": "加装电梯补贴发放名单",
          "provide_forms": "电子邮件", "obtain_methods": "电子邮件"}


def two_offices(app) -> list[int]:
    """The portal's first office and 万镇 (prefix WZ): their ids."""
    with app.app_context():
        first = Office.first()
        second = make_office("wanzhen", "万镇街道办事处", prefix="WZ")
        db.session.commit()
        return [first.id, second.id]


def run_concurrently(app, jobs: list, work) -> list:
    """Run work(job) for every job on THREADS threads, each with its own app context and session; all threads
    start together (a barrier), so the counters' first use races."""
    shares = [jobs[n::THREADS] for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def worker(share: list) -> list:
        """One thread: wait for the others, then do its share, one transaction per job."""
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                return [work(job) for job in share]
            finally:
                db.session.remove()

    with ThreadPoolExecutor(THREADS) as pool:
        return [result for done in pool.map(worker, shares) for result in done]


def submit_in(office_id: int) -> int:
    """One online application to this office, through services.submit_online; its id."""
    office = db.session.get(Office, office_id)
    with office.acting():
        info_request, _ = services.submit_online(
            FIELDS, {"name": "张三", "id_type": "居民身份证", "id_number": resident_id(), "phone": "13800138000"})
        return info_request.id


def sequence(numbers: list[str], pattern: str) -> list[int]:
    """The serials of numbers matching pattern (one group), sorted; a number that does not match fails."""
    serials = []
    for number in numbers:
        match = re.fullmatch(pattern, number)
        assert match, f"{number} 不符合 {pattern}"
        serials.append(int(match.group(1)))
    return sorted(serials)


def test_concurrent_online_submissions_give_each_office_its_own_gap_free_numbers(app):
    offices = two_offices(app)
    jobs = [office_id for office_id in offices for _ in range(PER_OFFICE)]
    random.Random(13).shuffle(jobs)
    ids = run_concurrently(app, jobs, submit_in)
    assert len(ids) == len(set(ids)) == 2 * PER_OFFICE
    with app.app_context():
        rows = db.session.execute(select(InfoRequest.office_id, InfoRequest.tracking_number)).all()
        letters = db.session.execute(select(InfoRequest.office_id, Letter.number)
                                     .join(Letter, Letter.info_request_id == InfoRequest.id)).all()
        numbers = [number for _, number in rows]
        assert len(numbers) == len(set(numbers)) == 2 * PER_OFFICE
        assert len({number for _, number in letters}) == len(letters) == 2 * PER_OFFICE  # one 接收回执 each
        expected = list(range(1, PER_OFFICE + 1))
        for office_id in offices:
            office = db.session.get(Office, office_id)
            prefix = re.escape(f"{office.number_prefix}-") if office.number_prefix else ""
            mine = [number for owner, number in rows if owner == office_id]
            assert sequence(mine, rf"{prefix}\d{{4}}-(\d{{4}})") == expected, office.name
            theirs = [number for owner, number in letters if owner == office_id]
            assert sequence(theirs, rf"{re.escape(office.letter_prefix)}〔\d{{4}}〕收字第(\d+)号") == expected


def publish_in(job: tuple[int, int]) -> int:
    """One 主动公开 entry published in this office through the catalog's write path; its id."""
    office_id, n = job
    office = db.session.get(Office, office_id)
    with office.acting():
        with transaction():
            doc, _ = workflow.record_published(
                BASE | {"title": f"并发发布测试{office_id}-{n}", "publisher": office.name,
                        "written_date": date(2026, 3, 1), "published_date": date(2026, 3, 5)},
                actor=ACTOR, action="import")
        workflow.finish(doc)
        return doc.id


def test_concurrent_publications_give_each_office_its_own_index_numbers(app):
    offices = two_offices(app)
    jobs = [(office_id, n) for office_id in offices for n in range(PER_OFFICE)]
    random.Random(26).shuffle(jobs)
    run_concurrently(app, jobs, publish_in)
    with app.app_context():
        rows = db.session.execute(select(Document.office_id, Document.index_number)).all()
        assert len({number for _, number in rows}) == len(rows) == 2 * PER_OFFICE
        for office_id in offices:
            office = db.session.get(Office, office_id)
            mine = [number for owner, number in rows if owner == office_id]
            # Each office's own 机构代码 and its own 2026 sequence: 000014349/2026-00001 …, 1…/2026-00001 ….
            assert sequence(mine, rf"{office.org_code}/2026-(\d{{5}})") == list(range(1, PER_OFFICE + 1))
