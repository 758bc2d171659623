"""The application factory."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, session
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from workshop import db, input_guard
from workshop.errorhandlers import register_error_handlers
from workshop.models import User
from workshop.services import accounts, sealing
from workshop.services.checkpoints import checkpoint_file
from workshop.settings import WorkshopSettings
from workshop.web import security

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
LOCALES = ("fr", "en")


def create_app(settings: WorkshopSettings | None = None, **engine_kwargs: Any) -> Flask:
    """Build the app from validated settings (read from the environment when not given)."""
    settings = settings or WorkshopSettings()
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        WORKSHOP=settings,
        TESTING=settings.env == "testing",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.timezone,
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
    )
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.resolved_database_url(), **engine_kwargs)
    db.init_app(app, engine)
    # Events written by requests and jobs are sealed after each commit (services/sealing.py).
    sealing.install(engine, checkpoint_file(settings.instance_path))
    csrf.init_app(app)
    input_guard.install(app)
    _init_login(app)
    babel.init_app(app, locale_selector=_select_locale)
    # Ids are 32-bit columns: a larger number in a URL is "not found", never a database error.
    app.url_map.converters["int"] = Int32Converter
    _register_blueprints(app)
    register_error_handlers(app)
    security.init_app(app)
    _trust_proxies(app, settings.trusted_proxies)
    return app


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` reverse proxies, take the client address and scheme from their headers.

    Without it X-Forwarded-For is ignored: anyone could send one and pick their address.
    """
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


class Int32Converter(IntegerConverter):
    """`<int:...>` limited to what an INTEGER column holds (PostgreSQL refuses more)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _select_locale() -> str:
    if request.path.startswith("/api/"):
        # API clients get English unless they ask for French.
        return request.accept_languages.best_match(LOCALES) or "en"
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LOCALES:
        return str(session["lang"])
    from flask import current_app

    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flashed in the page's language (Flask-Login's own text is English).
    login_manager.login_message = _l("Please log in to access this page.")
    login_manager.localize_callback = str  # the lazy text, in the language of the request
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(session_id: str) -> User | None:
        return accounts.user_for_session(db.request_session(), session_id)


def _register_blueprints(app: Flask) -> None:
    from workshop.api import bp as api_bp
    from workshop.web import register_web

    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    register_web(app)
