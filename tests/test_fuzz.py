"""Hostile input never gets a server error (5xx): an anonymous visitor and a staff member holding every role
send hostile values in every path parameter, query parameter and form field, on the test database (SQLite,
or PostgreSQL with TEST_DATABASE_URL).

Nothing here names a route or a field. Routes come from app.url_map; parameters and forms from the pages
the app renders (forms, htmx attributes, links, redirects) and from the query names the views read; a POST
route no page shows a form for gets the fields of every WTForms class. A new route or field is fuzzed
without editing this file.
"""
import io
import re
import time
from datetime import date
from html.parser import HTMLParser
from itertools import product
from pathlib import Path
from urllib.parse import parse_qsl, quote_from_bytes, urlencode, urlsplit

import pytest
from flask import has_request_context, request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, Headers, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from portal.calendar.store import ensure_seeded
from portal.catalog import workflow
from portal.catalog.attachments import check_file
from portal.info_requests import services
from portal.models.staff import EDITOR, HANDLER, REVIEWER, ROLES
from portal.reports.services import create_draft
from tests.factories.catalog import draft, publish
from tests.factories.requests import APPLICANT, FIELDS, clerk, posted, user
from tests.factories.staff import login, make_user

# Each value alone, so a parser meets it whole; the printable attacks share one string (none of them
# makes a view refuse the rest, as a control character may).
ATTACKS = ("<script>alert(1)</script>\"'><img src=x> ' OR 1=1 -- %_\\ title:(a OR b) AND NOT c* [a TO \"x "
           "../../etc/passwd ＡＢＣ　〔２０２６〕３号 a~2^3")
TEXT = [
    "a" * 5000, "a\x00b", "\ud800x\udfff", "\x01\x1b[31m\r\n\x7f", "²", "１２３", "9223372036854775808", "9" * 5000,
    "0001-01-01", "9999-12-31", "石办〔2020〕" + "1" * 5000 + "号", ATTACKS, "", "١٢", "-1", "1" + "0" * 26,
]
HOSTILE = [t.encode("utf-8", "surrogatepass") for t in TEXT] + [b"\xff\xfe"]  # the last: not UTF-8
IN_FORMS = HOSTILE[:12] + [("中" * 20_000).encode()]  # the last: four times the longest field allowed
SHARP = [v.encode("utf-8", "surrogatepass") for v in ("a\x00b", "\x01", "²", "9223372036854775808", ATTACKS)]
IMPORT_ROWS = "\n9999-12-31,休,班\n0001-01-01~9999-12-31,休,班\n".encode()  # after the value, in every file sent
# One field hostile, the rest as shown, so the value reaches the service: one each, in turn, by kind of field.
ALONE = {"date": ["9999-12-31", "0001-01-01"], "text": [ATTACKS, "a" * 5000]}
ALONE_OTHERWISE = ["²", "9223372036854775808"]  # hidden, number and choice fields
TEXT_KINDS = {"text", "textarea", "search", "password", "email", "tel", "url"}
FILENAMES = ["a\x00b.txt", "a\x01b.txt", "../../etc/passwd.txt", "x" * 300 + ".txt", "<b>名</b>.txt", ".txt", "无扩展名"]
NUMBERS = ["0", "2147483647", "2147483648", "9223372036854775808", "1" + "0" * 26]  # an <int:…> URL part
SIGNS_OUT = {"admin.accounts.logout"}  # for the signed-in run; the anonymous one posts to it
PLACEHOLDER = "fuzzplaceholder"
HTMX = {"HX-Request": "true"}  # half the query values ask for the page's fragment


