"""Accounts: sign-in, password reset, invitations, password change.

Services take the actor and request facts (IP) as arguments and never touch the request.
"""
from flask import current_app

from lms import audit
from lms.auth import tokens
from lms.auth.passwords import burn_equivalent_time, hash_password, password_problem, verify_password
from lms.errors import InvalidInput
from lms.extensions import db
from lms.mail import send_email
from lms.urls import external_url
from lms.models.base import utcnow
from lms.models.user import User


class SignInFailed(Exception):
    """One message for unknown email, wrong password and deactivated account."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def authenticate(*, email: str, password: str, ip: str | None) -> User:
    user = find_user_by_email(email)
    if user is None or not user.has_password:
        burn_equivalent_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if not ok:
        audit.record("sign_in_failed", actor=user, ip=ip, email=normalise_email(email)[:254])
        db.session.commit()
        raise SignInFailed()
    user.last_signed_in_at = utcnow()
    audit.record("sign_in", actor=user, ip=ip, subject=user)
    db.session.commit()
    return user


def sign_out(*, user: User, ip: str | None) -> None:
    """Ends this and every other session of the user, including captured cookies."""
    user.end_all_sessions()
    audit.record("sign_out", actor=user, ip=ip, subject=user)
    db.session.commit()


def request_password_reset(*, email: str, ip: str | None) -> None:
    """Sends a reset link if an active account has this email. Says nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        audit.record("password_reset_requested_unknown", ip=ip, email=normalise_email(email)[:254])
        db.session.commit()
        return
    if not user.has_password:
        link = external_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITATION))
        body = (
            f"Hello {user.name},\n\nYou asked to reset your password, but you have not set one up yet. "
            f"Use this link to set your password:\n\n{link}\n"
        )
    else:
        link = external_url("auth.reset_password", token=tokens.make_token(user, tokens.RESET))
        body = (
            f"Hello {user.name},\n\nSomeone asked to reset the password for your "
            f"{current_app.config['SERVICE_NAME']} account.\n\n"
            f"Use this link within 1 hour to choose a new password. It works once:\n\n{link}\n\n"
            "If you did not ask for this, you can ignore this email: your password has not changed.\n"
        )
    send_email(to=user.email, subject="Reset your password", body=body)
    audit.record("password_reset_requested", actor=user, ip=ip, subject=user)
    db.session.commit()


def user_for_reset_token(token: str) -> User | None:
    return tokens.user_for_token(token, tokens.RESET, current_app.config["PASSWORD_RESET_MAX_AGE"])


def user_for_invitation_token(token: str) -> User | None:
    user = tokens.user_for_token(token, tokens.INVITATION, current_app.config["INVITATION_MAX_AGE"])
    return user if user is not None and not user.has_password else None


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, name=user.name)
    if problem:
        raise InvalidInput(problem, field="password")
    user.password_hash = hash_password(password)
    user.end_all_sessions()


def reset_password(*, user: User, password: str, ip: str | None) -> None:
    _set_password(user, password)
    audit.record("password_reset", actor=user, ip=ip, subject=user)
    db.session.commit()


def accept_invitation(*, user: User, name: str, password: str, ip: str | None) -> None:
    user.name = name.strip()
    _set_password(user, password)
    audit.record("invitation_accepted", actor=user, ip=ip, subject=user)
    db.session.commit()


def change_password(*, user: User, current_password: str, new_password: str, ip: str | None) -> None:
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput("Your current password is not correct", field="current_password")
    _set_password(user, new_password)
    audit.record("password_changed", actor=user, ip=ip, subject=user)
    db.session.commit()


def send_invitation(*, user: User, invited_by: User | None) -> None:
    link = external_url("auth.accept_invitation", token=tokens.make_token(user, tokens.INVITATION))
    who = f"{invited_by.name} has invited you" if invited_by else "You have been invited"
    body = (
        f"Hello {user.name},\n\n{who} to {current_app.config['SERVICE_NAME']}.\n\n"
        f"Use this link within 14 days to set your name and password:\n\n{link}\n"
    )
    send_email(to=user.email, subject=f"You are invited to {current_app.config['SERVICE_NAME']}", body=body)
