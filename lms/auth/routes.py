from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.access import public, signed_in
from lms.auth import bp, service
from lms.auth.forms import ChangePasswordForm, InvitationForm, NewPasswordForm, PasswordResetRequestForm, SignInForm
from lms.auth.sessions import end_session, safe_next, start_session
from lms.errors import InvalidInput
from lms.extensions import client_ip, limiter


def _account_key() -> str:
    return "sign-in:" + service.normalise_email(request.form.get("email", ""))[:254]


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"], deduct_when=_failed
)
@public
def sign_in():
    next_path = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_path or url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = service.authenticate(email=form.email.data, password=form.password.data, ip=client_ip())
        except service.SignInFailed:
            form.email.errors.append("Enter a correct email address and password")
            form.password.errors.append("Enter a correct email address and password")
        else:
            start_session(user)
            return redirect(next_path or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form, next_path=next_path)


@bp.route("/logout", methods=["GET", "POST"])
@public
def sign_out():
    if request.method == "POST":
        if current_user.is_authenticated:
            service.sign_out(user=current_user._get_current_object(), ip=client_ip())
        end_session()
        flash("You have signed out.")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/sign_out.html")


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT_PER_IP"], methods=["POST"])
@public
def request_password_reset():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        service.request_password_reset(email=form.email.data, ip=client_ip())
        return render_template("auth/reset_requested.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    user = service.user_for_reset_token(token)
    if user is None:
        return render_template("auth/link_invalid.html", purpose="reset"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            service.reset_password(user=user, password=form.password.data, ip=client_ip())
        except InvalidInput as error:
            form.password.errors.append(str(error))
        else:
            end_session()
            flash("Your password has been changed. Sign in with your new password.")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token):
    user = service.user_for_invitation_token(token)
    if user is None:
        return render_template("auth/link_invalid.html", purpose="invitation"), 404
    form = InvitationForm(obj=user) if request.method == "GET" else InvitationForm()
    if form.validate_on_submit():
        try:
            service.accept_invitation(user=user, name=form.name.data, password=form.password.data, ip=client_ip())
        except InvalidInput as error:
            form.password.errors.append(str(error))
        else:
            start_session(user)
            flash("Your account is ready.")
            return redirect(url_for("main.home"))
    return render_template("auth/accept_invitation.html", form=form, user=user)


@bp.route("/account")
@signed_in
def account():
    return render_template("auth/account.html")


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.change_password(
                user=user, current_password=form.current_password.data, new_password=form.password.data, ip=client_ip()
            )
        except InvalidInput as error:
            getattr(form, error.field or "password").errors.append(str(error))
        else:
            start_session(user)  # this device stays signed in with the new session token
            flash("Your password has been changed. You have been signed out everywhere else.")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


