from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.access import role_required
from lms.admin import bp, service
from lms.admin.forms import InviteUserForm
from lms.errors import InvalidInput
from lms.extensions import client_ip, db
from lms.forms.filters import query_text
from lms.models.user import ROLES, User
from lms.pagination import page_number


def _actor():
    return current_user._get_current_object()


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/users")
@role_required("admin")
def users():
    query = query_text(request.args, "q")
    page = page_number()
    found, total = service.search_users(actor=_actor(), query=query, page=page)
    return render_template("admin/users.html", users=found, total=total, query=query, page=page, page_size=service.PAGE_SIZE)


@bp.route("/users/invite", methods=["GET", "POST"])
@role_required("admin")
def invite_user():
    form = InviteUserForm()
    if form.validate_on_submit():
        try:
            user = service.invite_user(
                actor=_actor(), email=form.email.data, name=form.name.data, roles=form.roles.data or [], ip=client_ip()
            )
        except InvalidInput as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            flash(f"Invitation sent to {user.email}.")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/invite.html", form=form)


@bp.route("/users/<int:user_id>")
@role_required("admin")
def user_detail(user_id):
    return render_template("admin/user.html", user=_user_or_404(user_id), roles=ROLES)


def _change_user(user: User, change, success: str):
    """Run one account change; a refusal is shown on the person's page, success flashes."""
    try:
        change()
    except InvalidInput as error:
        db.session.rollback()
        return render_template("admin/user.html", user=user, roles=ROLES, error=str(error)), 400
    flash(success)
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@role_required("admin")
def change_role(user_id):
    user = _user_or_404(user_id)
    role = request.form.get("role", "")
    granted = request.form.get("granted") == "yes"
    return _change_user(
        user,
        lambda: service.set_role(actor=_actor(), user=user, role=role, granted=granted, ip=client_ip()),
        f"{'Granted' if granted else 'Removed'} {role} role {'to' if granted else 'from'} {user.name}.",
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required("admin")
def change_active(user_id):
    user = _user_or_404(user_id)
    active = request.form.get("active") == "yes"
    return _change_user(
        user,
        lambda: service.set_active(actor=_actor(), user=user, active=active, ip=client_ip()),
        f"{user.name}'s account is {'active' if active else 'deactivated and signed out everywhere'}.",
    )


@bp.route("/users/<int:user_id>/invitation", methods=["POST"])
@role_required("admin")
def resend_invitation(user_id):
    user = _user_or_404(user_id)
    return _change_user(
        user,
        lambda: service.resend_invitation(actor=_actor(), user=user, ip=client_ip()),
        f"Invitation sent again to {user.email}.",
    )


@bp.route("/audit")
@role_required("admin")
def audit_log():
    action = query_text(request.args, "action", 64)
    page = page_number()
    events, total, actions = service.audit_events(actor=_actor(), action=action, page=page)
    return render_template(
        "admin/audit.html", events=events, total=total, actions=actions, action=action, page=page,
        page_size=service.AUDIT_PAGE_SIZE,
    )
