"""HLM facilitator and Train-the-Trainer learning management module."""
import logging
import os
import secrets

from flask import Flask, g, request
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.config import PROJECT_ROOT, ProductionConfig, config_from_environment
from lms.database import configure_sqlite, read_only_transactions, sqlite_uri
from lms.extensions import csrf, db, limiter, login_manager, migrate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_app(config=None, **overrides) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    config = config or config_from_environment()
    if config is ProductionConfig:
        ProductionConfig.validate()
    app.config.from_object(config)
    # Read at start-up, not at import: the environment is the source of secrets and addresses.
    if os.environ.get("SECRET_KEY") and not config.TESTING:
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_uri(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = _psycopg3(app.config["SQLALCHEMY_DATABASE_URI"])
    if int(os.environ.get("LMS_TRUSTED_PROXIES", "0")):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(os.environ["LMS_TRUSTED_PROXIES"]), x_proto=1)

    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [FileSystemLoader(str(PROJECT_ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "autoescape": True,
    }
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    _init_extensions(app)
    from lms.content import init_content

    init_content(app)
    _register_blueprints(app)
    _register_request_hooks(app)

    from lms.errorpages import register_error_pages
    from lms.templating import register_template_helpers

    register_error_pages(app)
    register_template_helpers(app)

    from lms.cli import register_cli

    register_cli(app)
    return app


def _psycopg3(uri: str) -> str:
    """Accept the postgres:// and postgresql:// forms that hosting platforms hand out."""
    for prefix in ("postgres://", "postgresql://"):
        if uri.startswith(prefix):
            return "postgresql+psycopg://" + uri[len(prefix):]
    return uri


def _init_extensions(app: Flask) -> None:
    import lms.models  # noqa: F401  registers every table

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite(engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "lms" / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = None  # sessions are bound by our own per-user token
    login_manager.login_view = None
    app.config["RATELIMIT_ENABLED"] = app.config.get("RATELIMIT_ENABLED", True)
    limiter.init_app(app)

    import lms.auth.sessions  # noqa: F401  registers the user loader


def _register_blueprints(app: Flask) -> None:
    from lms.admin import bp as admin_bp
    from lms.auth import bp as auth_bp
    from lms.coordinator import bp as coordinator_bp
    from lms.interest import bp as interest_bp
    from lms.learn import bp as learn_bp
    from lms.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(learn_bp)
    app.register_blueprint(interest_bp)
    app.register_blueprint(coordinator_bp, url_prefix="/coordinator")


def _register_request_hooks(app: Flask) -> None:
    from lms.auth.sessions import enforce_session_lifetime
    from lms.security import apply_security_headers

    @app.before_request
    def choose_transaction_mode():
        g.csp_nonce = secrets.token_urlsafe(16)
        g.read_only_token = read_only_transactions.set(request.method in SAFE_METHODS)

    app.before_request(enforce_session_lifetime)
    app.after_request(apply_security_headers)

    @app.teardown_request
    def reset_transaction_mode(_exc):
        token = g.pop("read_only_token", None)
        if token is not None:
            read_only_transactions.reset(token)
