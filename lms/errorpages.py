"""Error pages in the service's own shell, each with a next step."""
from flask import make_response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lms.errors import NotAllowed, NotFound
from lms.extensions import db

PAGES = {400, 403, 404, 405, 413, 429, 500}


def register_error_pages(app):
    def render(status: int, **context):
        return make_response(render_template(f"errors/{status}.html", **context), status)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render(400, reason="csrf")

    @app.errorhandler(HTTPException)
    def http_error(error):
        status = error.code if error.code in PAGES else None
        if status is None:
            return error
        response = render(status)
        if status == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(NotAllowed)
    def not_allowed(error):
        return render(403)

    @app.errorhandler(NotFound)
    def not_found(error):
        return render(404)

    @app.errorhandler(Exception)
    def server_error(error):
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render(500)
