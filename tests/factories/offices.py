"""Helpers for tests of a district's portal: a second office, made through the offices service.

    from tests.factories.offices import make_office, in_office

    def test_something(app):
        with app.app_context():
            wanzhen = make_office("wanzhen", "万镇街道办事处")
            with in_office(wanzhen):
                ...   # services act for 万镇 (Office.current())
"""
from portal.models import Office
from portal.offices.services import create_office

TEST_ACTOR = "测试"

_ORG_CODES = iter(f"1{n:08d}" for n in range(1, 10**6))


def make_office(code: str, name: str, *, prefix: str | None = None, **fields) -> Office:
    """A new office (inside an app context) with distinct codes and prefixes derived from `code`."""
    values = {"code": code, "name": name, "short_name": fields.pop("short_name", name[:8]),
              "number_prefix": prefix or code[:3].upper(), "org_code": fields.pop("org_code", next(_ORG_CODES)),
              "letter_prefix": fields.pop("letter_prefix", f"{name[:2]}信公")} | fields
    return create_office(values, actor=TEST_ACTOR)


def in_office(office: Office):
    """Act for this office inside the block, as a request under /o/<code>/ does (Office.acting)."""
    return office.acting()