class ReadNames(ImmutableMultiDict):
    """Request arguments that note which names each view asks for (set as the request's storage class)."""

    read: dict[str, set[str]] = {}

    def _note(self, key) -> None:
        """Remember that the current view asked for `key`."""
        if has_request_context() and isinstance(key, str):
            ReadNames.read.setdefault(request.endpoint, set()).add(key)

    def get(self, key, default=None, type=None):
        """MultiDict.get, noted."""
        self._note(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        """args[key], noted."""
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        """key in args, noted."""
        self._note(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        """MultiDict.getlist, noted."""
        self._note(key)
        return super().getlist(key, type)


def view_query_names() -> set[str]:
    """Names in quotes on the lines of the views that read request arguments (more is harmless)."""
    names = set()
    for path in (Path(__file__).resolve().parent.parent / "portal").rglob("*.py"):
        for line in path.read_text("utf-8").splitlines():
            if "args" in line:
                names |= set(re.findall(r'"([a-z][a-z_]{0,19})"', line))
    return names


def wtforms_field_names() -> set[str]:
    """Every field name of every WTForms class of the app."""
    classes, todo = set(), [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            classes.add(sub)
            todo.append(sub)
    return {name for cls in classes for name in dir(cls)
            if getattr(getattr(cls, name, None), "field_class", None) is not None}


class Page(HTMLParser):
    """The forms (action, method, fields with their shown values), htmx senders and URLs of one page."""

    def __init__(self, url: str):
        """A parser for the page at `url` (a form without an action posts there)."""
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.urls, self._form, self._text, self._select = url, [], [], None, None, None
        self._chosen = False  # whether the open select has an option marked selected

    def handle_starttag(self, tag, attrs):
        """Note URLs; open a form; add a field (its shown value) to the open form."""
        a = {k: v or "" for k, v in attrs}
        self.urls += [a[k] for k in ("href", "action", "hx-get", "hx-post") if a.get(k)]
        sender = next(((m, a[k]) for m, k in (("GET", "hx-get"), ("POST", "hx-post")) if a.get(k)), None)
        if tag == "form":
            method = sender[0] if sender and not a.get("method") else (a.get("method") or "get").upper()
            self._form = {"action": a.get("action") or (sender[1] if sender else self.url), "method": method,
                          "multipart": "multipart" in a.get("enctype", ""), "fields": []}
            self.forms.append(self._form)
        elif sender and a.get("name"):  # an element that sends itself (active search, suggestions)
            self.forms.append({"action": sender[1], "method": sender[0], "multipart": False,
                               "fields": [[a["name"], a.get("value", ""), tag, True]]})
        if tag == "option" and self._select is not None and ("selected" in a or not self._chosen):
            self._select[1], self._chosen = a.get("value", ""), "selected" in a  # else the first, as browsers do
        if self._form is None or not a.get("name"):
            return
        kind = a.get("type", "text") if tag == "input" else tag
        shown = kind not in ("checkbox", "radio", "submit", "button", "file") or "checked" in a
        field = [a["name"], a.get("value", ""), kind, shown]
        if tag == "select":
            field[3], self._select, self._chosen = True, field, False
        elif tag == "textarea":
            self._text = field
        self._form["fields"].append(field)

    def handle_data(self, data):
        """A textarea's text is its value."""
        if self._text is not None:
            self._text[1] += data

    def handle_endtag(self, tag):
        """Close the open form, textarea or select."""
        if tag == "form":
            self._form = None
        elif tag in ("textarea", "select"):
            self._text = self._select = None


class Fuzzer:
    """Sends the requests for one client and collects every 5xx (or exception) instead of stopping at the first."""

    def __init__(self, app, client, signed_in: str | None):
        """A fuzzer for `client`, signed in as `signed_in` (signed in again whenever a step signs it out)."""
        self.app, self.client, self.signed_in, self.failures, self.sent = app, client, signed_in, [], 0
        self.adapter = app.url_map.bind("localhost")
        self.names: dict[str, set[str]] = {}  # query names seen per endpoint
        self.forms: dict[tuple, dict] = {}

    def send(self, method: str, url: str, note: str = "", **kwargs):
        """One request; a 5xx or an exception is recorded with what caused it (`note`: the form's values)."""
        self.sent += 1
        try:
            response = self.client.open(url, method=method, **kwargs)
        except Exception as exc:  # TESTING propagates the view's exception: that is a 500
            self.failures.append(f"{method} {url[:150]} {note}: {exc!r:.300}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {url[:150]} {note}: {response.status_code}")
        location = response.headers.get("Location", "")
        self.learn(location)
        if self.signed_in and "/admin/login" in location:
            login(self.client, self.signed_in)  # a step signed this account out (a role or password change)
        return response

    def endpoint(self, url: str, method: str = "GET") -> str | None:
        """The endpoint a URL of this app names, or None."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            return self.adapter.match(parts.path, method)[0]
        except HTTPException:
            return None

    def learn(self, url: str) -> None:
        """Remember the query names a URL passes to its endpoint."""
        endpoint = self.endpoint(url) if url else None
        if endpoint:
            self.names.setdefault(endpoint, set()).update(k for k, _ in parse_qsl(urlsplit(url).query))

    def crawl(self, url: str) -> bool:
        """Fetch a page; keep its forms and the query names of its links. False when sent to sign in."""
        response = self.send("GET", url)
        if response is None or guarded(response):
            return response is None
        if "html" not in response.mimetype:
            return True
        page = Page(url)
        page.feed(response.get_data(as_text=True))
        for link in page.urls:
            self.learn(link)
        for form in page.forms:  # the same form of another object (entry, application) is the same form
            endpoint = self.endpoint(form["action"], form["method"])
            self.forms.setdefault((form["method"], endpoint, tuple(f[0] for f in form["fields"])), form)
            if form["method"] == "GET":
                self.names.setdefault(endpoint or "", set()).update(f[0] for f in form["fields"])
        return True

    def fuzz_form(self, form: dict) -> None:
        """Every field at once gets each hostile value (WTForms checks every field, not only up to the first
        error); then each field alone, the rest as the page showed them, so the value reaches the service."""
        for i, value in enumerate(IN_FORMS):
            everything = {name: value for name, _, kind, _ in form["fields"] if kind != "file"}
            self.send_form(form, everything, filename=FILENAMES[i % len(FILENAMES)], content=value + IMPORT_ROWS)
        seen = set()
        for name, _, kind, _ in form["fields"]:
            pattern = (re.sub(r"\d+", "#", name), kind)
            if pattern in seen or kind == "file":  # fields differing only by a number (a table's rows) are one
                continue
            seen.add(pattern)
            value = ALONE.get("text" if kind in TEXT_KINDS else kind, ALONE_OTHERWISE)[len(seen) % 2 - 1]
            self.send_form(form, {name: value.encode()})

    def send_form(self, form: dict, values: dict, filename: str = "a.txt", content: bytes = "附件正文".encode()):
        """The form as the page showed it, with `values` put in; its file fields carry `content`."""
        pairs = [(n, values.get(n, v.encode())) for n, v, kind, shown in form["fields"]
                 if kind != "file" and (shown or n in values)]
        files = [(n, FileStorage(io.BytesIO(content), filename)) for n, _, kind, _ in form["fields"] if kind == "file"]
        value = next(iter(values.values()), b"")
        note = f"{sorted(values)[:6]}={value[:40]!r}" + (f", file {filename[:40]!r}" if files else "")
        if form["multipart"]:
            data = MultiDict([(n, RawField(v)) for n, v in pairs] + files)
            self.send(form["method"], form["action"], note, data=data, content_type="multipart/form-data")
        elif form["method"] == "GET":
            self.send("GET", f"{urlsplit(form['action']).path}?{urlencode(pairs)}", note)
        else:
            self.send(form["method"], form["action"], note, data=urlencode(pairs),
                      content_type="application/x-www-form-urlencoded")


class RawField:
    """A multipart field sent as these exact bytes (Werkzeug's test client would str() anything but a file)."""

    filename, content_type = None, "text/plain; charset=utf-8"

    def __init__(self, data: bytes):
        """The value's bytes, and no headers of its own."""
        self._stream, self.headers = io.BytesIO(data), Headers()

    def read(self, size: int = -1) -> bytes:
        """The next bytes of the value."""
        return self._stream.read(size)


def seed() -> tuple[dict, str]:
    """One of everything a URL can name, made through the production services: {URL parameter: values to
    try} and the query code of an application the anonymous visitor may track."""
    ensure_seeded()
    writer = user("fuzz-writer", EDITOR, REVIEWER)
    published = publish(files=[check_file("附件.txt", "附件正文".encode())], title="公开的通知")
    drafted = draft(writer, title="草稿")
    submitted = workflow.submit_for_review(draft(writer, title="待审"), writer)
    handled, code = services.register(FIELDS, APPLICANT, channel="当面", receipt_date=date(2026, 11, 2), user=clerk())
    waiting = posted(date(2026, 11, 2), clerk())
    create_draft(2025)
    other = make_user("fuzz-other", HANDLER)
    return {"doc_id": [published.id, drafted.id, submitted.id], "attachment_id": [published.attachments[0].id],
            "number": [handled.tracking_number, waiting.tracking_number],
            "letter_id": [letter.id for letter in handled.letters][:1], "user_id": [other.id],
            "year": [2025, 2026], "case_id": [1], "key": ["x"]}, code


def guarded(response) -> bool:
    """Whether the staff guard sent the request to sign in (the view never saw the input)."""
    return response.status_code == 302 and "/admin/login" in response.headers.get("Location", "")


def sample_urls(app, rule, samples: dict) -> list[str]:
    """URLs for the rule with its parameters set to the seeded objects (each combination)."""
    names = sorted(rule.arguments)
    choices = []
    for name in names:
        converter = rule._converters[name]
        values = samples.get(name, [1])
        if isinstance(converter, IntegerConverter):
            values = [v for v in values if (converter.min or 0) <= v <= (converter.max or v)] or [converter.min or 1]
        choices.append(values)
    with app.test_request_context():
        return [url_for(rule.endpoint, **dict(zip(names, combo))) for combo in product(*choices)]


def hostile_path_urls(app, rule, samples: dict, strings: list[bytes]) -> list[str]:
    """The rule's URL with one parameter at a time hostile (an <int:…> one gets numbers past the columns)."""
    urls = []
    for name in rule.arguments:
        base = dict((n, sample_value(rule, n, samples)) for n in rule.arguments) | {name: PLACEHOLDER}
        integer = isinstance(rule._converters[name], IntegerConverter)
        with app.test_request_context():
            template = url_for(rule.endpoint, **(base | ({name: 987654321} if integer else {})))
        marker = "987654321" if integer else PLACEHOLDER
        values = [v.encode() for v in NUMBERS] if integer else strings
        urls += [template.replace(marker, quote_from_bytes(v, safe="")) for v in values]
    return urls


def sample_value(rule, name: str, samples: dict):
    """The first seeded value a parameter accepts."""
    converter = rule._converters[name]
    values = samples.get(name, [1])
    if isinstance(converter, IntegerConverter):
        return next((v for v in values if (converter.min or 0) <= v <= (converter.max or v)), converter.min or 1)
    return values[0]


def fuzz(app, client, signed_in: str | None, samples: dict) -> Fuzzer:
    """Crawl every GET route, then send hostile path parameters, query parameters and form fields."""
    fuzzer = Fuzzer(app, client, signed_in)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"
             and not (signed_in and r.endpoint in SIGNS_OUT)]
    opened = set()  # the GET routes this client may open
    for rule in rules:
        if "GET" in rule.methods:
            if all([fuzzer.crawl(url) for url in sample_urls(app, rule, samples)]):
                opened.add(rule.endpoint)
    query_names = view_query_names()
    for rule in rules:
        method = "GET" if "GET" in rule.methods else "POST"
        strings = HOSTILE if rule.endpoint in opened else SHARP  # a POST route's part is read as its page's is
        for url in hostile_path_urls(app, rule, samples, strings):
            fuzzer.send(method, url)
        if rule.endpoint in opened:  # every name it may read at once; all values where it is known to read some
            url = sample_urls(app, rule, samples)[0]
            own = fuzzer.names.get(rule.endpoint, set()) | ReadNames.read.get(rule.endpoint, set())
            names = sorted(query_names | own)
            for i, value in enumerate(HOSTILE if own else SHARP):
                fuzzer.send("GET", f"{url}?{urlencode([(n, value) for n in names])}", headers=HTMX if i % 2 else {})
    posted_to = set()
    for form in fuzzer.forms.values():
        if fuzzer.endpoint(form["action"], form["method"]) in SIGNS_OUT and signed_in:
            continue
        posted_to.add(fuzzer.endpoint(form["action"], form["method"]))
        if form["method"] != "GET":
            fuzzer.fuzz_form(form)
    fields = sorted(wtforms_field_names())
    for rule in rules:
        if "POST" in rule.methods and rule.endpoint not in posted_to:
            url = sample_urls(app, rule, samples)[0]
            for value in HOSTILE:
                response = fuzzer.send("POST", url, f"every WTForms field={value[:40]!r}",
                                       data=urlencode([(n, value) for n in fields]),
                                       content_type="application/x-www-form-urlencoded")
                if response is not None and guarded(response):
                    break
    return fuzzer


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_no_hostile_input_gets_a_server_error(app, who, monkeypatch):
    # The views' reads of request arguments are noted, so a route that reads some gets every value.
    monkeypatch.setattr(app.request_class, "parameter_storage_class", ReadNames)
    monkeypatch.setattr(ReadNames, "read", {})
    with app.app_context():
        samples, code = seed()
        make_user("fuzz-staff", *ROLES)
    client = app.test_client()
    if who == "staff":
        assert login(client, "fuzz-staff").status_code == 302
    else:  # the visitor who applied may see the application's pages
        number = samples["number"][0]
        assert client.post("/apply/track", data={"number": number, "code": code}).status_code == 303
    started = time.monotonic()
    fuzzer = fuzz(app, client, "fuzz-staff" if who == "staff" else None, samples)
    print(f"{who}: {fuzzer.sent} requests, {len(fuzzer.forms)} forms, {time.monotonic() - started:.1f} s")
    assert fuzzer.sent > (1200 if who == "staff" else 500) and len(fuzzer.forms) > (30 if who == "staff" else 5)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.sent} requests failed:\n" + "\n".join(
        fuzzer.failures[:40])
