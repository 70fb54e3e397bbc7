"""Course content: loaded once at start-up, rendered once per content version."""
import logging

from flask import current_app

from lms.content.loader import Catalogue, Competency, Module, Programme, load_catalogue
from lms.content.render import render_user_markdown

__all__ = ["Catalogue", "Competency", "Module", "Programme", "catalogue", "init_content", "render_user_markdown"]

log = logging.getLogger(__name__)


def init_content(app) -> None:
    loaded = load_catalogue(app.config["CONTENT_DIR"])
    for problem in loaded.problems:
        log.warning("content problem: %s", problem)
    app.extensions["lms_catalogue"] = loaded


def catalogue() -> Catalogue:
    return current_app.extensions["lms_catalogue"]
