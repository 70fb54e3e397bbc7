"""Access declarations. Every view carries exactly one; a test walks the URL map to prove it.

Views declare who may call them; services check again with the actor they are given.
"""
from functools import wraps

from flask import abort, request
from flask_login import current_user

from lms.auth.sessions import redirect_to_sign_in
from lms.errors import NotAllowed


def _this_page() -> str:
    return request.full_path if request.query_string else request.path


def _declare(view, kind: str, detail=None):
    view.access_declaration = (kind, detail)
    return view


def public(view):
    return _declare(view, "public")


def signed_in(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect_to_sign_in(_this_page())
        return view(*args, **kwargs)

    return _declare(wrapper, "signed_in")


def role_required(*roles: str):
    """Global roles: coordinator, admin. Any one of the listed roles grants access."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect_to_sign_in(_this_page())
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapper, "role", roles)

    return decorator


def declared_by(view, kind: str, detail=None):
    """For feature decorators (cohort roles) defined elsewhere: mark the wrapper they return."""
    return _declare(view, kind, detail)


def require_role(actor, role: str, message: str) -> None:
    """The services' own check of a global role, whatever the view did: raises NotAllowed."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(role):
        raise NotAllowed(message)
