"""Account administration: invitations, global roles, deactivation. Every change is audited."""
from sqlalchemy import func, or_, select

from lms import audit
from lms.access import require_role
from lms.auth.service import find_user_by_email, normalise_email, send_invitation
from lms.errors import InvalidInput
from lms.extensions import db
from lms.models.audit import AuditEvent
from lms.models.user import ROLES, User

PAGE_SIZE = 50


def _require_admin(actor: User) -> None:
    require_role(actor, "admin", "Only admins can manage accounts")


def search_users(*, actor: User, query: str = "", page: int = 1) -> tuple[list[User], int]:
    _require_admin(actor)
    statement = select(User)
    if query:
        like = f"%{query.strip().lower()}%"
        statement = statement.where(or_(func.lower(User.email).like(like), func.lower(User.name).like(like)))
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    users = db.session.execute(
        statement.order_by(User.name, User.id).limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    ).scalars().all()
    return list(users), total


def invite_user(*, actor: User | None, email: str, name: str, roles: list[str] = (), ip: str | None = None) -> User:
    """Create an account without a password and email an invitation link to set one.

    ``actor`` None means the command line (an operator on the server)."""
    if actor is not None:
        _require_admin(actor)
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise InvalidInput("An account with this email address already exists", field="email")
    user = User(email=email, name=name.strip())
    for role in roles:
        if role not in ROLES:
            raise InvalidInput("Select a role from the list", field="roles")
        setattr(user, f"is_{role}", True)
    db.session.add(user)
    db.session.flush()
    audit.record("user_invited", actor=actor, ip=ip, subject=user, email=email, roles=list(roles))
    send_invitation(user=user, invited_by=actor)
    db.session.commit()
    return user


def set_role(*, actor: User, user: User, role: str, granted: bool, ip: str | None) -> None:
    _require_admin(actor)
    if role not in ROLES:
        raise InvalidInput("Select a role from the list", field="role")
    if actor.id == user.id and role == "admin" and not granted:
        raise InvalidInput("You cannot remove your own admin role. Ask another admin.", field="role")
    if getattr(user, f"is_{role}") == granted:
        return
    setattr(user, f"is_{role}", granted)
    audit.record("role_granted" if granted else "role_removed", actor=actor, ip=ip, subject=user, role=role)
    db.session.commit()


def set_active(*, actor: User, user: User, active: bool, ip: str | None) -> None:
    _require_admin(actor)
    if actor.id == user.id and not active:
        raise InvalidInput("You cannot deactivate your own account", field="active")
    if user.active == active:
        return
    user.active = active
    user.end_all_sessions()
    audit.record("user_reactivated" if active else "user_deactivated", actor=actor, ip=ip, subject=user)
    db.session.commit()


def resend_invitation(*, actor: User, user: User, ip: str | None) -> None:
    _require_admin(actor)
    if user.has_password:
        raise InvalidInput("This person has already set up their account", field="invite")
    send_invitation(user=user, invited_by=actor)
    audit.record("invitation_resent", actor=actor, ip=ip, subject=user)
    db.session.commit()


AUDIT_PAGE_SIZE = 50


def audit_events(*, actor: User, action: str = "", page: int = 1) -> tuple[list[AuditEvent], int, list[str]]:
    _require_admin(actor)
    statement = select(AuditEvent)
    if action:
        statement = statement.where(AuditEvent.action == action)
    total = db.session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    events = db.session.execute(
        statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_PAGE_SIZE)
        .offset((max(page, 1) - 1) * AUDIT_PAGE_SIZE)
    ).scalars().all()
    actor_ids = {event.actor_id for event in events if event.actor_id}
    names = {}
    if actor_ids:
        names = dict(db.session.execute(select(User.id, User.email).where(User.id.in_(actor_ids))).all())
    for event in events:
        event.actor_email = names.get(event.actor_id)
    actions = db.session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).scalars().all()
    return list(events), total, list(actions)
