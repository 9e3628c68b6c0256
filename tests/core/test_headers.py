"""Security headers: every response carries them (pages, errors, static files, downloads, the API); HSTS
only in production."""
import re
from pathlib import Path

import pytest

from portal.catalog.attachments import check_file
from portal.core.headers import CONTENT_SECURITY_POLICY
from tests.factories.app import app_on_empty_database
from tests.factories.catalog import publish
from tests.factories.staff import login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EVERY_RESPONSE = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def assert_security_headers(response) -> None:
    """The fixed headers, and a policy that allows only the portal's own scripts and styles, no framing."""
    for name, value in EVERY_RESPONSE.items():
        assert response.headers.get(name) == value, (response.request.path, name)
    policy = {d.split()[0]: d.split()[1:] for d in response.headers["Content-Security-Policy"].split("; ")}
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert len(response.headers.getlist("X-Content-Type-Options")) == 1  # downloads set it too: once
    assert "Strict-Transport-Security" not in response.headers  # development serves plain HTTP


def test_pages_errors_static_files_and_feeds_carry_the_security_headers(client, ctx):
    doc = publish(title="带头部的条目")
    for url in ("/", "/catalog", f"/documents/{doc.id}", "/search?q=条目", "/apply/", "/apply/form",
                "/admin/login", "/feed.atom", "/sitemap.xml", "/catalog.csv",
                "/static/js/portal.js", "/static/css/portal.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        response.close()
    for url, status in (("/no-such-page", 404), ("/documents/99999", 404), ("/admin/", 302),
                        ("/static/no-such-file.js", 404)):
        response = client.get(url)
        assert response.status_code == status, url
        assert_security_headers(response)
    response = client.post("/catalog")
    assert response.status_code == 405
    assert_security_headers(response)


def test_htmx_fragments_and_staff_pages_carry_the_security_headers(client, staff):
    staff("admin1", "admin")
    login(client, "admin1")
    for url in ("/admin/", "/admin/accounts", "/admin/audit"):
        assert_security_headers(client.get(url, follow_redirects=True))
    assert_security_headers(client.get("/catalog", headers={"HX-Request": "true"}))


def test_downloads_and_the_api_carry_the_security_headers(client, ctx):
    doc = publish([check_file("说明.txt", "附件正文".encode())], title="带附件")
    response = client.get(f"/documents/{doc.id}/attachments/{doc.attachments[0].id}")
    assert response.status_code == 200
    assert_security_headers(response)
    response.close()
    for url, status in (("/api/documents", 200), (f"/api/documents/{doc.id}", 200), ("/api/documents/99999", 404)):
        response = client.get(url)
        assert response.status_code == status and response.is_json, url
        assert_security_headers(response)


def test_a_server_error_page_carries_the_security_headers(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as production does, not by raising into the test

    @app.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500 and "系统" in response.get_data(as_text=True)
    assert_security_headers(response)


def test_the_policy_allows_no_inline_script_style_or_eval():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "object-src 'none'" in CONTENT_SECURITY_POLICY and "base-uri 'none'" in CONTENT_SECURITY_POLICY


@pytest.fixture
def production_app(monkeypatch, database_url, tmp_path):
    """An app configured as production (SECRET_KEY and PORTAL_URL from the environment)."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_URL", "https://gkb.example.gov.cn")
    yield from app_on_empty_database(database_url, tmp_path, PORTAL_URL="https://gkb.example.gov.cn",
                                     RATELIMIT_ALLOW_MEMORY=True)


def test_production_adds_strict_transport_security(production_app):
    client = production_app.test_client()
    for url in ("/static/css/portal.css", "/no-such-page"):
        response = client.get(url, base_url="https://gkb.example.gov.cn")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", url
        assert response.headers["X-Frame-Options"] == "DENY"


def test_no_template_holds_inline_script_handlers_or_styles():
    """What the policy refuses, on pages the browser test does not reach too (letters, error pages)."""
    refused = re.compile(r"<script(?![^>]*\ssrc=)|<style|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE)
    found = [f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()[:80]}"
             for path in sorted(TEMPLATES.rglob("*.html")) if path.is_file()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if refused.search(line)]
    assert found == []
