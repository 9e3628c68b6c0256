"""Every /admin URL refuses anyone without the right role: walks the app's URL map, so routes added
later are covered without touching this file. Roles come from each view's `required_roles`
(set by portal.accounts.auth.require_roles), the one place they are declared.
"""
import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from portal.accounts.services import set_active
from portal.extensions import db
from portal.models.staff import ADMIN, DISTRICT_ROLES, ROLE_LABELS, ROLES, User
from tests.factories.staff import login

SKIP_METHODS = {"HEAD", "OPTIONS"}


def admin_rules(app):
    """Every rule under /admin with its view function."""
    return [(rule, app.view_functions[rule.endpoint]) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/admin")]


def sample_url(app, rule, ids: dict) -> str:
    """A URL for the rule, its parameters filled with an existing object's id (or 1, or the year)."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            value = ids.get(name, 1)
            if converter.min is not None:
                value = max(value, converter.min)
            if converter.max is not None:
                value = min(value, converter.max)
            values[name] = value
        else:
            values[name] = str(ids.get(name, "x"))
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def guarded(app):
    """(method, url, required roles) for every guarded admin route."""
    return [(method, rule, view) for rule, view in admin_rules(app)
            for method in sorted(rule.methods - SKIP_METHODS) if not getattr(view, "allow_anonymous", False)]


def request(client, method, url):
    """Send one request with an empty body (CSRF is off in tests)."""
    return client.open(url, method=method, data={})


@pytest.fixture
def ids(app, staff):
    """Objects the URL parameters can point at."""
    admin = staff("walker-admin", *ROLES)
    return {"user_id": admin.id, "year": 2026, "id": 1}


def test_every_admin_route_declares_its_roles(app):
    missing = [rule.rule for rule, view in admin_rules(app) if getattr(view, "required_roles", None) is None]
    assert not missing, f"these /admin routes need @require_roles(...): {missing}"
    known = set(ROLES) | set(DISTRICT_ROLES)
    unknown = {r for _, view in admin_rules(app) for r in getattr(view, "required_roles", ())} - known
    assert not unknown


def test_anonymous_visitors_are_sent_to_sign_in_from_every_admin_route(app, client, ids):
    routes = guarded(app)
    assert len(routes) >= 10
    for method, rule, _ in routes:
        url = sample_url(app, rule, ids)
        response = request(client, method, url)
        assert response.status_code == 302, f"{method} {url} gave {response.status_code} to an anonymous visitor"
        assert "/admin/login" in response.headers["Location"], f"{method} {url}"


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "no-role"])
def test_each_wrong_role_is_refused_on_every_admin_route(app, staff, ids, role):
    account = staff(f"only-{role or 'none'}", *([role] if role else []))
    client = app.test_client()
    assert login(client, account.username).status_code == 302
    checked = 0
    for method, rule, view in guarded(app):
        if role in view.required_roles:
            continue
        url = sample_url(app, rule, ids)
        response = request(client, method, url)
        label = ROLE_LABELS.get(role, "无角色")
        assert response.status_code == 403, f"{method} {url} gave {response.status_code} to a {label}"
        checked += 1
    assert checked or role is not None


@pytest.mark.parametrize("role", ROLES)
def test_the_right_role_is_let_in_to_every_admin_page(app, staff, ids, role):
    account = staff(f"right-{role}", role)
    client = app.test_client()
    login(client, account.username)
    for method, rule, view in guarded(app):
        if method != "GET" or role not in view.required_roles:
            continue
        url = sample_url(app, rule, ids)
        response = request(client, method, url)
        assert response.status_code not in (302, 403, 500), f"GET {url} gave {response.status_code} to {role}"


def test_a_deactivated_account_is_refused_everywhere(app, staff, ids):
    account = staff("gone", *ROLES)
    boss = staff("boss", ADMIN)
    client = app.test_client()
    login(client, account.username)
    with app.app_context():
        set_active(db.session.get(User, account.id), False, by=db.session.get(User, boss.id))
    for method, rule, _ in guarded(app):
        response = request(client, method, sample_url(app, rule, ids))
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_a_route_without_declared_roles_is_closed_to_everybody(app, staff):
    def forgotten_roles_probe():
        return "open"

    # An endpoint in the admin blueprint's namespace gets the blueprint's guard, as a real route would.
    app.add_url_rule("/admin/forgotten-roles-probe", "admin.forgotten_roles_probe", forgotten_roles_probe)
    account = staff("everything", *ROLES)
    client = app.test_client()
    login(client, account.username)
    assert client.get("/admin/forgotten-roles-probe").status_code == 403
