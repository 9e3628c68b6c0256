"""Absolute links name the configured PORTAL_URL, never the Host header; production refuses other hosts."""
import csv
import io
from xml.etree import ElementTree

import pytest
from flask import url_for

from portal.catalog.attachments import check_file
from portal.config import ConfigError, load_config
from portal.core.urls import external_url
from tests.factories.app import app_on_empty_database
from tests.factories.catalog import publish

EVIL = {"Host": "evil.example"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
ATOM = "{http://www.w3.org/2005/Atom}"


def absolute_links(client, headers=None, base_url=None) -> list[str]:
    """Every absolute URL the sitemap, the feed, the CSV and the API answer with, asked with these headers."""
    kwargs = {"headers": headers or {}, **({"base_url": base_url} if base_url else {})}
    links = [e.text for e in ElementTree.fromstring(client.get("/sitemap.xml", **kwargs).data).iter(SITEMAP)]
    feed = ElementTree.fromstring(client.get("/feed.atom", **kwargs).data)
    links += [e.text for e in feed.iter(f"{ATOM}id")] + [e.get("href") for e in feed.iter(f"{ATOM}link")]
    rows = list(csv.reader(io.StringIO(client.get("/catalog.csv", **kwargs).get_data(as_text=True).lstrip("\ufeff"))))
    links += [row[-1] for row in rows[1:]]
    for item in client.get("/api/documents", **kwargs).json["items"]:
        links += [item["url"]] + [a["url"] for a in item["attachments"]]
    return links


def test_sitemap_feed_csv_and_api_links_ignore_the_host_header(client, ctx):
    doc = publish([check_file("说明.txt", "附件".encode())], title="链接条目")
    honest = absolute_links(client)
    assert f"http://localhost/documents/{doc.id}" in honest
    assert f"http://localhost/documents/{doc.id}/attachments/{doc.attachments[0].id}" in honest
    for forged in (absolute_links(client, headers=EVIL),
                   absolute_links(client, base_url="https://evil.example"),
                   absolute_links(client, headers={"Host": "localhost", "X-Forwarded-Host": "evil.example"})):
        assert forged == honest
        assert not any("evil" in link for link in forged)


def test_the_configured_address_gives_scheme_host_and_root_also_outside_a_request(database_url, tmp_path):
    for app in app_on_empty_database(database_url, tmp_path, PORTAL_URL="https://gkb.example.gov.cn/xxgk/"):
        with app.app_context():  # background mail and CLI commands build links without a request
            assert external_url("catalog.document", doc_id=7) == "https://gkb.example.gov.cn/xxgk/documents/7"
            assert url_for("catalog.feed", _external=True) == "https://gkb.example.gov.cn/xxgk/feed.atom"
        with app.test_request_context("/", base_url="http://evil.example"):
            assert external_url("catalog.catalog") == "https://gkb.example.gov.cn/catalog"


def test_development_defaults_to_flask_runs_address_and_trusts_any_host(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.delenv("PORTAL_URL", raising=False)
    config = load_config(str(tmp_path))
    assert config["SERVER_NAME"] == "localhost:5000" and config["PREFERRED_URL_SCHEME"] == "http"
    assert config["TRUSTED_HOSTS"] is None


@pytest.fixture
def production(monkeypatch):
    """The environment of a production install, less PORTAL_URL."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("PORTAL_URL", raising=False)
    monkeypatch.delenv("PORTAL_TRUSTED_HOSTS", raising=False)
    return monkeypatch


@pytest.mark.parametrize("value", ["", "gkb.example.gov.cn", "ftp://gkb.example.gov.cn", "https://a@gkb.example.gov.cn",
                                   "https://gkb.example.gov.cn/?x=1"])
def test_production_refuses_to_start_without_a_usable_portal_url(production, tmp_path, value):
    production.setenv("PORTAL_URL", value)
    with pytest.raises(ConfigError, match="PORTAL_URL"):
        load_config(str(tmp_path))


def test_production_trusts_the_portal_host_and_the_listed_ones_only(production, tmp_path):
    production.setenv("PORTAL_URL", "https://GKB.example.gov.cn")
    production.setenv("PORTAL_TRUSTED_HOSTS", "10.0.0.5, .internal.example")
    config = load_config(str(tmp_path))
    assert config["TRUSTED_HOSTS"] == ["gkb.example.gov.cn", "10.0.0.5", ".internal.example"]


def test_production_answers_a_foreign_host_with_400_and_serves_its_own(production, database_url, tmp_path):
    production.setenv("PORTAL_URL", "https://gkb.example.gov.cn")
    for app in app_on_empty_database(database_url, tmp_path, PORTAL_URL="https://gkb.example.gov.cn",
                                     RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ALLOW_MEMORY=True):
        client = app.test_client()
        for url in ("/", "/sitemap.xml", "/api/documents", "/static/css/portal.css", "/no-such-page"):
            response = client.get(url, headers=EVIL)
            assert response.status_code == 400, url
            assert "不是本站的地址" in response.get_data(as_text=True)
            assert response.headers["X-Frame-Options"] == "DENY"  # the refusal too carries the headers
        ok = client.get("/sitemap.xml", base_url="https://gkb.example.gov.cn")
        assert ok.status_code == 200 and b"https://gkb.example.gov.cn/catalog" in ok.data
        assert client.get("/", base_url="https://gkb.example.gov.cn:443").status_code == 200
