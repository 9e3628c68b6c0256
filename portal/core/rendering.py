"""Rendering pages and their htmx fragments from one template (the "template fragments" pattern)."""
from flask import render_template
from htmx_flask import request
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    """An htmx swap wants only a block; boosted navigation and history restores need the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def render(template: str, block: str | None = None, **context) -> str:
    """Render the whole page, or only `block` of it when htmx asked for a fragment."""
    if block and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)
