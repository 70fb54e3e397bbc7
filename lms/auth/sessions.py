"""Server-side rules for signed-in sessions.

The session cookie carries "<user id>:<session token>". The token is stored on the user and
replaced on sign-out, password change and deactivation, so a cookie captured before any of
those no longer loads a user. Idle and absolute lifetimes are checked on every request from
timestamps inside the signed cookie.
"""
import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from lms.extensions import db, login_manager
from lms.models.user import User

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"


@login_manager.user_loader
def load_user(session_id: str):
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def safe_next(target: str | None) -> str | None:
    """Accept only a local path: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def redirect_to_sign_in(next_path: str | None = None):
    next_path = safe_next(next_path)
    return redirect(url_for("auth.sign_in", next=next_path) if next_path else url_for("auth.sign_in"))


def start_session(user: User) -> None:
    """Sign in with a fresh session: nothing from before sign-in survives (no fixation)."""
    session.clear()
    login_user(user, remember=False)
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now
    session.permanent = True


def end_session() -> None:
    logout_user()
    session.clear()


def enforce_session_lifetime():
    """before_request: expire idle and over-age sessions on the server."""
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    signed_in_at = session.get(SIGNED_IN_AT, 0)
    last_seen_at = session.get(LAST_SEEN_AT, 0)
    idle = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds()
    if now - last_seen_at > idle or now - signed_in_at > absolute:
        end_session()
        flash("You were signed out because your session expired. Sign in again to continue.")
        if request.method in ("GET", "HEAD"):
            return redirect_to_sign_in(request.full_path if request.query_string else request.path)
        return redirect_to_sign_in()
    session[LAST_SEEN_AT] = now
    return None
