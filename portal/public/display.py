"""长者模式 (适老化): the text size and high contrast a visitor chose, kept in cookies and applied on <html>.

无障碍环境建设法 Art. 32 and GB/T 37668 ask that residents can enlarge the text and raise the contrast.
The switch in the header is two groups of plain links to /display, which sets a cookie and sends the
visitor back to the page they were on, so it works without JavaScript. Every page reads the cookies in
the context processor below; a value outside the fixed choices is ignored, so a cookie can only ever
name one of the classes portal.css knows. 大 and 特大 are the 长者模式: besides the larger root font size
they add the class `elder` (roomier lines and targets, underlined links).
"""
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, redirect, request, url_for

from ..core.urls import safe_next
from . import bp

TEXT_SIZES = (("standard", "标准"), ("large", "大"), ("xlarge", "特大"))
CONTRASTS = (("standard", "常规"), ("high", "高对比度"))
COOKIES = {"text": ("text_size", dict(TEXT_SIZES)), "contrast": ("contrast", dict(CONTRASTS))}
KEEP_FOR = 365 * 24 * 3600  # a year: a resident who needs large text should not choose it again each visit


def chosen(kind: str) -> str:
    """The visitor's choice of `kind` ("text" or "contrast"); "standard" for no cookie or one not offered."""
    name, choices = COOKIES[kind]
    value = request.cookies.get(name, "standard")
    return value if value in choices else "standard"


def html_class(text: str, contrast: str) -> str:
    """The classes on <html> for a text size and a contrast (both already validated)."""
    classes = [f"text-{text}"] + (["elder"] if text != "standard" else [])
    return " ".join(classes + (["contrast-high"] if contrast == "high" else []))


@bp.app_context_processor
def inject_display():
    """The chosen text size and contrast, the class for <html>, and the switch's links back to this page."""
    if not has_request_context():  # a template rendered by a command or a worker has no visitor
        return {}
    g.display_read = True  # the page depends on the cookies: after_request adds Vary: Cookie
    text, contrast = chosen("text"), chosen("contrast")
    here = request.script_root + request.full_path.rstrip("?")  # an office's page keeps its /o/<code>

    def switch_url(**choice) -> str:
        """The link that makes one choice and comes back to this page."""
        return url_for("public.display", next=here, **choice)

    return {"display": {"text": text, "contrast": contrast, "html_class": html_class(text, contrast),
                        "sizes": TEXT_SIZES, "contrasts": CONTRASTS, "url": switch_url}}


@bp.after_app_request
def vary_on_display_cookies(response):
    """A page rendered with the visitor's text size must not be served from a cache to someone else."""
    if g.get("display_read"):
        response.vary.add("Cookie")
    return response


def back_to(target: str | None) -> str:
    """Where the switch returns: `next` when it is a path on this site, else the home page.

    htmx may have moved the address bar on since the page was drawn (live search pushes ?q=…): when the
    browser's Referer is this site and the same path, it is the page as the visitor sees it now.
    """
    path = safe_next(target) or url_for("public.index")
    seen = urlsplit(request.referrer or "")
    if (seen.scheme, seen.netloc) == (request.scheme, request.host) and seen.path == urlsplit(path).path:
        path = safe_next(seen.path + (f"?{seen.query}" if seen.query else "")) or path
    return path


@bp.get("/display")
def display():
    """Remember a text size and/or a contrast (values not offered are ignored), then go back to the page."""
    response = redirect(back_to(request.args.get("next")), 303)
    response.headers["Cache-Control"] = "no-store"  # a cached redirect would skip the cookie
    secure = current_app.config["SESSION_COOKIE_SECURE"]  # HTTPS only in production, like the session
    for kind, (name, choices) in COOKIES.items():
        value = request.args.get(kind)
        if value == "standard":
            response.delete_cookie(name, samesite="Lax", httponly=True, secure=secure)
        elif value in choices:
            response.set_cookie(name, value, max_age=KEEP_FOR, samesite="Lax", httponly=True, secure=secure)
    return response
