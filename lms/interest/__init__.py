from flask import Blueprint

bp = Blueprint("interest", __name__)

from lms.interest import cli, routes  # noqa: E402,F401
