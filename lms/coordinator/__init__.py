from flask import Blueprint

bp = Blueprint("coordinator", __name__)

from lms.coordinator import interest_routes  # noqa: E402,F401
