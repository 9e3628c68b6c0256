"""Mail around real requests: no request waits on SMTP, the background sender delivers, nothing personal is logged.

The app is served by werkzeug on loopback in a thread (as gunicorn serves a worker), the SMTP servers are
real sockets: tests/factories/smtp.py's aiosmtpd server and its black hole that never answers.
"""
import http.client
import logging
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from sqlalchemy import select, text
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import InfoRequest, OutboxMessage
from tests.factories.people import CITIZEN_FORM
from tests.factories.smtp import BlackHoleServer, wait_for_mail

FAST = 3.0  # seconds; a request that waited on the black hole would take SMTP_TIMEOUT (10 s) or more


@contextmanager
def served(app):
    """Serve the app on a free loopback port; yield a function that times one request and returns (status, s)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def timed(method: str, path: str, form: dict | None = None) -> tuple[int, float]:
        """Send one request on a new connection; its status and how long the answer took."""
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        body = urlencode(form, doseq=True) if form else None
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if form else {}
        started = time.monotonic()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.monotonic() - started
        conn.close()
        return response.status, elapsed

    try:
        yield timed
    finally:
        server.shutdown()
        thread.join(5)


def outbox():
    """The outbox rows as stored now (the sender writes through its own session)."""
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_submissions_and_other_pages_answer_at_once_while_the_smtp_server_never_answers(app, calendar):
    hole = BlackHoleServer()  # accepts the connection, never sends a greeting
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=hole.port)  # SMTP_TIMEOUT stays at its default, 10 s
    try:
        with served(app) as timed:
            submissions = [timed("POST", "/apply/form", CITIZEN_FORM | {"email": f"a{n}@example.com"})
                           for n in range(8)]
            catalog = timed("GET", "/catalog")
            waiting = outbox()
    finally:
        hole.stop()
    print("submissions (s):", [round(s, 3) for _, s in submissions], "catalog (s):", round(catalog[1], 3))
    assert [status for status, _ in submissions] == [303] * 8
    assert max(seconds for _, seconds in submissions) < FAST, submissions
    assert catalog[0] == 200 and catalog[1] < FAST, catalog
    assert [(row.status, row.last_error) for row in waiting] == [("待发送", None)] * 8
    assert db.session.scalar(select(db.func.count()).select_from(InfoRequest)) == 8


def test_with_a_real_smtp_server_the_mail_arrives_within_seconds_without_send_mail(app, calendar, smtp_server):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    with served(app) as timed:
        status, seconds = timed("POST", "/apply/form", CITIZEN_FORM)
        submitted = time.monotonic()
        while not smtp_server.messages and time.monotonic() - submitted < 5:
            time.sleep(0.02)
        arrived = time.monotonic() - submitted
    print(f"submission {seconds:.3f} s, mail arrived {arrived:.3f} s later")
    assert status == 303 and seconds < FAST
    assert [m.rcpt_tos for m in smtp_server.messages] == [["zhangsan@example.com"]]
    assert [row.status for row in outbox()] == ["已发送"]


def test_mail_left_in_the_outbox_goes_out_once_a_process_serves_its_first_request(app, calendar, smtp_server):
    from portal.core.mail import queue_mail

    queue_mail("lisi@example.com", "申请答复期限调整通知", "李四：……", related="info_request:2026-0001")
    db.session.commit()  # queued by a process that died before waking its sender
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    with served(app) as timed:
        assert timed("GET", "/catalog")[0] == 200
        started = time.monotonic()
        while not smtp_server.messages and time.monotonic() - started < 5:
            time.sleep(0.02)
    assert [m.rcpt_tos for m in smtp_server.messages] == [["lisi@example.com"]]


def test_a_request_that_queues_mail_and_a_failing_sql_statement_leave_no_personal_data_in_the_log(app, calendar,
                                                                                                  caplog):
    app.config.update(SMTP_HOST="", PROPAGATE_EXCEPTIONS=False)  # development mail; errors logged as in production

    def failing_lookup():
        """A statement carrying an applicant's name and address that the database refuses."""
        try:
            db.session.execute(text("SELECT id FROM applicant WHERE name = :name AND no_such_column = :email"),
                               {"name": "王小明", "email": "wangxm@example.net"})
        finally:
            db.session.rollback()

    app.add_url_rule("/failing-lookup", view_func=failing_lookup)
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        assert client.post("/apply/form", data=CITIZEN_FORM).status_code == 303
        wait_for_mail(app)
        assert client.get("/failing-lookup").status_code == 500
    [message] = outbox()
    assert message.status == "已发送"  # written to MAIL_DIR in development
    assert "no_such_column" in caplog.text and "Exception on /failing-lookup" in caplog.text
    assert f"发件箱邮件 {message.id}（info_request）" in caplog.text
    number = db.session.scalar(select(InfoRequest.tracking_number))
    for private in ("张三", "zhangsan@example.com", CITIZEN_FORM["id_number"], CITIZEN_FORM["phone"], number,
                    "王小明", "wangxm@example.net"):
        assert private not in caplog.text, private
