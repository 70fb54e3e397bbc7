from flask import current_app, jsonify, render_template, send_from_directory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lms.access import public
from lms.content import catalogue
from lms.extensions import db
from lms.main import bp

ASSET_MAX_AGE = 7 * 24 * 3600


@bp.route("/")
@public
def home():
    return render_template("main/home.html", programmes=catalogue().ordered())


@bp.route("/accessibility")
@public
def accessibility_statement():
    return render_template("main/accessibility.html")


@bp.route("/privacy")
@public
def privacy_notice():
    return render_template("main/privacy.html")


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("health check: database did not answer")
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


@bp.route("/assets/<path:filename>")
@public
def nhsuk_asset(filename):
    """The compiled NHS.UK CSS refers to its images under /assets/."""
    return send_from_directory(_frontend_dir() + "/assets", filename, max_age=ASSET_MAX_AGE)


@bp.route("/nhsuk-frontend/<path:filename>")
@public
def nhsuk_frontend(filename):
    if not filename.endswith((".css", ".js", ".map")):
        return render_template("errors/404.html"), 404
    return send_from_directory(_frontend_dir(), filename, max_age=ASSET_MAX_AGE)


def _frontend_dir() -> str:
    return current_app.config["NHSUK_FRONTEND_DIR"]
