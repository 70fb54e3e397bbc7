"""Response headers that every page carries."""
from flask import current_app, g, request


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self' https://assets.nhs.uk",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def apply_security_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce", "none"))
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("HSTS"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if _is_private(response):
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _is_private(response) -> bool:
    """Dynamic pages are never stored: signed-in pages hold personal data and public forms hold
    a session-bound CSRF token. Only the versioned front-end assets may be cached."""
    return request.endpoint not in ("main.nhsuk_asset", "main.nhsuk_frontend", "static")
