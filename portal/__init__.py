"""政府信息公开门户: the application factory."""
import logging
from http import HTTPStatus
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import offices, search
from .accounts import auth
from .accounts.cli import USER_COMMANDS
from .admin import bp as admin_bp
from .admin.demo import load_demo_command
from .calendar.cli import CALENDAR_COMMANDS
from .catalog.cli import CATALOG_COMMANDS
from .catalog.public import bp as catalog_bp
from .config import load_config
from .core import headers, inputs, mail, privacy, templating, uploads, urls
from .core.mail import MAIL_COMMANDS
from .extensions import csrf, db, htmx, limiter, migrate
from .info_requests import redating
from .info_requests.cli import INFO_REQUEST_COMMANDS
from .info_requests.applicant import bp as apply_bp
from .public import bp as public_bp
from .reports.public import bp as reports_bp

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config → middleware → extensions → blueprints → error pages → CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(load_config(app.instance_path, test_config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    register_middleware(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_middleware(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the visitor's address and scheme from their headers."""
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    inputs.init_app(app)
    db.init_app(app)
    offices.init_app(app)  # first: the hooks below read the request's office
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    auth.init_app(app)
    search.init_app(app)
    templating.init_app(app)
    privacy.init_app(app)
    headers.init_app(app)
    urls.init_app(app)
    redating.init_app(app)
    uploads.init_app(app)
    mail.init_app(app)


def register_blueprints(app: Flask) -> None:
    """The residents' shell, the domains' public blueprints, the applicants' pages, the staff shell."""
    for bp in (public_bp, catalog_bp, reports_bp, apply_bp, admin_bp):
        app.register_blueprint(bp)

    @app.after_request
    def vary_on_htmx(response):
        """Pages answer htmx requests with a fragment: caches must key on the header."""
        response.vary.add("HX-Request")
        return response


def register_errorhandlers(app: Flask) -> None:
    """Chinese error pages for residents (JSON under /api/), rendered even when the database failed."""

    def render_error(error):
        """Roll back what the failed request left (PostgreSQL refuses every query in an aborted transaction),
        then the page; if the page itself cannot reach the database, a plain page that needs nothing."""
        code = getattr(error, "code", 500)
        try:
            db.session.rollback()
        except Exception:  # the database is gone: the pages below do without it
            app.logger.exception("rolling back before the error page failed")
        if getattr(error, "response", None) is not None:
            return error.response  # a page the raiser made itself (the application form's rate limit)
        if request.path.startswith("/api/"):
            described = getattr(error, "description", "") or ""
            message = ("该信息不存在或未公开" if code == 404 else described if "请" in described else "请求无法处理")
            return jsonify({"error": HTTPStatus(code).phrase.lower().replace(" ", "_"), "status": code,
                            "message": message}), code
        try:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            return render_template("error.html", code=code, error=error,
                                   upload_limit_mb=limit // (1024 * 1024)), code
        except Exception:  # the page's frame reads the office and the signed-in user from the database
            app.logger.exception("the error page for %s could not be rendered", code)
            return app.jinja_env.get_template("error_plain.html").render(code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)


def register_commands(app: Flask) -> None:
    """Operator commands: flask --app wsgi <command>."""
    for command in (*CATALOG_COMMANDS, load_demo_command, search.reindex_command, *CALENDAR_COMMANDS,
                    *USER_COMMANDS, *MAIL_COMMANDS, *INFO_REQUEST_COMMANDS):
        app.cli.add_command(command)
