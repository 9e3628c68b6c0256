"""Raw input every area shares: one parser for whole numbers in the query string (ASCII digits, bounded),
and no control character in a URL part reaching the database."""
import pytest

from portal.core.inputs import DB_INT_MAX, has_unprintable, parse_int
from portal.core.paging import MAX_PAGE, page_number
from portal.models.staff import ADMIN, EDITOR, HANDLER, HEAD
from tests.factories.catalog import publish
from tests.factories.staff import login

# "²" "①" pass str.isdigit() and crash int(); "٣" (Arabic-Indic) and full-width "１２" are taken by int().
NOT_ASCII_DIGITS = ["²", "①", "٣", "１２", "2⁰"]
HUGE = ["9223372036854775808", "1" + "0" * 26, "9" * 5000]  # past bigint; 10²⁶; past int()'s 4300 digits


@pytest.mark.parametrize("raw", [*NOT_ASCII_DIGITS, *HUGE, "-1", "+3", "1e3", "3.0", "0x10", "", "  ", None, "1 2"])
def test_only_plain_ascii_digits_within_bounds_are_a_number(raw):
    assert parse_int(raw) is None


def test_a_number_in_ascii_digits_is_read_with_spaces_around_and_its_bounds():
    assert parse_int(" 42 ") == 42 and parse_int("0") == 0 and parse_int(str(DB_INT_MAX)) == DB_INT_MAX
    assert parse_int(str(DB_INT_MAX + 1)) is None
    assert parse_int("1949", 1949, 2100) == 1949 and parse_int("1948", 1949, 2100) is None


@pytest.mark.parametrize("raw", [*NOT_ASCII_DIGITS, *HUGE, "0", "-1", str(MAX_PAGE + 1), None])
def test_a_page_number_that_is_not_one_falls_back_to_the_first_page(raw):
    assert page_number(raw) == 1


def test_a_page_number_within_bounds_is_kept():
    assert page_number("3") == 3 and page_number(str(MAX_PAGE)) == MAX_PAGE


@pytest.mark.parametrize("text, bad", [("2026-0001", False), ("石办〔2026〕3号", False), ("a\x00b", True),
                                       ("a\x1bb", True), ("a\nb", True), ("\ud800", True), ("\x7f", True)])
def test_control_characters_and_lone_surrogates_are_unprintable(text, bad):
    assert has_unprintable(text) is bad


@pytest.mark.parametrize("url", [
    "/catalog?page={v}", "/catalog?year={v}", "/catalog.csv?year={v}", "/search?q=通知&page={v}",
    "/search?q=通知&year={v}", "/api/documents?page={v}", "/api/documents?per_page={v}", "/api/documents?year={v}",
])
def test_public_lists_answer_a_number_that_is_not_one_with_a_notice(client, ctx, url):
    publish(title="数字测试通知")
    for value in [*NOT_ASCII_DIGITS, *HUGE]:
        for headers in ({}, {"HX-Request": "true"}):  # the whole page and the htmx fragment
            response = client.get(url.format(v=value), headers=headers)
            assert response.status_code == 200, (value, headers)
            if url.startswith("/api/"):
                assert any("半角数字" in n for n in response.json["notices"])
            elif not url.startswith("/catalog.csv"):
                assert "半角数字" in response.get_data(as_text=True)


@pytest.fixture
def all_staff(staff):
    """A client signed in as staff who may open every list."""
    staff("lists", ADMIN, EDITOR, HANDLER, HEAD)

    def client_for(app):
        client = app.test_client()
        login(client, "lists")
        return client

    return client_for


@pytest.mark.parametrize("url", ["/admin/entries?page={v}", "/admin/audit?page={v}", "/admin/requests/?page={v}"])
def test_staff_lists_show_the_first_page_for_a_page_number_that_is_not_one(app, all_staff, url):
    # 9223372036854775808 and 10²⁶ overflowed bigint in OFFSET on PostgreSQL (500).
    client = all_staff(app)
    for value in [*NOT_ASCII_DIGITS, *HUGE]:
        assert client.get(url.format(v=value)).status_code == 200, value


def test_an_audit_date_outside_the_log_is_ignored_with_a_notice(app, all_staff):
    # 9999-12-31 overflowed when the day after it was computed; 0001-01-01 when shifted to UTC.
    client = all_staff(app)
    for field in ("from", "to"):
        for value in ("0001-01-01", "9999-12-31", "2026-W10-1", "２０２６-０３-０１", "2026-02-30"):
            response = client.get("/admin/audit", query_string={field: value})
            html = response.get_data(as_text=True)
            assert response.status_code == 200, (field, value)
            assert f"日期“{value}”无效（应为 2000-01-01 至 2099-12-31 之间的日期" in html, (field, value)


def test_an_audit_date_within_the_log_filters_without_a_notice(app, all_staff):
    html = all_staff(app).get("/admin/audit?from=2026-01-01&to=2099-12-31").get_data(as_text=True)
    assert "无效" not in html and 'value="2099-12-31"' in html


@pytest.mark.parametrize("path", ["/apply/receipt/{s}", "/apply/track/{s}", "/apply/track/{s}/letters/1",
                                  "/admin/requests/{s}", "/admin/requests/{s}/letters/1"])
def test_a_control_character_in_a_url_part_is_a_chinese_404_before_the_database(app, all_staff, path):
    # PostgreSQL refuses NUL in text (DataError, 500) — the same refusal queries and forms already get.
    for client in (app.test_client(), all_staff(app)):
        for segment in ("2026-%000001", "2026%01", "%0A2026", "%1B%5B31m"):
            response = client.get(path.format(s=segment))
            assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True), segment


def test_a_nul_in_the_second_value_of_a_repeated_field_is_refused_like_the_first(app, all_staff):
    # MultiDict.values() yields only each key's first value: ?q=ok&q=<NUL> slipped past the guard.
    client = all_staff(app)
    for query in ("q=ok&q=%00x", "q=%00x"):
        response = client.get(f"/admin/requests/?{query}")
        assert response.status_code == 400 and "控制字符" in response.get_data(as_text=True), query
    response = app.test_client().post("/apply/track", data={"number": ["2026-0001", "x\x00"], "code": "A"})
    assert response.status_code == 400
