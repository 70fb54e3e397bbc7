"""What every template can use: the service name, the CSP nonce, navigation for the person."""
from flask import current_app, g, request, url_for
from flask_login import current_user

from lms.pagination import pagination_params


def _endpoint_exists(endpoint: str) -> bool:
    return endpoint in current_app.view_functions


def navigation_items() -> list[dict]:
    """Links for the header, by role. Features add theirs by defining the endpoint."""
    candidates = [("main.home", "Home", None)]
    if current_user.is_authenticated:
        candidates += [
            ("learn.my_learning", "My learning", None),
            ("coordinator.interest_list", "Interest list", "coordinator"),
            ("coordinator.cohorts", "Cohorts", "coordinator"),
            ("admin.users", "Users", "admin"),
            ("admin.audit_log", "Audit log", "admin"),
        ]
    items = []
    for endpoint, text, role in candidates:
        if not _endpoint_exists(endpoint):
            continue
        if role and not current_user.has_role(role):
            continue
        href = url_for(endpoint)
        items.append({"href": href, "text": text, "current": request.path == href})
    return items


def register_template_helpers(app):
    from lms.content.render import render_plain_text, render_user_markdown

    from lms.components import CSRF_PLACEHOLDER, render_component

    app.jinja_env.globals["pagination_params"] = pagination_params
    app.jinja_env.globals["nhsuk"] = render_component
    app.jinja_env.globals["CSRF_PLACEHOLDER"] = CSRF_PLACEHOLDER
    app.add_template_filter(render_user_markdown, "user_markdown")
    app.add_template_filter(render_plain_text, "plain_text")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")

    @app.context_processor
    def shell_context():
        return {
            "service_name": app.config["SERVICE_NAME"],
            "csp_nonce": g.get("csp_nonce", ""),
            "navigation_items": navigation_items,
            "endpoint_exists": _endpoint_exists,
        }


def format_datetime(value) -> str:
    """UK style, in UK time: 26 November 2026, 2:05pm."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo("Europe/London"))
    return local.strftime("%-d %B %Y, %-I:%M") + local.strftime("%p").lower()


def format_date(value) -> str:
    return "" if value is None else value.strftime("%-d %B %Y")
