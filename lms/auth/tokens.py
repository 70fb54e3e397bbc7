"""Signed, expiring, single-use links for password reset and invitations.

A token names the user and a fingerprint of their current password hash. Setting a password
changes the hash, so a token works once; the signature's timestamp makes it expire.
"""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from lms.extensions import db
from lms.models.user import User

RESET = "password-reset"
INVITATION = "invitation"


def signer(purpose: str) -> URLSafeTimedSerializer:
    """Signs and timestamps with the app's secret; the purpose keeps one kind of token from passing as another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"lms-{purpose}")


def _fingerprint(user: User) -> str:
    material = f"{user.password_hash or ''}|{user.email}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def make_token(user: User, purpose: str) -> str:
    return signer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token: str, purpose: str, max_age: int) -> User | None:
    """The user the token was issued to, or None if it is forged, expired, used or the user is inactive."""
    try:
        data = signer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user
