"""Absolute links for emails.

Links in emails are built from SERVER_BASE_URL, never from the request's Host header: a forged
Host would otherwise put an attacker's address in front of a password reset token. Development
without SERVER_BASE_URL falls back to the request's own address (or the `make run` address
outside a request). Production refuses to start without it.
"""
from flask import current_app, has_request_context, url_for

LOCAL_BASE_URL = "http://127.0.0.1:5000"


def external_url(endpoint: str, **values) -> str:
    base = current_app.config.get("SERVER_BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = (base or LOCAL_BASE_URL).rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context(base_url=base):  # cron and CLI: no request to build from
        return base + url_for(endpoint, **values)
