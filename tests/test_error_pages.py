"""Error pages: Chinese, in the site's frame, and still served when the database failed the request or
does not answer at all (never the server's bare English "Internal Server Error")."""
import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.models import HANDLER
from tests.factories.app import app_on_empty_database, make_app
from tests.factories.staff import login


@pytest.fixture
def failing_app(database_url, tmp_path):
    """An app whose errors reach the error handlers (as in production), with a view whose SQL fails."""
    for app in app_on_empty_database(database_url, tmp_path, PROPAGATE_EXCEPTIONS=False):

        @app.get("/broken-sql")
        def broken_sql():
            """A statement the database refuses: PostgreSQL then refuses the rest of the transaction."""
            db.session.execute(text("SELECT no_such_column FROM office"))

        yield app


def test_after_a_database_error_the_chinese_error_page_is_served(failing_app):
    # On PostgreSQL the failed statement aborts the transaction; the error page's own queries (the
    # office's name, the signed-in user) then failed too and the server answered in bare English.
    response = failing_app.test_client().get("/broken-sql")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错了" in html and "返回首页" in html and "浏览法定主动公开内容" in html  # the full frame


def test_the_next_request_after_a_database_error_is_served_normally(failing_app):
    client = failing_app.test_client()
    client.get("/broken-sql")
    response = client.get("/catalog")
    assert response.status_code == 200 and "法定主动公开内容" in response.get_data(as_text=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_app(request, tmp_path):
    """An app whose database does not answer: a SQLite file in a missing folder, PostgreSQL on a closed port."""
    url = {"sqlite": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}",
           "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/none"}[request.param]
    return make_app(url, tmp_path, PROPAGATE_EXCEPTIONS=False, BACKGROUND_THREADS=False)  # no thread to retry it


def test_without_a_database_the_error_page_is_still_chinese(unreachable_app):
    response = unreachable_app.test_client().get("/catalog")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "系统出错了" in html and "Internal Server Error" not in html


def test_without_a_database_the_api_answers_its_json_error(unreachable_app):
    response = unreachable_app.test_client().get("/api/documents")
    assert response.status_code == 500
    assert response.json == {"error": "internal_server_error", "status": 500, "message": "请求无法处理"}


def test_a_submission_over_the_upload_limit_says_the_limit_and_how_to_keep_what_was_typed(app_with):
    app = app_with(MAX_CONTENT_LENGTH=1024 * 1024)  # MAX_UPLOAD_MB=1
    response = app.test_client().post("/apply/form", data={"description": "x" * (2 * 1024 * 1024)})
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "文件过大" in html and "超过了 1 MB 的限制，没有被保存" in html and "后退" in html


def test_a_staff_member_refused_a_page_is_offered_the_way_back_to_the_dashboard(app, staff):
    staff("li", HANDLER)
    client = app.test_client()
    login(client, "li")
    refused = client.get("/admin/accounts")  # for the 管理员 only
    assert refused.status_code == 403 and 'href="/admin/">返回工作台</a>' in refused.get_data(as_text=True)
    assert "返回工作台" not in app.test_client().get("/no-such-page").get_data(as_text=True)
